import * as assert from 'node:assert/strict';
import { buildConfirmModel } from '../../src/core/confirmModel';
import type { ConfirmModel } from '../../src/core/types';
import { at, NOW, TempDir, en } from '../fixtures/core/mailingFixture';

describe('yaml-syntax: malformed files give located errors, never an exception', () => {
  let dir: TempDir;
  before(async () => (dir = await TempDir.create()));
  after(async () => dir.remove());

  function model(text: string): Promise<ConfirmModel> {
    return buildConfirmModel(dir.file('m.mailing.yaml'), { text, now: NOW, defaultTimezone: 'UTC' });
  }

  async function syntax(text: string): Promise<string[]> {
    const result = await model(text);
    return result.diagnostics.filter((d) => d.code === 'yaml-syntax').map((d) => `${at(d)} ${d.severity} ${en(d)}`);
  }

  it('a tab used for indentation', async () => {
    assert.deepEqual(await syntax('version: 1\nname: x\ncontent:\n\thtml: a.html\n'), ['4:1-4:2 error Tabs are not allowed as indentation']);
  });

  it('a duplicate key, on the second one', async () => {
    assert.deepEqual(await syntax('version: 1\nname: x\nname: y\n'), ['3:1-3:5 error Map keys must be unique']);
  });

  it('an unclosed quote', async () => {
    const [d] = await syntax('version: 1\nsubject: "Hello\nname: x\n');
    assert.match(d, /^2:10-2:16 error Missing closing "quote/);
  });

  it('an unclosed flow sequence and flow map', async () => {
    assert.match((await syntax('version: 1\nattachments: [a.pdf, b.pdf\nname: x\n'))[0], /^3:1-3:2 error Flow sequence in block collection must be sufficiently indented and end with a \]/);
    assert.match((await syntax('from: { name: A\n'))[0], /^1:15-1:16 error Flow map in block collection must be sufficiently indented and end with a \}/);
  });

  it('bad indentation', async () => {
    assert.deepEqual(await syntax('targetList:\n  include:\n    - file: a.csv\n   exclude: []\n'), ['4:4-4:11 error All mapping items must start at the same column']);
  });

  it('a mapping value where none may be', async () => {
    assert.deepEqual(await syntax('subject: Hello: world\n'), ['1:10-1:11 error Nested mappings are not allowed in compact mappings']);
  });

  it('an alias without an anchor', async () => {
    assert.deepEqual(await syntax('version: 1\nfrom: *sender\n'), ['2:7-2:14 error Unknown alias *sender: define the anchor &sender before using it']);
  });

  it('a second document', async () => {
    assert.deepEqual(await syntax('version: 1\nname: x\n---\nname: y\n'), [
      '3:1-3:4 error A mailing file holds one YAML document: remove this `---` and what follows, or move it to a file of its own',
    ]);
  });

  it('a reserved character and an unknown tag (a warning)', async () => {
    assert.deepEqual(await syntax('name: @home\n'), ['1:7-1:8 error Plain value cannot start with reserved character @']);
    const [d] = await syntax('name: !shout hello\n');
    assert.match(d, /^1:7-1:13 warning Unresolved tag: !shout/);
  });

  it('an alias bomb is stopped and reported', async () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const [d] = await syntax(lines.join('\n') + '\n');
    assert.match(d, /^1:1-1:\d+ error The YAML could not be read: Excessive alias count/);
  });

  it('very deep nesting is reported once per place, not a thousand times', async () => {
    const found = await syntax(`name: ${'['.repeat(1200)}\n`);
    assert.ok(found.length > 0 && found.length <= 50, `${found.length} diagnostics`);
  });

  it('keeps checking what could be read: errors of the steps are still found', async () => {
    const result = await model('version: 1\nname: x\nname: y\nfrom: nobody\n');
    assert.deepEqual(
      result.diagnostics.filter((d) => ['yaml-syntax', 'from-invalid', 'subject-missing'].includes(d.code)).map((d) => d.code),
      ['subject-missing', 'yaml-syntax', 'from-invalid'],
    );
  });

  it('never throws on odd input: empty, comments, scalars, lists, BOM, binary junk, huge lines', async () => {
    const inputs = [
      '',
      '# only a comment\n',
      '   \n\n',
      'hello',
      '42',
      '- a\n- b\n',
      '\ufeffversion: 1\r\nname: x\r\n',
      '\u0000\u0001\u0002\u00ff\ufffe binary',
      Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7919) % 256)).toString('latin1'),
      '%YAML 1.2\n---\nname: x\n...\n',
      '? [complex, key]\n: value\n',
      'version: 1\nname: x\n'.repeat(1000),
      `subject: ${'x'.repeat(200_000)}\n`,
      '{{{{{{{{}}}}}}}}',
      ':\n:\n-\n?',
      'from: !!binary aGVsbG8=\n',
    ];
    for (const text of inputs) {
      const result = await model(text);
      assert.ok(Array.isArray(result.diagnostics), JSON.stringify(text.slice(0, 30)));
      assert.equal(result.hasErrors, true);
      for (const d of result.diagnostics) assert.ok(d.range.start.line >= 0 && d.range.end.line >= d.range.start.line);
    }
  });
});
