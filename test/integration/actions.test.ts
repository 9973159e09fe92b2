// The actions API: the state machine of src/core/actions.ts enforced against the state on
// disk, with the outbox transport (no server needed).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { simpleParser } from 'mailparser';
import {
  exportRecipientLogCsv,
  getRecipientLog,
  getStatistics,
  listMailingStates,
  MailingActionError,
  markMissed,
  scheduleMailing,
  sendNow,
  sendTest,
  startMailing,
  stopMailing,
} from '../../src/core/actions';
import { mailingEvents } from '../../src/core/send/events';
import { mailingStateDir, outboxDir } from '../../src/core/state/paths';
import { readSnapshot } from '../../src/core/state/snapshot';
import { readTestRecord } from '../../src/core/state/testRecord';
import type { MailingStatus, ResolvedMailing, SendContext, Statistics } from '../../src/core/types';
import { diagnostic, makeMailing, modelFor, recipients, tempDir } from '../support/resolvedMailings';

async function refused(promise: Promise<unknown>, code: string, status: MailingStatus): Promise<MailingActionError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof MailingActionError, `expected a refusal ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.status, status, caught.message);
  return caught;
}

describe('actions', function () {
  this.timeout(60_000);
  let dir: string;
  let ctx: SendContext;
  let mailing: ResolvedMailing;

  beforeEach(async () => {
    dir = await tempDir('mailings-actions-');
    ctx = { stateRoot: path.join(dir, '.mailings'), owner: 'the test' };
    mailing = await makeMailing({ dir, recipients: recipients(12), attachments: { 'list.txt': 'original' } });
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('test send: allowed while only the test step has errors; records the test; refused with other errors', async () => {
    const record = await sendTest(modelFor(mailing, [diagnostic('test-not-sent', 'test')]), ctx);
    assert.deepEqual(record.to, ['me@acme.example']);
    assert.equal(record.hash, modelFor(mailing).contentHash);
    assert.deepEqual(await readTestRecord(mailingStateDir(ctx.stateRoot, mailing.file)), record);
    const testDir = path.join(outboxDir(ctx.stateRoot, mailing.file), 'test');
    const [file] = await fs.readdir(testDir);
    const parsed = await simpleParser(await fs.readFile(path.join(testDir, file)));
    assert.equal(parsed.subject, '[TEST] First0, our November news');
    assert.equal(parsed.messageId, record.messageIds[0]);
    assert.equal((parsed.to as { text: string }).text, 'me@acme.example');
    assert.ok(String(parsed.html).includes('News for r0@example.test.'), 'the first row’s fields');
    assert.deepEqual(await listMailingStates(ctx.stateRoot), [{ file: mailing.file, stateDir: mailingStateDir(ctx.stateRoot, mailing.file), status: 'draft' }]);
    await refused(sendTest(modelFor(mailing, [diagnostic('merge-field-unknown', 'content')]), ctx), 'has-errors', 'draft');
    const none = await makeMailing({ dir, mailing: { test: { recipients: [] } } });
    await refused(sendTest(modelFor(none), ctx), 'no-test-recipients', 'draft');
  });

  it('Send now: refused with errors, without SMTP for an smtp mailing, and when not a draft', async () => {
    await refused(sendNow(modelFor(mailing, [diagnostic('test-outdated', 'test')]), ctx), 'has-errors', 'draft');
    const smtp = await makeMailing({ dir, sending: { transport: 'smtp' } });
    await refused(sendNow(modelFor(smtp), ctx), 'no-smtp', 'draft');
    assert.deepEqual(await listMailingStates(ctx.stateRoot), [], 'a refused action leaves no state');
    const progress: Statistics[] = [];
    const onEvent = (_file: string, s: Statistics) => progress.push(s);
    mailingEvents.on('progress', onEvent);
    const stats = await sendNow(modelFor(mailing), ctx).finally(() => mailingEvents.off('progress', onEvent));
    assert.equal(stats.status, 'completed');
    assert.equal(stats.sent, 12);
    assert.equal(stats.skipped, 3);
    assert.deepEqual(progress.at(-1), stats);
    const files = (await fs.readdir(outboxDir(ctx.stateRoot, mailing.file))).filter((f) => f.endsWith('.eml'));
    assert.deepEqual(files, Array.from({ length: 12 }, (_, i) => `${String(i).padStart(6, '0')}.eml`));
    await refused(sendNow(modelFor(mailing), ctx), 'wrong-state', 'completed');
    await refused(startMailing(mailing.file, ctx), 'wrong-state', 'completed');
    await refused(stopMailing(mailing.file, ctx), 'wrong-state', 'completed');
    await refused(scheduleMailing(modelFor(mailing), ctx, new Date(Date.now() + 60_000)), 'wrong-state', 'completed');
  });

  it('sends the frozen snapshot, not the files as they are now', async () => {
    await scheduleMailing(modelFor(mailing), ctx, new Date(Date.now() + 3_600_000));
    await fs.writeFile(mailing.attachments[0].path, 'edited after confirming');
    const snapshot = await readSnapshot(mailingStateDir(ctx.stateRoot, mailing.file));
    assert.equal(snapshot.mailing.targetList.recipients.length, 12);
    await startMailing(mailing.file, ctx);
    const raw = await fs.readFile(path.join(outboxDir(ctx.stateRoot, mailing.file), '000003.eml'));
    const parsed = await simpleParser(raw);
    assert.equal(parsed.attachments[0].content.toString(), 'original');
  });

  it('schedule → missed → stop (draft) → schedule again → start → completed', async () => {
    // "Set now" may arrive a moment late (accepted, due at once); a real past instant is refused.
    await refused(scheduleMailing(modelFor(mailing), ctx, new Date(Date.now() - 5 * 60_000)), 'invalid-time', 'draft');
    const at = new Date(Date.now() + 3_600_000);
    const scheduled = await scheduleMailing(modelFor(mailing), ctx, at);
    assert.equal(scheduled.status, 'scheduled');
    assert.equal(scheduled.scheduledAt, at.toISOString());
    assert.deepEqual((await listMailingStates(ctx.stateRoot)).map((s) => [s.status, s.scheduledAt, s.total]), [['scheduled', at.toISOString(), 12]]);
    await refused(sendNow(modelFor(mailing), ctx), 'wrong-state', 'scheduled');
    await refused(scheduleMailing(modelFor(mailing), ctx, at), 'wrong-state', 'scheduled');
    assert.equal((await markMissed(mailing.file, ctx)).status, 'missed');
    await refused(markMissed(mailing.file, ctx), 'wrong-state', 'missed');
    const draft = await stopMailing(mailing.file, ctx);
    assert.equal(draft.status, 'draft');
    assert.equal(draft.total, 0);
    await refused(stopMailing(mailing.file, ctx), 'wrong-state', 'draft');
    await refused(startMailing(mailing.file, ctx), 'wrong-state', 'draft');
    assert.deepEqual(await getRecipientLog(mailing.file, ctx.stateRoot), []);
    await scheduleMailing(modelFor(mailing), ctx, new Date(Date.now() + 60_000));
    const done = await startMailing(mailing.file, ctx);
    assert.equal(done.status, 'completed');
    assert.equal(done.sent, 12);
    assert.equal(done.scheduledAt, undefined);
  });

  it('Start refuses a snapshot that is not the one the journal confirmed', async () => {
    await scheduleMailing(modelFor(mailing), ctx, new Date(Date.now() + 3_600_000));
    const file = path.join(mailingStateDir(ctx.stateRoot, mailing.file), 'snapshot.json');
    const snapshot = JSON.parse(await fs.readFile(file, 'utf8'));
    snapshot.mailing.targetList.recipients.pop();
    await fs.writeFile(file, JSON.stringify(snapshot));
    await refused(startMailing(mailing.file, ctx), 'state-mismatch', 'scheduled');
    assert.equal((await getStatistics(mailing.file, ctx.stateRoot)).sent, 0, 'nothing was sent');
  });

  it('Stop of a send in this process; a second Send now or Start meanwhile is refused', async () => {
    const slow = await makeMailing({ dir, recipients: recipients(40), sending: { rate: { count: 20, per: 'second' } } });
    const running = sendNow(modelFor(slow), ctx);
    while ((await getStatistics(slow.file, ctx.stateRoot)).sent < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    const live = await getStatistics(slow.file, ctx.stateRoot);
    assert.equal(live.status, 'sending');
    assert.equal(live.sender?.owner, 'the test');
    await refused(startMailing(slow.file, ctx), 'wrong-state', 'sending');
    await refused(sendNow(modelFor(slow), ctx), 'wrong-state', 'sending');
    const stopped = await stopMailing(slow.file, ctx);
    assert.equal(stopped.status, 'stopped');
    assert.equal(stopped.stoppedReason, 'stopped by the test');
    assert.equal((await running).status, 'stopped');
    const log = await getRecipientLog(slow.file, ctx.stateRoot);
    assert.equal(log.filter((e) => e.outcome === 'sent').length, stopped.sent);
    assert.equal(log.filter((e) => e.outcome === 'pending').length, stopped.pending);
    const resumed = await startMailing(slow.file, ctx, { signal: AbortSignal.timeout(60_000) });
    assert.equal(resumed.status, 'completed');
    assert.equal(resumed.sent, 40);
  });

  it('an AbortSignal stops a send with its reason', async () => {
    const slow = await makeMailing({ dir, recipients: recipients(40), sending: { rate: { count: 20, per: 'second' } } });
    const controller = new AbortController();
    const stats = await sendNow(modelFor(slow), ctx, {
      signal: controller.signal,
      onProgress: (s) => {
        if (s.sent >= 2) controller.abort('stopped by the user (Ctrl-C)');
      },
    });
    assert.equal(stats.status, 'stopped');
    assert.equal(stats.stoppedReason, 'stopped by the user (Ctrl-C)');
    assert.ok(stats.sent >= 2 && stats.sent < 40);
  });

  it('exports the per-recipient log as CSV', async () => {
    await sendNow(modelFor(mailing), ctx);
    const csvFile = path.join(dir, 'log.csv');
    await exportRecipientLogCsv(mailing.file, ctx.stateRoot, csvFile);
    const lines = (await fs.readFile(csvFile, 'utf8')).split('\r\n');
    assert.equal(lines[0], 'email,outcome,attempts,reply,at,messageId,bounce,complained,report,run,reason');
    assert.equal(lines.length, 1 + 12 + 1);
    assert.match(lines[1], /^r0@example\.test,sent,1,250 written to 000000\.eml,\d{4}-\d\d-\d\dT[^,]+Z,<[^>]+\.0@acme\.example>,,,,1,$/);
  });
});
