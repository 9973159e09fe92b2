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
  it('the newsletter validates with only test-not-sent as error (and the two CSV warnings and the Outlook one it shows off)', async () => {
    const model = await buildConfirmModel(path.join(EXAMPLES, 'newsletter', 'newsletter.mailing.yaml'), { now: NOW });
    assert.deepEqual(
      model.diagnostics.map((d) => [d.severity, d.code]),
      [
        ['warning', 'recipient-duplicate'],
        ['warning', 'recipient-invalid'],
        ['error', 'test-not-sent'],
        ['warning', 'client-unsupported'],
      ],
    );
    // Its rounded button: square corners in Outlook for Windows, a warning of the Inbox step in the HTML file.
    assert.equal(en(model.diagnostics[3]), 'border-radius is not supported by Outlook (Windows, Windows Mail): see https://www.caniemail.com/features/css-border-radius/');
    assert.equal(model.diagnostics[3].file, path.join(EXAMPLES, 'newsletter', 'newsletter.html'));
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

  it('the MJML announcement compiles (with its include and preheader) and validates with only test-not-sent as error', async function () {
    // Its first compilation loads mjml.
    this.timeout(30_000);
    const model = await buildConfirmModel(path.join(EXAMPLES, 'mjml', 'announcement.mailing.yaml'), { now: NOW });
    assert.deepEqual(
      model.diagnostics.map((d) => [d.severity, d.code]),
      [
        ['info', 'text-part-missing'],
        ['error', 'test-not-sent'],
      ],
    );
    const html = model.mailing.html!;
    assert.equal(html.file, path.join(EXAMPLES, 'mjml', 'announcement.mjml'));
    assert.ok(html.source.includes('Northwind Books') && html.source.includes('Dear {{firstName}},'), 'the header include and the body are compiled in');
    assert.equal(model.mailing.preheader, 'Thursday 4 December, 19:30 at the shop in {{city}}. Coffee is on us.');
    assert.ok(model.referencedFiles.includes(path.join(EXAMPLES, 'mjml', 'partials', 'header.mjml')), 'an edit of the include revalidates the mailing');
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
      'link-local',
      'link-insecure',
      'image-alt-missing',
      'image-missing',
    ];
    assert.deepEqual(expected.filter((code) => !found.has(code)), []);
    assert.equal(found.has('yaml-syntax'), false);
    const unknown = model.diagnostics.find((d) => d.code === 'merge-field-unknown' && d.file)!;
    assert.equal(path.basename(unknown.file!), 'broken.html');
    assert.deepEqual(unknown.data, { field: 'frstName', suggestion: 'firstName' });
  });
});
