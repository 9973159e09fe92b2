import * as assert from 'node:assert/strict';
import { addressFromObject, formatAddress, isValidEmail, parseAddress } from '../../src/core/load/addresses';
import { scanMergeFields } from '../../src/core/load/mergeFields';
import { parseRate } from '../../src/core/load/rate';
import { valueSpanInSource } from '../../src/core/load/scalarSpans';
import { closest, editDistance } from '../../src/core/load/similar';
import { locate } from '../../src/core/load/sourceNodes';
import { parseYamlSource } from '../../src/core/load/yamlSource';

describe('load: email addresses', () => {
  it('accepts ordinary addresses', () => {
    for (const address of ['a@b.cd', 'jan.de.vries@example.com', 'o\'brien+news@mail.example.org', 'x_y-z@sub-domain.example.co.uk', 'zoë@exämple.com', 'UPPER@EXAMPLE.COM']) {
      assert.equal(isValidEmail(address), true, address);
    }
  });

  it('refuses what no server would take', () => {
    for (const address of ['', 'plain', '@example.com', 'a@', 'a@b', 'a@b.c', 'a@example.123', 'a b@example.com', 'a@@example.com', '.a@example.com', 'a.@example.com', 'a..b@example.com', 'a@-example.com', 'a@example-.com', 'a@example..com', 'a@.example.com', 'a@example.com.', '"a"@example.com', 'a@[127.0.0.1]', 'a\u00a0b@example.com', `${'x'.repeat(65)}@example.com`, `a@${'x'.repeat(64)}.com`]) {
      assert.equal(isValidEmail(address), false, address);
    }
  });

  it('checks a 100,000-character hostile address quickly and says no', () => {
    assert.equal(isValidEmail(`${'a.'.repeat(50_000)}@x`), false);
  });

  it('reads `Name <address>`, quoted names, `<address>` and bare addresses', () => {
    assert.deepEqual(parseAddress('Shop News <news@shop.example>', 'from'), { ok: true, address: { name: 'Shop News', email: 'news@shop.example' } });
    assert.deepEqual(parseAddress('"Shop, Inc." <news@shop.example>', 'from'), { ok: true, address: { name: 'Shop, Inc.', email: 'news@shop.example' } });
    assert.deepEqual(parseAddress(' <news@shop.example> ', 'from'), { ok: true, address: { email: 'news@shop.example' } });
    assert.deepEqual(parseAddress('news@shop.example', 'from'), { ok: true, address: { email: 'news@shop.example' } });
    assert.deepEqual((parseAddress('Shop <news@shop.example', 'from') as { problem: unknown }).problem, { kind: 'unclosed', role: 'from', written: 'Shop <news@shop.example' });
    assert.deepEqual((parseAddress('a@shop.example; b@shop.example', 'replyTo') as { problem: unknown }).problem, { kind: 'several', role: 'replyTo', written: 'a@shop.example; b@shop.example' });
    assert.equal(addressFromObject({ name: 'A' }, 'from').ok, false);
    assert.equal(formatAddress({ name: 'Shop, Inc.', email: 'a@shop.example' }), '"Shop, Inc." <a@shop.example>');
    assert.equal(formatAddress({ email: 'a@shop.example' }), 'a@shop.example');
  });
});

describe('load: merge fields', () => {
  it('finds {{field}} and {{ field }}', () => {
    assert.deepEqual(scanMergeFields('Hi {{firstName}}, {{ city }}!').uses, [
      { name: 'firstName', start: 3, end: 16 },
      { name: 'city', start: 18, end: 28 },
    ]);
  });

  it('reports unclosed, empty and triple-brace fields', () => {
    assert.deepEqual(
      scanMergeFields('a {{b c\n{{}} {{{x}}}').problems.map((p) => [p.start, p.end, p.problem]),
      [
        [2, 5, { kind: 'unclosed', written: '{{b' }],
        [8, 12, { kind: 'empty' }],
        [13, 20, { kind: 'braces', written: '{{{x}}}' }],
      ],
    );
    assert.deepEqual(scanMergeFields('no fields } here }}').problems, []);
  });
});

describe('load: merge-field positions inside YAML scalars', () => {
  function spanOf(text: string, key: string, token: string): string {
    const source = parseYamlSource(text);
    const node = locate(source.root, [key]).node!;
    const value = (source.value as Record<string, string>)[key];
    const start = value.indexOf(token);
    const [from, to] = valueSpanInSource(text, node, value, start, start + token.length);
    return text.slice(from, to) === token ? `exact ${from}` : `whole ${from}-${to}`;
  }

  it('is exact in plain, quoted and `|` block scalars', () => {
    assert.equal(spanOf('a: Hi {{x}}\n', 'a', '{{x}}'), 'exact 6');
    assert.equal(spanOf("a: 'It''s {{x}}'\n", 'a', '{{x}}'), 'exact 10');
    assert.equal(spanOf('a: |\n  one\n    {{x}} two\n', 'a', '{{x}}'), 'exact 15');
    assert.equal(spanOf('a: >\n  one\n  {{x}}\n', 'a', '{{x}}'), 'exact 13');
    assert.equal(spanOf('a: "one\n  {{x}}"\n', 'a', '{{x}}'), 'exact 10');
  });

  it('falls back to the whole value when escapes hide the token', () => {
    assert.equal(spanOf('a: "\\x7B{x}}"\n', 'a', '{{x}}'), 'whole 3-13');
  });

  it('picks the right one of repeated tokens', () => {
    const text = 'a: |\n  {{x}}\n  {{x}}\n';
    const source = parseYamlSource(text);
    const node = locate(source.root, ['a']).node!;
    const value = (source.value as Record<string, string>).a;
    assert.deepEqual(valueSpanInSource(text, node, value, 6, 11), [15, 20]);
  });
});

describe('load: rates and suggestions', () => {
  it('parses N/second, N/minute, N/hour and their short forms', () => {
    assert.deepEqual(parseRate('600/minute'), { ok: true, rate: { count: 600, per: 'minute' } });
    assert.deepEqual(parseRate(' 2.5 / s '), { ok: true, rate: { count: 2.5, per: 'second' } });
    assert.deepEqual(parseRate('5000/H'), { ok: true, rate: { count: 5000, per: 'hour' } });
    for (const bad of ['fast', '10', '10/day', '-1/minute', '0/minute', '/minute']) assert.equal(parseRate(bad).ok, false, bad);
  });

  it('suggests the nearest name: typos, swapped letters, case', () => {
    assert.equal(editDistance('smpt', 'smtp'), 1);
    assert.equal(closest('frstName', ['email', 'firstName', 'city']), 'firstName');
    assert.equal(closest('FIRSTNAME', ['email', 'firstName']), 'firstName');
    assert.equal(closest('zzz', ['email', 'firstName']), undefined);
  });
});
