// Deep YAML nesting is found before the yaml package or any recursive walker sees it: one located,
// plain-language `yaml-syntax` error, never "Maximum call stack size exceeded"; honest files that only
// look deep (brackets in quotes, comments or block scalars) are read as usual.
import * as assert from 'node:assert/strict';
import { parseYamlSource } from '../../src/core/load/yamlSource';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { MAX_YAML_DEPTH, tooDeepAt } from '../../src/core/load/yamlDepth';
import type { ConfirmModel } from '../../src/core/types';
import { insertKey } from '../../src/core/load/documentQueries';
import { completionContextAt, nodeAt } from '../../src/core/load/documentQueries';
import { at, CLEAN, edit, NOW, TempDir, en } from '../fixtures/core/mailingFixture';

const DEEP = 100_000;

describe('yaml: nesting depth', () => {
  let dir: TempDir;
  before(async () => (dir = await TempDir.create()));
  after(async () => dir.remove());

  function model(text: string): Promise<ConfirmModel> {
    return buildConfirmModel(dir.file('m.mailing.yaml'), { text, now: NOW, defaultTimezone: 'UTC' });
  }

  const deepTexts: Record<string, string> = {
    'a flow sequence': `version: 1\nname: ${'['.repeat(DEEP)}\n`,
    'flow maps': `version: 1\nname: ${'{a: '.repeat(DEEP)}\n`,
    'flow over many lines': `version: 1\nname:\n${'  [\n'.repeat(DEEP)}`,
    'block sequences by indentation': `version: 1\nname:\n${Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i + 1)}-`).join('\n')}\n`,
    'compact block sequences on one line': `version: 1\nname: x\nlist:\n  ${'- '.repeat(DEEP)}x\n`,
    'block mappings by indentation': `version: 1\nname: x\n${Array.from({ length: 2_000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')}\n`,
  };

  for (const [kind, text] of Object.entries(deepTexts)) {
    it(`${kind}, ${kind.startsWith('block') ? 'thousands' : 'a hundred thousand'} deep: one located error, and the file is not read`, async () => {
      const result = await model(text);
      assert.equal(result.diagnostics.length, 1, result.diagnostics.map((d) => en(d)).join('\n'));
      const [d] = result.diagnostics;
      assert.equal(d.code, 'yaml-syntax');
      assert.equal(d.severity, 'error');
      const line = d.range.start.line + 1;
      assert.ok(line >= 2, `line ${line}`);
      assert.equal(en(d), `The YAML is nested more than ${MAX_YAML_DEPTH} levels deep at line ${line} (brackets or indentation), so the file is not read: a mailing needs only a few levels; look for brackets that are never closed`);
      assert.equal(result.hasErrors, true);
    });
  }

  it(`${MAX_YAML_DEPTH} levels are read; one more is refused`, async () => {
    // `name:` opens the first level.
    const nested = (levels: number) => `${CLEAN}extra: ${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}\n`;
    assert.equal(tooDeepAt(nested(MAX_YAML_DEPTH)), -1);
    assert.ok(tooDeepAt(nested(MAX_YAML_DEPTH + 1)) > 0);
    const read = await model(nested(MAX_YAML_DEPTH));
    assert.ok(read.diagnostics.some((d) => d.code === 'schema' && /Unknown key `extra`/.test(en(d))));
    // CLEAN has 22 lines: `extra:` is line 23, and its 64th `[` is the 65th level.
    assert.equal(at((await model(nested(MAX_YAML_DEPTH + 1))).diagnostics[0]), `23:${MAX_YAML_DEPTH + 7}-23:${MAX_YAML_DEPTH + 8}`);
  });

  it('brackets in quotes, plain text, comments and block scalars are no nesting', async () => {
    const deepHtml = Array.from({ length: 300 }, (_, i) => `${' '.repeat(4 + i)}<div>`).join('\n');
    const text = edit(
      CLEAN,
      'subject: Hello {{firstName}}',
      [
        `subject: "${'['.repeat(500)} {{firstName}}"`,
        `# ${'{'.repeat(500)}`,
        `replyTo: '${'['.repeat(200)}''${'{'.repeat(200)}'`,
        `note: a${'['.repeat(300)} {b [c`,
      ].join('\n'),
    ).replace('  html: |\n    <p>Hello {{firstName}}, from {{city}}</p>', `  html: |\n${deepHtml}\n    <p>Hello {{firstName}}, from {{city}}</p>`);
    assert.equal(tooDeepAt(text), -1);
    const result = await model(text);
    assert.ok(!result.diagnostics.some((d) => d.code === 'yaml-syntax'), result.diagnostics.map((d) => en(d)).join('\n'));
    assert.equal(result.mailing.subject, `${'['.repeat(500)} {{firstName}}`);
  });

  it('the editor features give nothing on a text nested too deep, without an exception', () => {
    const text = `version: 1\nname: ${'['.repeat(DEEP)}\nsubject: x\n`;
    assert.equal(completionContextAt(text, text.length - 3), undefined);
    assert.equal(nodeAt(parseYamlSource(text).root, 3), undefined);
    assert.equal(insertKey(text, parseYamlSource(text), [], 'from', 'a@b.example'), undefined);
  });
});
