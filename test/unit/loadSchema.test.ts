import * as assert from 'node:assert/strict';
import { en } from '../fixtures/core/mailingFixture';
import { SourceRanges } from '../../src/core/load/ranges';
import { mailingSchema } from '../../src/core/load/schema';
import { schemaDiagnostics } from '../../src/core/load/schemaDiagnostics';
import { parseYamlSource } from '../../src/core/load/yamlSource';
import type { Diagnostic } from '../../src/core/types';

function check(text: string): Diagnostic[] {
  const source = parseYamlSource(text);
  return schemaDiagnostics(source.value, new SourceRanges(source.lines, source.root));
}

function show(d: Diagnostic): string {
  const { start, end } = d.range;
  return `${start.line + 1}:${start.column + 1}-${end.line + 1}:${end.column + 1} ${en(d)}`;
}

const BASE = 'version: 1\nname: n\nfrom: a@b.example\nsubject: s\ncontent: { text: t }\ntargetList:\n  include:\n    - email: c@d.example\n';

describe('load: schema diagnostics', () => {
  it('a valid mailing has none', () => {
    assert.deepEqual(check(BASE), []);
  });

  it('an unknown key is reported on that key, with the nearest allowed key', () => {
    const [d] = check(BASE + 'shedule: tomorrow\n');
    assert.equal(show(d), '9:1-9:8 Unknown key `shedule`: did you mean `schedule`?');
    assert.deepEqual(d.data, { unknownKey: 'shedule', suggestion: 'schedule' });
    assert.equal(d.step, 'file');
    const [e] = check(BASE + 'sending:\n  conections: 3\n');
    assert.equal(show(e), '10:3-10:13 Unknown key `conections` in `sending`: did you mean `connections`?');
    const [f] = check(BASE + 'colour: blue\n');
    assert.match(en(f), /^Unknown key `colour` \(allowed: version, name, /);
    assert.equal(f.step, 'file');
  });

  it('a missing key is reported on the key of its parent (line 1 for the root)', () => {
    const [d] = check(BASE.replace('version: 1\n', ''));
    assert.equal(show(d), '1:1-1:8 `version` is missing: add `version: 1` at the top');
    assert.deepEqual(d.data, { missingKey: 'version', parentPath: [] });
    const [e] = check(BASE + 'sending:\n  dkim:\n    domain: d.example\n    privateKey: k.pem\n');
    assert.equal(show(e), '10:3-10:7 `sending.dkim.selector` is missing');
    assert.deepEqual(e.data, { missingKey: 'selector', parentPath: ['sending', 'dkim'] });
  });

  it('a bad value is reported on the value: type, enum, const, bounds', () => {
    const found = check(BASE.replace('version: 1', 'version: 2') + 'sending:\n  transport: smpt\n  connections: "5"\n  attempts: 0\nattachments: [""]\n');
    assert.deepEqual(found.map(show), [
      '1:10-1:11 `version` must be 1',
      '10:14-10:18 `sending.transport` must be one of `outbox`, `smtp`, not `smpt`: did you mean `smtp`?',
      '11:16-11:19 `sending.connections` must be a whole number, not `5`',
      '12:13-12:14 `sending.attempts` must be at least 1',
      '13:15-13:17 `attachments[0]` must not be empty',
    ]);
  });

  it('From: one message whatever oneOf branch failed', () => {
    const [number] = check(BASE.replace('from: a@b.example', 'from: 42'));
    assert.equal(show(number), '3:7-3:9 `from` must be an address: `Name <address>` or `{ name, email }`, not the number 42');
    const objectErrors = check(BASE.replace('from: a@b.example', 'from: { name: A, mail: a@b.example }'));
    assert.deepEqual(objectErrors.map(show), ['3:1-3:5 `from.email` is missing', '3:18-3:22 Unknown key `mail` in `from`: did you mean `email`?']);
  });

  it('target-list entries: one message chosen by `file` versus `email`', () => {
    const text = BASE.replace(
      '    - email: c@d.example\n',
      '    - people.csv\n    - {}\n    - { file: a.csv, email: b@c.example }\n    - { file: a.csv, delimiter: ";" }\n    - { email: 5, tags: [a] }\n    - email: c@d.example\n',
    );
    assert.deepEqual(check(text).map(show), [
      '8:7-8:17 Each target-list entry is `file: <csv>` or `email: <address>`, not `people.csv`: write `- file: people.csv`',
      '9:7-9:9 Each entry needs `file:` (a CSV file) or `email:` (a contact)',
      '10:7-10:42 An entry is either `file:` (a CSV file) or `email:` (a contact), not both',
      '11:22-11:31 Unknown key `delimiter` in `targetList.include[3]`: a `file:` entry only names a CSV file',
      '12:16-12:17 `targetList.include[4].email` must be text, not the number 5',
      '12:25-12:28 `targetList.include[4].tags` must be text or a number or true or false or empty, not a list',
    ]);
  });

  it('a file that is not a mapping gets one diagnostic', () => {
    assert.deepEqual(check('').map(show), ['1:1-1:1 The file holds no mailing: start with `version: 1`, then `name:`, `from:`, `subject:`, `content:` and `targetList:`']);
    assert.deepEqual(check('- a\n- b\n').map(show), ['1:1-1:4 A mailing file is a mapping of keys (`version: 1`, `name: …`), not a list']);
  });

  it('leaves missing name, subject, From, content and target list to the step checks', () => {
    assert.deepEqual(check('version: 1\nname:\nsubject:\n'), []);
  });

  it('the schema describes every property and gives examples', () => {
    const undescribed: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (typeof node !== 'object' || node === null) return;
      const schema = node as Record<string, unknown>;
      const properties = schema.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [key, property] of Object.entries(properties ?? {})) {
        if (typeof property.description !== 'string' || !property.description) undescribed.push(`${where}.${key}`);
        walk(property, `${where}.${key}`);
      }
      for (const keyword of ['items', 'additionalProperties']) walk(schema[keyword], `${where}[]`);
      for (const keyword of ['oneOf', 'anyOf']) for (const branch of (schema[keyword] as unknown[]) ?? []) walk(branch, where);
    };
    walk(mailingSchema, '');
    walk(mailingSchema.definitions.address, 'address');
    walk(mailingSchema.definitions.targetSource, 'targetSource');
    assert.deepEqual(undescribed, []);
    for (const key of Object.keys(mailingSchema.properties)) {
      assert.ok(Array.isArray((mailingSchema.properties as Record<string, { examples?: unknown[] }>)[key].examples), `${key} has examples`);
    }
  });
});
