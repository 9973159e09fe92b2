import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { FileCache } from '../../src/core/load/fileCache';
import { forgetStateRoots } from '../../src/core/state/stateRoot';
import { at, CLEAN, codes, edit, NOW, TempDir, withCode, en } from '../fixtures/core/mailingFixture';

const SECRET = 'TOP-SECRET-LINE\nsecond line';

describe('path policy: a mailing reads and sends only files of its workspace', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await TempDir.create();
    forgetStateRoots();
    // The workspace is `ws/` (it holds the state); `outside/` is a sibling folder.
    await fs.mkdir(dir.file('ws/.mailings'), { recursive: true });
    await dir.write({ 'outside/secret.txt': SECRET, 'outside/list.csv': 'email,firstName,city\nsecret@example.com,TOP-SECRET-LINE,X\n', 'ws/news/hello.txt': 'Hello {{firstName}}\n' });
  });
  afterEach(() => dir.remove());

  async function model(text: string, options: { confine?: string[] } = {}) {
    await dir.write({ 'ws/news/m.mailing.yaml': text });
    return buildConfirmModel(dir.file('ws/news/m.mailing.yaml'), { now: NOW, defaultTimezone: 'UTC', cache: new FileCache(), ...options });
  }

  function assertNothingLeaks(m: Awaited<ReturnType<typeof model>>) {
    const everything = JSON.stringify(m);
    assert.ok(!everything.includes('TOP-SECRET-LINE'), 'no content of a file outside the workspace reaches the model');
  }

  it('refuses content, attachments and CSVs outside the workspace, at their lines, reading nothing', async () => {
    const text = edit(
      edit(CLEAN, '  text: |\n    Hello {{firstName}}\n', '  text: ../../outside/secret.txt\n'),
      'targetList:\n  include:\n',
      `attachments: [/etc/passwd, ../../../../../../../../etc/hostname, ${dir.file('outside/secret.txt')}]\ntargetList:\n  exclude:\n    - file: ../../outside/list.csv\n  include:\n`,
    );
    const m = await model(text);
    const outside = withCode(m, 'path-outside');
    assert.equal(outside.length, 5, JSON.stringify(m.diagnostics, null, 1));
    assert.ok(outside.every((d) => d.severity === 'error'));
    const lines = text.split('\n');
    for (const d of outside) {
      const line = lines[d.range.start.line];
      assert.ok(/secret|passwd|hostname|list\.csv/.test(line.slice(d.range.start.column, d.range.end.column)), `located on the value: ${at(d)} ${line}`);
    }
    assert.match(en(outside[0]), /outside the workspace .*ws/);
    assert.ok(!codes(m).includes('file-missing'));
    assert.equal(m.mailing.attachments?.length, 0, 'no attachment is taken');
    assert.equal(m.mailing.text, undefined);
    assert.equal(m.hasErrors, true);
    assertNothingLeaks(m);
  });

  it('follows symbolic links: a link inside that points outside is refused, one that stays inside is fine', async () => {
    await fs.symlink(dir.file('outside/secret.txt'), dir.file('ws/news/link.pdf'));
    await fs.symlink(dir.file('ws/news/hello.txt'), dir.file('ws/news/inside.txt'));
    await fs.symlink(dir.file('outside'), dir.file('ws/news/door'));
    const text = edit(
      edit(CLEAN, '  text: |\n    Hello {{firstName}}\n', '  text: inside.txt\n'),
      'targetList:\n',
      'attachments: [link.pdf, door/secret.txt]\ntargetList:\n',
    );
    const m = await model(text);
    const outside = withCode(m, 'path-outside');
    assert.equal(outside.length, 2, JSON.stringify(m.diagnostics));
    assert.match(en(outside[0]), /leads to .*outside.*secret\.txt/);
    assert.equal(m.mailing.text?.source, 'Hello {{firstName}}\n');
    assertNothingLeaks(m);
  });

  it('a missing file outside is refused as outside, not reported missing', async () => {
    const m = await model(edit(CLEAN, 'targetList:\n', 'attachments: [../../outside/nothing-here.pdf]\ntargetList:\n'));
    assert.deepEqual(
      m.diagnostics.filter((d) => d.code === 'path-outside' || d.code === 'file-missing').map((d) => d.code),
      ['path-outside'],
    );
  });

  it('files anywhere inside the workspace are fine, in any folder', async () => {
    await dir.write({ 'ws/lists/customers.csv': 'email,firstName,city\nann@example.com,Ann,Delft\n' });
    const m = await model(edit(CLEAN, '  include:\n', '  include:\n    - file: ../lists/customers.csv\n'));
    assert.deepEqual(withCode(m, 'path-outside'), []);
    assert.ok(m.mailing.targetList?.recipients.some((r) => r.email === 'ann@example.com'));
  });

  it('an untrusted window confines reads to its open folders as well', async () => {
    await dir.write({ 'ws/lists/customers.csv': 'email,firstName,city\nann@example.com,Ann,Delft\n' });
    const text = edit(CLEAN, '  include:\n', '  include:\n    - file: ../lists/customers.csv\n');
    const confined = await model(text, { confine: [dir.file('ws/news')] });
    assert.equal(withCode(confined, 'path-outside').length, 1);
    const open = await model(text, { confine: [dir.file('ws/news'), dir.file('ws/lists')] });
    assert.deepEqual(withCode(open, 'path-outside'), []);
  });

  it('the workspace is the folder of the state the rule finds, not the working directory', async () => {
    const before = process.cwd();
    try {
      process.chdir(dir.file('outside'));
      const m = await model(edit(CLEAN, 'targetList:\n', 'attachments: [../../outside/secret.txt]\ntargetList:\n'));
      assert.equal(withCode(m, 'path-outside').length, 1);
    } finally {
      process.chdir(before);
    }
    assert.ok(path.isAbsolute(dir.path));
  });
});
