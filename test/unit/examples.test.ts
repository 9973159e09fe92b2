import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildConfirmModel, toResolvedMailing } from '../../src/core/confirmModel';
import { mailingStateDir } from '../../src/core/state/paths';
import { writeTestRecord } from '../../src/core/state/testRecord';
import type { DiagnosticCode } from '../../src/core/types';
import { NOW, TempDir, en } from '../fixtures/core/mailingFixture';

// out/test/unit -> the repository root
const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples');

describe('examples', () => {
  it('the newsletter validates with only test-not-sent as error (and the two CSV warnings it shows off)', async () => {
    const model = await buildConfirmModel(path.join(EXAMPLES, 'newsletter', 'newsletter.mailing.yaml'), { now: NOW });
    assert.deepEqual(
      model.diagnostics.map((d) => [d.severity, d.code]),
      [
        ['warning', 'recipient-duplicate'],
        ['warning', 'recipient-invalid'],
        ['error', 'test-not-sent'],
      ],
    );
    assert.match(en(model.diagnostics[0]), /\(row 36\)/);
    assert.match(en(model.diagnostics[1]), /row 27 `sanne\.visser@examplecom`/);
    const list = model.mailing.targetList!;
    assert.equal(list.recipients.length, 37);
    assert.deepEqual(list.skipped, { excluded: 2, invalid: 1, duplicate: 1 });
    assert.equal(model.mailing.timezone, 'Europe/Amsterdam');
    assert.equal(model.mailing.sending.transport, 'outbox');
    assert.ok(model.scheduleAt && new Date(model.scheduleAt).getTime() > NOW.getTime());
  });

  it('once tested, the newsletter can be confirmed', async () => {
    const dir = await TempDir.create();
    try {
      const file = path.join(EXAMPLES, 'newsletter', 'newsletter.mailing.yaml');
      const stateRoot = dir.file('.mailings');
      const untested = await buildConfirmModel(file, { now: NOW, stateRoot });
      await writeTestRecord(mailingStateDir(stateRoot, file), { version: 1, at: NOW.toISOString(), to: ['editor@northwind.example'], hash: untested.contentHash!, messageIds: [] });
      const model = await buildConfirmModel(file, { now: NOW, stateRoot });
      assert.equal(model.hasErrors, false);
      assert.equal(toResolvedMailing(model).targetList.recipients.length, 37);
    } finally {
      await dir.remove();
    }
  });

  it('the broken mailing shows off most codes, and still parses', async () => {
    const model = await buildConfirmModel(path.join(EXAMPLES, 'broken', 'broken.mailing.yaml'), { now: NOW });
    const found = new Set(model.diagnostics.map((d) => d.code));
    const expected: DiagnosticCode[] = [
      'schema',
      'name-missing',
      'subject-missing',
      'from-invalid',
      'reply-to-invalid',
      'file-missing',
      'merge-field-unknown',
      'merge-syntax',
      'text-part-missing',
      'csv-email-column-missing',
      'recipient-invalid',
      'unsubscribe-not-https',
      'test-not-sent',
      'test-recipients-missing',
      'schedule-past',
      'timezone-invalid',
      'rate-invalid',
    ];
    assert.deepEqual(expected.filter((code) => !found.has(code)), []);
    assert.equal(found.has('yaml-syntax'), false);
    const unknown = model.diagnostics.find((d) => d.code === 'merge-field-unknown' && d.file)!;
    assert.equal(path.basename(unknown.file!), 'broken.html');
    assert.deepEqual(unknown.data, { field: 'frstName', suggestion: 'firstName' });
  });
});
