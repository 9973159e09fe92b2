import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildConfirmModel, NotConfirmableError, toResolvedMailing } from '../../src/core/confirmModel';
import { contentHash } from '../../src/core/contentHash';
import { FileCache } from '../../src/core/load/fileCache';
import { mailingStateDir } from '../../src/core/state/paths';
import { writeTestRecord } from '../../src/core/state/testRecord';
import { at, CLEAN, codes, edit, NOW, TempDir, en, summaryLines } from '../fixtures/core/mailingFixture';

const FULL = `version: 1
name: Spring sale
from: { name: Shop News, email: news@shop.example }
replyTo: help@shop.example
subject: "{{firstName}}, spring is here"
content:
  html: mail/body.html
  text: mail/body.txt
attachments: [mail/prices.txt]
targetList:
  include:
    - file: lists/customers.csv
    - { email: guest@example.org, firstName: Guest }
  exclude:
    - file: lists/unsubscribed.csv
unsubscribe:
  url: https://shop.example/u?e={{email}}
  mailto: unsubscribe@shop.example
test:
  recipients: [me@shop.example, you@shop.example]
schedule: friday 20:00
timezone: Europe/Amsterdam
sending:
  transport: smtp
  rate: 2/second
  connections: 3
`;

const FILES = {
  'mail/body.html': '<p>Hi {{firstName}}</p>',
  'mail/body.txt': 'Hi {{firstName}}',
  'mail/prices.txt': 'prices',
  'lists/customers.csv': 'email,firstName\nann@example.com,Ann\nbob@example.com,Bob\nann@example.com,Ann\n',
  'lists/unsubscribed.csv': 'email\nbob@example.com\n',
};

