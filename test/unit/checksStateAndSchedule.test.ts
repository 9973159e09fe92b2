import * as assert from 'node:assert/strict';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { appendJournal } from '../../src/core/state/journal';
import { compactJournal } from '../../src/core/state/journalCompaction';
import { clearJournalCache } from '../../src/core/state/journalReader';
import { CHECKPOINT_FILE, mailingStateDir } from '../../src/core/state/paths';
import { writeTestRecord } from '../../src/core/state/testRecord';
import { at, CLEAN, codes, edit, NOW, TempDir, withCode, en, summaryLines } from '../fixtures/core/mailingFixture';

describe('checks: test', () => {
  let dir: TempDir;
  let stateRoot: string;
  beforeEach(async () => {
    dir = await TempDir.create();
    stateRoot = dir.file('.mailings');
  });
  afterEach(async () => dir.remove());

  it('test-not-sent without a state folder and without a record; on line 1 when there is no `test`', async () => {
    assert.deepEqual(codes(await dir.model(CLEAN, {}, { stateRoot })), ['test-not-sent']);
    const model = await dir.model(edit(CLEAN, 'test:\n  recipients: [me@shop.example]\n', ''), {}, { stateRoot });
    const [d] = withCode(model, 'test-not-sent');
    assert.equal(at(d), '1:1-1:11');
  });

  it('no test diagnostic when the record matches the mailing; test-outdated after an edit', async () => {
    const first = await dir.model(CLEAN, {}, { stateRoot });
    const stateDir = mailingStateDir(stateRoot, dir.file('m.mailing.yaml'));
    await writeTestRecord(stateDir, { version: 1, at: '2026-06-10T09:00:00.000Z', to: ['me@shop.example'], hash: first.contentHash!, messageIds: ['<a@shop.example>'] });
    const tested = await dir.model(CLEAN, {}, { stateRoot });
    assert.deepEqual(codes(tested), []);
    assert.equal(tested.hasErrors, false);
    assert.equal(tested.test?.hash, first.contentHash);
    assert.equal(summaryLines(tested, 'test')[0], 'Last test: Wed 10 Jun 2026 11:00 CEST, 3 hours ago, to me@shop.example');

    const edited = await dir.model(edit(CLEAN, 'subject: Hello', 'subject: Hi'), {}, { stateRoot });
    const [d] = withCode(edited, 'test-outdated');
    assert.equal(d.severity, 'error');
    assert.equal(at(d), '20:1-20:5');
    assert.equal(en(d), 'Changed since the last test (Wed 10 Jun 2026 11:00 CEST, 3 hours ago, to me@shop.example): send a new test');
  });

  it('what outdates a test: content, From, attachments; not the target list or the schedule', async () => {
    await dir.write({ 'a.txt': 'one' });
    const base = edit(CLEAN, 'targetList:', 'attachments: [a.txt]\ntargetList:');
    const first = await dir.model(base, {}, { stateRoot });
    await writeTestRecord(mailingStateDir(stateRoot, dir.file('m.mailing.yaml')), { version: 1, at: NOW.toISOString(), to: ['me@shop.example'], hash: first.contentHash!, messageIds: [] });
    const outdated = async (text: string) => withCode(await dir.model(text, {}, { stateRoot }), 'test-outdated').length === 1;
    assert.equal(await outdated(base), false);
    assert.equal(await outdated(edit(base, 'firstName: Bob', 'firstName: Robert')), false);
    assert.equal(await outdated(base + 'schedule: tomorrow 20:00\n'), false);
    assert.equal(await outdated(edit(base, 'Shop News <', 'Shop <')), true);
    assert.equal(await outdated(edit(base, '<p>Hello', '<p>Hi')), true);
    assert.equal(await outdated(edit(base, 'https://shop.example/u', 'https://shop.example/unsubscribe')), true);
    await dir.write({ 'a.txt': 'two' });
    assert.equal(await outdated(base), true);
  });

  it('test-recipients-missing (warning) without test addresses; recipient-invalid for a bad one', async () => {
    const model = await dir.model(edit(CLEAN, 'recipients: [me@shop.example]', 'recipients: [me@shop]'));
    const [missing] = withCode(model, 'test-recipients-missing');
    assert.equal(missing.severity, 'warning');
    assert.equal(at(missing), '20:1-20:5');
    assert.deepEqual(missing.data, { missingKey: 'recipients', parentPath: ['test'] });
    const [invalid] = withCode(model, 'recipient-invalid');
    assert.equal(invalid.step, 'test');
    assert.equal(at(invalid), '21:16-21:23');
    const none = await dir.model(edit(CLEAN, 'test:\n  recipients: [me@shop.example]\n', ''));
    assert.deepEqual(withCode(none, 'test-recipients-missing')[0].data, { missingKey: 'test', parentPath: [] });
  });
});

