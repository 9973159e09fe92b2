import * as assert from 'node:assert/strict';
import { at, CLEAN, codes, edit, TempDir, withCode, en, summaryLines } from '../fixtures/core/mailingFixture';

const TARGETS = `targetList:
  include:
    - email: ann@example.com
      firstName: Ann
      city: Delft
    - email: bob@example.com
      firstName: Bob
      city: Breda
`;

/** CLEAN with another target list (starting on line 10). */
function targets(text: string): string {
  return edit(CLEAN, TARGETS, text);
}

/** A CSV with the columns the CLEAN content uses. */
function csv(...rows: string[]): string {
  return ['email,firstName,city', ...rows].join('\n') + '\n';
}

describe('checks: target list', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => dir.remove());

  it('target-list-empty on line 1 without a target list', async () => {
    const [d] = withCode(await dir.model(targets('')), 'target-list-empty');
    assert.equal(at(d), '1:1-1:11');
    assert.deepEqual(d.data, { missingKey: 'targetList', parentPath: [] });
  });

  it('target-list-empty on `targetList` without `include`', async () => {
    const model = await dir.model(targets('targetList:\n  exclude: []\n'));
    const [d] = withCode(model, 'target-list-empty');
    assert.equal(at(d), '10:1-10:11');
    assert.deepEqual(d.data, { missingKey: 'include', parentPath: ['targetList'] });
    assert.deepEqual(withCode(model, 'schema'), []);
  });

  it('target-list-empty on `include` when every address is excluded, with the counts', async () => {
    const model = await dir.model(edit(CLEAN, 'unsubscribe:', '  exclude:\n    - email: ANN@example.com\n    - file: gone.csv\nunsubscribe:'), {});
    // While an exclusion list cannot be read nothing is concluded about emptiness...
    assert.deepEqual(withCode(model, 'target-list-empty'), []);
    assert.equal(at(withCode(model, 'file-missing')[0]), '20:13-20:21');
    await dir.write({ 'gone.csv': 'email\nbob@example.com\n' });
    const all = await dir.model(edit(CLEAN, 'unsubscribe:', '  exclude:\n    - email: ANN@example.com\n    - file: gone.csv\nunsubscribe:'));
    const [d] = withCode(all, 'target-list-empty');
    assert.equal(at(d), '11:3-11:10');
    assert.equal(en(d), 'Target list is empty: all 2 addresses are skipped (2 excluded, 0 invalid, 0 duplicate)');
    assert.deepEqual(all.mailing.targetList?.skipped, { invalid: 0, duplicate: 0, excluded: 2 });
  });

  it('target-list-empty for an empty include list, and for a CSV with only a header', async () => {
    assert.equal(at(withCode(await dir.model(targets('targetList:\n  include: []\n')), 'target-list-empty')[0]), '11:3-11:10');
    const model = await dir.model(targets('targetList:\n  include:\n    - file: people.csv\n'), { 'people.csv': csv() });
    assert.equal(en(withCode(model, 'target-list-empty')[0]), 'Target list is empty: no recipient in its sources');
  });

  it('csv-email-column-missing on the `file:` value, naming the columns and the likely one', async () => {
    const model = await dir.model(targets('targetList:\n  include:\n    - file: people.csv\n'), { 'people.csv': 'E-mail address,firstName,city\nann@example.com,Ann,Delft\n' });
    const [d] = withCode(model, 'csv-email-column-missing');
    assert.equal(at(d), '12:13-12:23');
    assert.equal(en(d), 'people.csv has no `email` column (columns: E-mail address, firstName, city); if `E-mail address` holds the addresses, rename it to `email`');
    assert.deepEqual(withCode(model, 'target-list-empty'), []);
  });

  it('csv-email-column-missing for an empty CSV file', async () => {
    const [d] = withCode(await dir.model(targets('targetList:\n  include:\n    - file: people.csv\n'), { 'people.csv': '' }), 'csv-email-column-missing');
    assert.equal(en(d), 'people.csv is empty: it needs a header row with an `email` column');
  });

  it('an `Email` or `E-mail` header is the address column (field `email`)', async () => {
    const model = await dir.model(targets('targetList:\n  include:\n    - file: people.csv\n'), { 'people.csv': 'city;E-Mail;firstName\nDelft;ann@example.com;Ann\n' });
    assert.deepEqual(codes(model), ['test-not-sent']);
    assert.deepEqual(model.mailing.targetList?.recipients[0].fields, { city: 'Delft', email: 'ann@example.com', firstName: 'Ann' });
  });

  it('csv-invalid (error) for an unclosed quote, with the row where it opens', async () => {
    const model = await dir.model(targets('targetList:\n  include:\n    - file: people.csv\n'), { 'people.csv': csv('ann@example.com,Ann,Delft', 'bob@example.com,"Bob,Breda', 'cy@example.com,Cy,Ede') });
    const [d] = withCode(model, 'csv-invalid');
    assert.equal(d.severity, 'error');
    assert.equal(at(d), '12:13-12:23');
    assert.match(en(d), /^people\.csv, row 3: Quote Not Closed/);
  });

  it('csv-invalid (warning) for rows with a wrong number of fields and for a repeated column', async () => {
    const model = await dir.model(targets('targetList:\n  include:\n    - file: people.csv\n'), {
      'people.csv': 'email,firstName,city,city\nann@example.com,Ann,Delft,x\nbob@example.com,Bob\ncy@example.com,Cy,Ede,x,extra\n',
    });
    const found = withCode(model, 'csv-invalid');
    assert.deepEqual(
      found.map((d) => [d.severity, en(d)]),
      [
        ['warning', 'people.csv: 2 rows have a different number of fields than the header (rows 3, 4); check for a missing or extra `,`'],
        ['warning', 'people.csv: column `city` appears more than once; the first is used'],
      ],
    );
    assert.equal(model.mailing.targetList?.recipients.length, 3);
  });

  it('recipient-invalid: CSV rows counted, the first few listed with their row numbers', async () => {
    const rows = ['ann@example.com,Ann,Delft', 'x@,X,Y', ',Nobody,Z', 'a b@example.com,A,B', 'c@example,C,D', 'd@@example.com,D,E', 'e@.example.com,E,F', 'f@example.c,F,G'];
    const model = await dir.model(targets('targetList:\n  include:\n    - file: people.csv\n'), { 'people.csv': csv(...rows) });
    const [d] = withCode(model, 'recipient-invalid');
    assert.equal(d.severity, 'warning');
    assert.equal(at(d), '12:13-12:23');
    assert.equal(en(d), 'people.csv: 7 rows have an invalid address and are skipped (rows 3 `x@`, 4 (empty), 5 `a b@example.com`, 6 `c@example`, 7 `d@@example.com` and 2 more)');
    assert.equal(model.mailing.targetList?.skipped.invalid, 7);
    assert.equal(model.mailing.targetList?.recipients.length, 1);
  });

  it('recipient-invalid for an inline contact, on its address', async () => {
    const model = await dir.model(edit(CLEAN, 'email: bob@example.com', 'email: bob@example'));
    const [d] = withCode(model, 'recipient-invalid');
    assert.equal(at(d), '15:14-15:25');
    assert.equal(en(d), '`bob@example` is not a valid address: this contact is skipped');
  });

  it('recipient-duplicate: the first occurrence is kept, case does not matter, rows are listed', async () => {
    const model = await dir.model(
      targets('targetList:\n  include:\n    - file: people.csv\n    - email: Ann@Example.com\n      firstName: Ann\n      city: Delft\n'),
      { 'people.csv': csv('ann@example.com,Ann,Delft', 'bob@example.com,Bob,Breda', 'ANN@example.com,Ann,Delft', 'bob@example.com,Bob,Breda') },
    );
    const found = withCode(model, 'recipient-duplicate');
    assert.deepEqual(found.map(at), ['12:13-12:23', '13:14-13:29']);
    assert.equal(en(found[0]), 'people.csv: 2 addresses are already on the list and skipped (rows 4, 5); one message per address');
    assert.equal(en(found[1]), '`Ann@Example.com` is already on the target list: it gets one message');
    assert.deepEqual(
      model.mailing.targetList?.recipients.map((r) => r.email),
      ['ann@example.com', 'bob@example.com'],
    );
    assert.deepEqual(model.mailing.targetList?.skipped, { invalid: 0, duplicate: 3, excluded: 0 });
  });

  it('exclusions: a CSV (any case) and inline addresses; a CSV without email column is an error', async () => {
    const text = targets(
      'targetList:\n  include:\n    - file: people.csv\n  exclude:\n    - file: unsubscribed.csv\n    - email: cy@example.com\n    - file: broken.csv\n',
    );
    const model = await dir.model(text, {
      'people.csv': csv('ann@example.com,Ann,Delft', 'bob@example.com,Bob,Breda', 'cy@example.com,Cy,Ede', 'dee@example.com,Dee,Ede'),
      'unsubscribed.csv': 'email;date\nBOB@EXAMPLE.COM;2025-01-01\n',
      'broken.csv': 'address\nann@example.com\n',
    });
    assert.deepEqual(
      model.mailing.targetList?.recipients.map((r) => r.email),
      ['ann@example.com', 'dee@example.com'],
    );
    assert.equal(model.mailing.targetList?.skipped.excluded, 2);
    const [d] = withCode(model, 'csv-email-column-missing');
    assert.equal(at(d), '16:13-16:23');
  });

  it('summarises the list: recipients, skipped with reasons, sources', async () => {
    const model = await dir.model(
      targets('targetList:\n  include:\n    - file: people.csv\n    - email: zed@example.com\n      firstName: Zed\n      city: Ede\n  exclude:\n    - email: bob@example.com\n'),
      { 'people.csv': csv('ann@example.com,Ann,Delft', 'bob@example.com,Bob,Breda', 'bad,X,Y', 'ann@example.com,Ann,Delft') },
    );
    const step = model.steps.find((s) => s.step === 'targetList')!;
    assert.deepEqual(summaryLines(model, 'targetList').slice(0, 3), ['Recipients: 2 recipients, 3 skipped (1 excluded, 1 invalid, 1 duplicate)', 'Sources: people.csv (4 rows), 1 contact', 'Never mailed (exclusions): 1 contact']);
    assert.equal(step.complete, true);
    assert.equal(step.warnings, 2);
    assert.deepEqual(
      model.mailing.targetList?.sources.map((s) => [s.kind, s.rows, s.invalid, s.duplicate]),
      [
        ['file', 4, 1, 1],
        ['inline', 1, 0, 0],
      ],
    );
  });
});