describe('confirm model', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => dir.remove());

  it('resolves the mailing and summarises every step', async () => {
    const model = await dir.model(FULL, FILES, { smtpConfigured: true });
    assert.equal(model.file, dir.file('m.mailing.yaml'));
    assert.deepEqual(codes(model), ['preheader-missing', 'recipient-duplicate', 'test-not-sent', 'dkim-missing']);
    assert.equal(model.hasErrors, true);
    const m = model.mailing;
    assert.deepEqual([m.name, m.from, m.replyTo, m.subject], ['Spring sale', { name: 'Shop News', email: 'news@shop.example' }, { email: 'help@shop.example' }, '{{firstName}}, spring is here']);
    assert.deepEqual(m.html, { source: '<p>Hi {{firstName}}</p>', file: dir.file('mail/body.html') });
    assert.deepEqual(m.attachments, [{ path: dir.file('mail/prices.txt'), filename: 'prices.txt', size: 6, sha256: createHash('sha256').update('prices').digest('hex') }]);
    assert.deepEqual(
      m.targetList?.recipients.map((r) => r.email),
      ['ann@example.com', 'guest@example.org'],
    );
    assert.deepEqual(m.unsubscribe, { url: 'https://shop.example/u?e={{email}}', mailto: 'unsubscribe@shop.example' });
    assert.deepEqual(m.test, { recipients: ['me@shop.example', 'you@shop.example'] });
    assert.equal(m.timezone, 'Europe/Amsterdam');
    assert.deepEqual(m.sending, { transport: 'smtp', rate: { count: 2, per: 'second' }, connections: 3, attempts: 5, retryDelay: 5000, maxRetryDelay: 600000, maxConsecutiveErrors: 50 });
    assert.equal(model.scheduleAt, '2026-06-12T18:00:00.000Z');
    assert.deepEqual(model.state, { status: 'draft' });
    assert.deepEqual(
      [...model.referencedFiles].sort(),
      ['lists/customers.csv', 'lists/unsubscribed.csv', 'mail/body.html', 'mail/body.txt', 'mail/prices.txt'].map((f) => dir.file(f)),
    );

    const lines = Object.fromEntries(model.steps.map((s) => [s.step, summaryLines(model, s.step)]));
    assert.deepEqual(model.steps.map((s) => [s.step, s.complete, s.errors, s.warnings]), [
      ['file', true, 0, 0],
      ['setup', true, 0, 0],
      ['content', true, 0, 1],
      ['inbox', true, 0, 1],
      ['targetList', true, 0, 1],
      ['test', false, 1, 0],
      ['schedule', true, 0, 0],
      ['transport', true, 0, 0],
      ['state', true, 0, 0],
    ]);
    assert.deepEqual(lines.setup, ['Name: Spring sale', 'From: Shop News <news@shop.example>', 'Reply-To: help@shop.example', 'Subject: {{firstName}}, spring is here']);
    assert.deepEqual(lines.content, [
      'HTML: mail/body.html',
      'Plain text: mail/body.txt',
      'Attachments: prices.txt (6 B)',
      'Merge fields: firstName, email',
      'Unsubscribe: https://shop.example/u?e={{email}}, unsubscribe@shop.example',
    ]);
    assert.deepEqual(lines.inbox, [
      'Links and images: 0 links, 0 images',
      'Largest message: 15 B of HTML (Gmail clips over 102 KB)',
      'Mail clients checked: Gmail, Outlook, Apple Mail, and Yahoo! Mail',
      'Spam score: not scored yet (after a save in VS Code, Check spam score on the Confirm page, or mailings validate --spam)',
    ]);
    assert.deepEqual(lines.targetList, [
      'Recipients: 2 recipients, 2 skipped (1 excluded, 0 invalid, 1 duplicate)',
      'Sources: lists/customers.csv (3 rows), 1 contact',
      'Never mailed (exclusions): lists/unsubscribed.csv (1 row)',
      'Fields: email, firstName',
    ]);
    assert.deepEqual(lines.test, ['Last test: none sent yet', 'Test recipients: me@shop.example, you@shop.example']);
    assert.deepEqual(lines.schedule, ['Schedule in the file: Fri 12 Jun 2026 20:00 CEST, in 2 days (`friday 20:00`)', 'Time zone: Europe/Amsterdam']);
    assert.deepEqual(lines.transport, ['Transport: SMTP server', 'Rate: at most 2 per second (120 per minute)', 'Connections: 3']);
    assert.deepEqual(lines.state, ['Status: draft']);
  });

  it('sorts diagnostics: the mailing file by position, then other files', async () => {
    const text = edit(edit(FULL, 'name: Spring sale\n', ''), 'rate: 2/second', 'rate: soon');
    const model = await dir.model(text, { ...FILES, 'mail/body.txt': 'Hi {{frstName}}' }, { smtpConfigured: true });
    assert.deepEqual(
      model.diagnostics.map((d) => `${d.file ? 'txt' : 'yaml'} ${at(d)} ${d.code}`),
      ['yaml 1:1-1:11 name-missing', 'yaml 1:1-1:11 preheader-missing', 'yaml 11:13-11:32 recipient-duplicate', 'yaml 18:1-18:5 test-not-sent', 'yaml 23:14-23:18 dkim-missing', 'yaml 24:9-24:13 rate-invalid', 'txt 1:4-1:16 merge-field-unknown'],
    );
  });

  it('reads unsaved editor text instead of the file', async () => {
    await dir.write({ 'm.mailing.yaml': 'not: a mailing\n' });
    const model = await buildConfirmModel(dir.file('m.mailing.yaml'), { text: CLEAN, now: NOW });
    assert.deepEqual(codes(model), ['test-not-sent']);
  });

  it('a missing mailing file is one located error', async () => {
    const model = await buildConfirmModel(dir.file('gone.mailing.yaml'), { now: NOW });
    assert.deepEqual(
      model.diagnostics.map((d) => [d.code, d.step, en(d), at(d)]),
      [['file-missing', 'file', 'The mailing file gone.mailing.yaml does not exist', '1:1-1:1']],
    );
    assert.equal(model.hasErrors, true);
    assert.throws(() => toResolvedMailing(model), NotConfirmableError);
  });

  it('toResolvedMailing refuses while there are errors, with a code and the errors', async () => {
    const model = await dir.model(CLEAN);
    assert.throws(
      () => toResolvedMailing(model),
      (error: unknown) => error instanceof NotConfirmableError && error.code === 'not-confirmable' && error.errors.length === 1 && /No test was sent/.test(error.message),
    );
  });

  it('toResolvedMailing gives the mailing to freeze once it has no errors (warnings allowed)', async () => {
    const stateRoot = dir.file('.mailings');
    const cache = new FileCache();
    const first = await dir.model(FULL, FILES, { stateRoot, cache, smtpConfigured: true });
    await writeTestRecord(mailingStateDir(stateRoot, first.file), { version: 1, at: NOW.toISOString(), to: ['me@shop.example'], hash: first.contentHash!, messageIds: [] });
    const model = await buildConfirmModel(first.file, { stateRoot, cache, now: NOW, smtpConfigured: true });
    assert.equal(model.hasErrors, false);
    const resolved = toResolvedMailing(model);
    assert.equal(resolved.name, 'Spring sale');
    assert.equal(resolved.schedule, 'friday 20:00');
    assert.equal(resolved.targetList.recipients.length, 2);
    assert.equal(contentHash(resolved), model.contentHash);
  });

  it('contentHash is stable and covers what recipients see', async () => {
    const a = await dir.model(CLEAN);
    const b = await dir.model(CLEAN);
    assert.equal(a.contentHash, b.contentHash);
    assert.match(a.contentHash!, /^[0-9a-f]{64}$/);
    assert.equal(contentHash({ ...a.mailing }), a.contentHash);
    assert.notEqual(contentHash({ ...a.mailing, subject: 'Other' }), a.contentHash);
    assert.notEqual(contentHash({ ...a.mailing, replyTo: { email: 'x@shop.example' } }), a.contentHash);
    assert.equal(contentHash({ ...a.mailing, name: 'Renamed', schedule: 'tomorrow' }), a.contentHash);
  });

  it('handles 10,000 inline contacts', async () => {
    let text = edit(CLEAN, '    - email: ann@example.com\n      firstName: Ann\n      city: Delft\n', '');
    const contacts: string[] = [];
    for (let i = 0; i < 10_000; i++) contacts.push(`    - email: person${i}@example.com\n      firstName: Person${i}\n      city: Ede\n`);
    text = edit(text, '    - email: bob@example.com', contacts.join('') + '    - email: person17@example.com');
    const model = await dir.model(text);
    assert.deepEqual(codes(model), ['recipient-duplicate', 'test-not-sent']);
    assert.equal(model.mailing.targetList?.recipients.length, 10_000);
    assert.equal(at(model.diagnostics[0]), '30012:14-30012:34');
  });
});