describe('checks: schedule', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => dir.remove());

  it('resolves the schedule in the mailing zone; an evening time gives no warning', async () => {
    const model = await dir.model(CLEAN + 'schedule: tomorrow 19:00\n');
    assert.deepEqual(codes(model), ['test-not-sent']);
    assert.equal(model.scheduleAt, '2026-06-11T17:00:00.000Z');
    assert.equal(summaryLines(model, 'schedule')[0], 'Schedule in the file: Thu 11 Jun 2026 19:00 CEST, in 1 day (`tomorrow 19:00`)');
  });

  it('schedule-invalid on the value, with a hint', async () => {
    const [d] = withCode(await dir.model(CLEAN + 'schedule: some day soon\n'), 'schedule-invalid');
    assert.equal(at(d), '24:11-24:24');
    assert.match(en(d), /^Schedule: .*try 'tomorrow 19:00'/);
  });

  it('schedule-past for a moment in the past', async () => {
    const model = await dir.model(CLEAN + 'schedule: 2026-06-01 19:00\n');
    const [d] = withCode(model, 'schedule-past');
    assert.equal(at(d), '24:11-24:27');
    assert.equal(en(d), 'Schedule `2026-06-01 19:00` is in the past (Mon 1 Jun 2026 19:00 CEST, 9 days ago): pick a later moment');
  });

  it('schedule-working-hours warns for a time inside working hours (the window is an option)', async () => {
    const model = await dir.model(CLEAN + 'schedule: tomorrow 10:00\n');
    const [d] = withCode(model, 'schedule-working-hours');
    assert.equal(d.severity, 'warning');
    assert.equal(at(d), '24:11-24:25');
    const night = await dir.model(CLEAN + 'schedule: tomorrow 10:00\n', {}, { workingHours: { days: [1, 2, 3, 4, 5], start: '00:00', end: '06:00' } });
    assert.deepEqual(withCode(night, 'schedule-working-hours'), []);
  });

  it('timezone-invalid on the value with the nearest zone; the schedule is then read in the default zone', async () => {
    const model = await dir.model(edit(CLEAN, 'timezone: Europe/Amsterdam', 'timezone: Europe/Amsterdm') + 'schedule: tomorrow 19:00\n');
    const [d] = withCode(model, 'timezone-invalid');
    assert.equal(at(d), '22:11-22:26');
    assert.deepEqual(d.data, { suggestion: 'Europe/Amsterdam' });
    assert.equal(model.mailing.timezone, 'UTC');
    assert.equal(model.scheduleAt, '2026-06-11T19:00:00.000Z');
    assert.deepEqual(withCode(model, 'schedule-invalid'), []);
  });
});

describe('checks: transport', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => dir.remove());

  it('transport-unconfigured for smtp without a configured server; fine with one', async () => {
    const text = CLEAN + 'sending:\n  transport: smtp\n';
    const [d] = withCode(await dir.model(text), 'transport-unconfigured');
    assert.equal(at(d), '25:14-25:18');
    assert.equal(d.step, 'transport');
    // Configured, SMTP still lacks DKIM signing: the Inbox step says so.
    assert.deepEqual(codes(await dir.model(text, {}, { smtpConfigured: true })), ['test-not-sent', 'dkim-missing']);
    assert.deepEqual(codes(await dir.model(CLEAN + 'sending:\n  transport: outbox\n')), ['test-not-sent']);
  });

  it('rate-invalid on the value; a valid rate is parsed', async () => {
    const [d] = withCode(await dir.model(CLEAN + 'sending:\n  rate: fast\n'), 'rate-invalid');
    assert.equal(at(d), '25:9-25:13');
    assert.deepEqual(withCode(await dir.model(CLEAN + 'sending:\n  rate: 0/minute\n'), 'rate-invalid').length, 1);
    const model = await dir.model(CLEAN + 'sending:\n  rate: 10 / sec\n');
    assert.deepEqual(model.mailing.sending.rate, { count: 10, per: 'second' });
  });

  it('an invalid bounce address and a missing DKIM key are errors of the transport step', async () => {
    const model = await dir.model(CLEAN + 'sending:\n  bounceAddress: bounces@\n  dkim:\n    domain: shop.example\n    selector: s1\n    privateKey: keys/dkim.pem\n');
    assert.deepEqual(
      model.diagnostics.filter((d) => d.step === 'transport').map((d) => [d.code, at(d)]),
      [
        ['schema', '25:18-25:26'],
        ['file-missing', '29:17-29:30'],
      ],
    );
  });

  it('sending defaults come from the schema, times in ms', async () => {
    const model = await dir.model(CLEAN);
    assert.deepEqual(model.mailing.sending, { transport: 'outbox', connections: 5, attempts: 5, retryDelay: 5000, maxRetryDelay: 600000, maxConsecutiveErrors: 50 });
    const tuned = await dir.model(CLEAN + 'sending:\n  connections: 2\n  attempts: 3\n  retryDelay: 1.5\n  maxRetryDelay: 60\n  maxConsecutiveErrors: 9\n  bounceAddress: bounces@shop.example\n');
    assert.deepEqual(tuned.mailing.sending, {
      transport: 'outbox',
      connections: 2,
      attempts: 3,
      retryDelay: 1500,
      maxRetryDelay: 60000,
      maxConsecutiveErrors: 9,
      bounceAddress: 'bounces@shop.example',
    });
  });
});

