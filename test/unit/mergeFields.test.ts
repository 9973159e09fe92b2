// The merge-field scanner: fields, defaults (`{{name | "default"}}`) and every malformed kind, with
// the reason the diagnostics catalogue words; and the rule that a default stands in for an empty value.
import { en } from '../fixtures/core/mailingFixture';
import * as assert from 'node:assert/strict';
import { isEmptyValue, scanMergeFields } from '../../src/core/load/mergeFields';
import { compileTemplate, fillTemplate } from '../../src/core/render/merge';
import { maskMergeFields } from '../../src/core/load/mergeFields';

describe('merge fields', () => {
  it('reads names and quoted defaults, spaces optional, double or single quotes, an empty default', () => {
    const text = 'A {{firstName}} B {{ city | "Delft" }} D {{n|""}} E {{ a b |"q r"}}';
    const { uses, problems } = scanMergeFields(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      uses.map((u) => [u.name, u.default, text.slice(u.start, u.end)]),
      [
        ['firstName', undefined, '{{firstName}}'],
        ['city', 'Delft', '{{ city | "Delft" }}'],
        ['n', '', '{{n|""}}'],
        ['a b', 'q r', '{{ a b |"q r"}}'],
      ],
    );
  });

  it('explains each malformed field, located from {{ to }}', () => {
    const cases: [string, string][] = [
      ['{{city is open', 'unclosed'],
      ['{{}}', 'empty'],
      ['{{ | "x"}}', 'empty'],
      ['{{{x}}}', 'braces'],
      ['{{name | reader}}', 'default-unquoted'],
      ['{{name | “reader”}}', 'default-unquoted'],
      ['{{name | "reader}}', 'default-unclosed'],
      ['{{name | "reader" x}}', 'default-trailing'],
      ['{{name |}}', 'default-missing'],
      ["{{x|'it's'}}", 'default-trailing'],
    ];
    for (const [written, reason] of cases) {
      const text = `Hi ${written} there`;
      const { uses, problems } = scanMergeFields(text);
      assert.equal(uses.length, 0, written);
      assert.equal(problems.length, 1, written);
      const found = problems[0].problem;
      const kind = reason.startsWith('default') ? `default ${({ 'default-unquoted': 'unquoted', 'default-unclosed': 'unclosed-quote', 'default-trailing': 'after-quote', 'default-missing': 'missing' } as Record<string, string>)[reason]}` : reason;
      assert.equal(found.kind === 'default' ? `default ${found.reason}` : found.kind, kind, written);
      assert.equal(problems[0].start, 3, written);
      if ('written' in found) assert.equal(found.written, text.slice(problems[0].start, problems[0].end));
      if (reason !== 'unclosed' && 'written' in found) assert.equal(found.written, written);
      const message = en({ code: 'merge-syntax', args: found, severity: 'error', step: 'content', range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } } });
      assert.match(message, reason.startsWith('default') ? /\{\{field \| "default"\}\}/ : /\{\{/);
    }
  });

  it('a default stands in for an empty, blank or missing value, never for a given one', () => {
    const template = compileTemplate('Hi {{firstName | "reader"}} and {{other}}!');
    assert.equal(fillTemplate(template, { firstName: 'Ann', other: 'Bo' }), 'Hi Ann and Bo!');
    assert.equal(fillTemplate(template, { firstName: '', other: '' }), 'Hi reader and !');
    assert.equal(fillTemplate(template, { firstName: ' \t' }), 'Hi reader and !');
    assert.equal(fillTemplate(template, {}), 'Hi reader and !');
    assert.equal(isEmptyValue(' x '), false);
  });

  it('masks fields at their offsets, defaults with quotes included', () => {
    const html = '<a href="https://x.test/?n={{name | "you"}}">{{name}}</a> {{open';
    const masked = maskMergeFields(html);
    assert.equal(masked.length, html.length);
    assert.equal(masked, '<a href="https://x.test/?n=xxxxxxxxxxxxxxxx">xxxxxxxx</a> {{open');
  });
});
