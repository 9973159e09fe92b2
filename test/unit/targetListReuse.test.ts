// Re-validation after an edit of the YAML reuses what only the target list decides (load/targetList.ts
// assembleTargetList, inbox/mergeValues.ts, inbox/clipping.ts largestHtml): for a 1M list these were
// most of a validation on the extension host's thread. Reused or not, a model is the one a fresh
// build (a new file cache: nothing to reuse) gives, whatever was edited: the subject, an inline
// contact, the CSV, the exclusions, the HTML's fields.
import * as assert from 'node:assert/strict';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { FileCache } from '../../src/core/load/fileCache';
import { assembleTargetList, newSource } from '../../src/core/load/targetList';
import type { ConfirmModel } from '../../src/core/types';
import { CLEAN, edit, NOW, TempDir } from '../fixtures/core/mailingFixture';

// The fixture's clean mailing, with a CSV list (a duplicate row, an invalid one, an empty first name),
// one inline contact and an exclusion list instead of its two contacts.
const MAILING = edit(
  CLEAN,
  '    - email: ann@example.com\n      firstName: Ann\n      city: Delft\n    - email: bob@example.com\n      firstName: Bob\n      city: Breda\n',
  '    - file: list.csv\n    - email: zoe@example.com\n      firstName: Zoë\n      city: Zwolle\n  exclude:\n    - file: out.csv\n',
);

const LIST = 'email,firstName,city\nann@example.com,Ann,Delft\nbob@example.com,,Breda\nann@example.com,Ann again,Delft\nnot-an-address,X,Y\ncarl@example.com,Carl,Amsterdam Amsterdam Amsterdam\ndora@example.com,Dora,Doorn\n';

describe('target list reuse across validations', () => {
  let dir: TempDir;
  let cache: FileCache;
  beforeEach(async () => {
    dir = await TempDir.create();
    cache = new FileCache();
    await dir.write({ 'list.csv': LIST, 'out.csv': 'email\ndora@example.com\n' });
  });
  afterEach(async () => {
    await dir.remove();
  });

  async function build(text: string, files: Record<string, string> = {}): Promise<{ reused: ConfirmModel; fresh: ConfirmModel }> {
    await dir.write({ 'm.mailing.yaml': text, ...files });
    const options = { now: NOW, defaultTimezone: 'UTC' };
    const reused = await buildConfirmModel(dir.file('m.mailing.yaml'), { ...options, cache });
    const fresh = await buildConfirmModel(dir.file('m.mailing.yaml'), { ...options, cache: new FileCache() });
    return { reused, fresh };
  }

  function same({ reused, fresh }: { reused: ConfirmModel; fresh: ConfirmModel }): void {
    assert.deepEqual(reused.diagnostics, fresh.diagnostics);
    assert.deepEqual(reused.mailing.targetList, fresh.mailing.targetList);
    assert.deepEqual(reused.steps, fresh.steps);
  }

  const listOf = (model: ConfirmModel) => model.mailing.targetList;
  const emails = (model: ConfirmModel) => listOf(model)?.recipients.map((r) => r.email);
  const codes = (model: ConfirmModel) => model.diagnostics.map((d) => d.code).sort();

  it('an edit of the subject reuses the list, and the model is the fresh one', async () => {
    const first = await build(MAILING);
    same(first);
    assert.deepEqual(emails(first.reused), ['ann@example.com', 'bob@example.com', 'carl@example.com', 'zoe@example.com']);
    assert.ok(codes(first.reused).includes('merge-value-empty'), codes(first.reused).join());
    const second = await build(edit(MAILING, 'subject: Hello {{firstName}}', 'subject: Hi {{firstName}}!'));
    same(second);
    assert.equal(listOf(second.reused), listOf(first.reused), 'the very list of the last validation');
    assert.deepEqual(codes(second.reused), codes(first.reused), 'duplicate, invalid and empty-value findings as before');
  });

  it('an edit of an inline contact, the CSV or the exclusions makes a new list', async () => {
    const first = await build(MAILING);
    const contact = await build(edit(MAILING, 'firstName: Zoë', 'firstName: ""'));
    same(contact);
    assert.notEqual(listOf(contact.reused), listOf(first.reused));
    const emptyCount = (model: ConfirmModel) => JSON.stringify(model.diagnostics.filter((d) => d.code === 'merge-value-empty').map((d) => d.args));
    assert.notEqual(emptyCount(contact.reused), emptyCount(first.reused), 'Zoë has no first name now: counted');

    const csv = await build(MAILING, { 'list.csv': LIST.replace('ann@example.com,Ann again,Delft\n', '') });
    same(csv);
    assert.notEqual(listOf(csv.reused), listOf(first.reused));
    assert.deepEqual(listOf(csv.reused)?.skipped, { ...listOf(first.reused)?.skipped, duplicate: 0 }, 'the duplicate row is gone');

    const excludes = await build(edit(MAILING, '  exclude:\n    - file: out.csv\n', ''));
    same(excludes);
    assert.ok(emails(excludes.reused)?.includes('dora@example.com'), 'no exclusions: Dora is mailed');
    const back = await build(MAILING);
    same(back);
    assert.ok(!emails(back.reused)?.includes('dora@example.com'));
  });

  it('an edit of the HTML that uses other fields judges the empty values and the largest message again', async () => {
    await build(MAILING);
    const other = await build(edit(MAILING, '<p>Hello {{firstName}}, from {{city}}</p>', '<p>Hello from {{city}} {{city}} {{city}}</p>'));
    same(other);
    const withDefault = await build(edit(MAILING, '<p>Hello {{firstName}}, from {{city}}</p>', '<p>Hello {{firstName | "reader"}}, from {{city}}</p>'));
    same(withDefault);
  });

  it('a big list is assembled in slices: the thread turns between them', async () => {
    const count = 100_000;
    const recipients = Array.from({ length: count }, (_, i) => ({ email: `r${i}@example.com`, fields: { email: `r${i}@example.com` } }));
    const table = { delimiter: ',' as const, columns: ['email'], emailColumn: 0, fields: ['email'], rows: count, recipients, keys: recipients.map((r) => r.email), lines: recipients.map((_, i) => i + 2), invalid: [], ragged: [], duplicateColumns: [], oversized: [], tooWide: [], notUtf8: [], controlStripped: [] };
    const include = { ...newSource('include', ['targetList', 'include', 0], 'file'), file: '/list.csv', table };
    const exclude = { ...newSource('exclude', ['targetList', 'exclude', 0], 'file'), file: '/out.csv', table: { ...table, recipients: recipients.slice(0, 10), keys: table.keys.slice(0, 10), rows: 10 } };
    let turns = 0;
    let done = false;
    const turn = () => {
      if (done) return;
      turns++;
      setImmediate(turn);
    };
    setImmediate(turn);
    const list = await assembleTargetList([include], [exclude]);
    done = true;
    assert.equal(list.recipients.length, count - 10);
    assert.ok(turns >= 3, `the event loop turned ${turns} times during the assembly of ${count} rows`);
  });
});