describe('checks: state', () => {
  let dir: TempDir;
  let stateRoot: string;
  beforeEach(async () => {
    dir = await TempDir.create();
    stateRoot = dir.file('.mailings');
  });
  afterEach(async () => dir.remove());

  async function confirm(hash: string): Promise<void> {
    const stateDir = mailingStateDir(stateRoot, dir.file('m.mailing.yaml'));
    const t = NOW.getTime() - 60_000;
    await appendJournal(stateDir, { e: 'confirmed', t, hash, total: 2, skipped: { invalid: 0, duplicate: 0, excluded: 0 } }, { e: 'scheduled', t, at: '2026-06-11T17:00:00.000Z' });
  }

  it('changed-since-confirm (warning, line 1) when a scheduled mailing changed; not when unchanged', async () => {
    const first = await dir.model(CLEAN, {}, { stateRoot });
    await confirm(first.contentHash!);
    const same = await dir.model(CLEAN, {}, { stateRoot });
    assert.equal(same.state.status, 'scheduled');
    assert.deepEqual(withCode(same, 'changed-since-confirm'), []);
    const changed = await buildConfirmModel(dir.file('m.mailing.yaml'), { now: NOW, stateRoot, text: edit(CLEAN, 'subject: Hello', 'subject: Hi') });
    const [d] = withCode(changed, 'changed-since-confirm');
    assert.equal(d.severity, 'warning');
    assert.equal(d.step, 'state');
    assert.equal(at(d), '1:1-1:11');
    assert.equal(en(d), 'Changed since it was scheduled: the confirmed version is what is sent; to send this version instead, stop it and confirm again');
  });

  it('state-unreadable (error, line 1) when the journal names an archive that is gone: no draft, nothing to send', async () => {
    const first = await dir.model(CLEAN, {}, { stateRoot });
    assert.deepEqual(withCode(first, 'state-unreadable'), []);
    await confirm(first.contentHash!);
    const stateDir = mailingStateDir(stateRoot, dir.file('m.mailing.yaml'));
    await compactJournal(stateDir, 'test');
    clearJournalCache();
    assert.equal((await dir.model(CLEAN, {}, { stateRoot })).state.status, 'scheduled', 'a compacted journal reads as it was');
    const archive = (await fs.readdir(stateDir)).find((name) => name.endsWith('.jsonl.gz'))!;
    await fs.rm(path.join(stateDir, archive));
    await fs.rm(path.join(stateDir, CHECKPOINT_FILE));
    clearJournalCache();
    const model = await dir.model(CLEAN, {}, { stateRoot });
    const [d] = withCode(model, 'state-unreadable');
    assert.equal(d.severity, 'error');
    assert.equal(d.step, 'state');
    assert.equal(at(d), '1:1-1:11');
    assert.match(en(d), new RegExp(`^The send state of this mailing cannot be read \\(.*${archive.replace(/\./g, '\\.')}: it is missing; it holds the start of the mailing's journal \\(who was sent\\): restore it\\): who was already sent cannot be told`));
    assert.equal(model.hasErrors, true);
  });

  it('a past schedule is not an error once the mailing is confirmed', async () => {
    const text = CLEAN + 'schedule: 2026-06-01 19:00\n';
    const draft = await dir.model(text, {}, { stateRoot });
    assert.equal(withCode(draft, 'schedule-past').length, 1);
    await confirm(draft.contentHash!);
    assert.deepEqual(withCode(await dir.model(text, {}, { stateRoot }), 'schedule-past'), []);
  });
});
