// The actions on a mailing: the ONE way every face (CLI, extension, webview host, scheduler) acts on
// one. Each action re-checks the state machine drawn below against the state on
// disk — never a face's cached view — under the mailing's lease, and refuses with a coded
// MailingActionError that says the state it found.
//
//   draft --sendNow--> sending --all done--> completed
//   draft --scheduleMailing--> scheduled --due (scheduler) / startMailing--> sending
//   scheduled --markMissed--> missed --startMailing--> sending
//   scheduled|missed --stopMailing--> draft
//   sending --stopMailing--> stopped --startMailing--> sending (resumes)
//   sending --fatal fault--> stopped, with the reason
//   sending --window closed, wave not due, quota used up--> waiting --the moment (scheduler) / startMailing--> sending
//   waiting --stopMailing--> stopped
import { promises as fs } from 'node:fs';
import { NOW_TOLERANCE_MS } from './schedule/plan';
import type { SchedulerActions } from './schedule/scheduler';
import * as path from 'node:path';
import type { ConfirmModel, Destination, LeaseInfo, MailingState, MailingStatus, Recipient, RecipientLogEntry, ResolvedMailing, SendContext, Statistics, Step, TestRecord } from './types';
import { NotConfirmableError, toResolvedMailing } from './confirmModel';
import { MailingActionError } from './facts/actionError';
import type { ActionWord, LeaseHolderArgs } from './facts/refusals';
import { pacePlanOf, writePacePlan } from './pace/pacePlan';
import { groupByZone, waveMoments } from './pace/waves';
import { contentHash } from './contentHash';
import { newMessageIdToken } from './render/messageId';
import { destinationOf } from './send/destination';
import { PlainAuthRefusedError, assertAuthAllowed } from './send/smtpTransport';
import { liveStatistics, runMailing, runningMailing, type RunOptions } from './send/run';
import { mailingEvents } from './send/events';
import { sendTestMessages, TEST_OUTBOX_SUBDIR, TestSendError } from './send/testSend';
import { appendJournal } from './state/journal';
import { foldJournal, readJournalFold } from './state/journalReader';
import { acquireLease, LeaseHeldError, readLiveLease, type Lease } from './state/lease';
import { readMailingRecord, writeMailingRecord } from './state/mailingRecord';
import { mailingStateDir } from './state/paths';
import { readRecipientLog, type RecipientLogFilter, writeRecipientLogCsv } from './state/recipientLog';
import { matchesQuery, type RecipientQuery } from './state/recipientQuery';
import { readSnapshot, writeSnapshot, type Snapshot } from './state/snapshot';
import { type JournalFold, Progress, Report } from './state/journalFold';
import type { ResendEvent } from './state/journalEvents';
import { readSendList, SendListMismatchError, writeResendRecipients } from './state/sendList';
import { addressKey } from './load/addresses';
import { effectiveStatus } from './state/statistics';
import { writeStopRequest } from './state/stopRequest';
import { readSendStateSummary, readStatistics } from './state/summary';
import { writeTestRecord } from './state/testRecord';

export { MailingActionError, type MailingActionErrorCode } from './facts/actionError';
export type { MailingState } from './types';

/** Options of confirming (Send now, Schedule). */
export interface ConfirmChoice {
  /**
   * Send a mailing that was already sent under another name or from another place (`already-sent`):
   * the user's explicit choice (CLI `--again`, the question in VS Code). Recorded in the journal.
   */
  again?: boolean;
}

export type SendOptions = Pick<RunOptions, 'signal' | 'onProgress' | 'renderer' | 'waitInForeground' | 'onWaiting' | 'compactAfterBytes'> & ConfirmChoice & {
  /**
   * Start only from these states, re-checked under the lease. The scheduler passes ['scheduled',
   * 'missed'] so that a user's Stop landing between its read and its start is never undone.
   */
  onlyIf?: MailingStatus[];
};


function ownerOf(ctx: SendContext): string {
  return ctx.owner ?? `process ${process.pid}`;
}

/**
 * The mailing of a confirm model as it will be sent (toResolvedMailing), refused with `has-errors`
 * while it has errors. `allowedErrorSteps`: steps whose errors do not matter to the caller (a test
 * send is what clears the `test` step's errors).
 */
function mailingOf(model: ConfirmModel, status: MailingStatus, allowedErrorSteps: readonly Step[] = [], choice: ConfirmChoice = {}): { mailing: ResolvedMailing; hash: string } {
  const allowed = (d: ConfirmModel['diagnostics'][number]) => allowedErrorSteps.includes(d.step) || (choice.again === true && d.data?.overridable === 'again');
  const diagnostics = model.diagnostics.filter((d) => !(d.severity === 'error' && allowed(d)));
  let mailing: ResolvedMailing;
  try {
    mailing = toResolvedMailing({ ...model, diagnostics, hasErrors: diagnostics.some((d) => d.severity === 'error') });
  } catch (error) {
    if (!(error instanceof NotConfirmableError)) throw error;
    throw new MailingActionError({ code: 'has-errors', errors: error.errors }, status, model.file);
  }
  return { mailing, hash: model.contentHash ?? contentHash(mailing) };
}

function requireSmtp(mailing: Pick<ResolvedMailing, 'file' | 'sending'>, ctx: SendContext, status: MailingStatus): void {
  if (mailing.sending.transport !== 'smtp') return;
  if (!ctx.smtp) throw new MailingActionError({ code: 'no-smtp' }, status, mailing.file);
  try {
    assertAuthAllowed(ctx.smtp);
  } catch (error) {
    if (error instanceof PlainAuthRefusedError) throw new MailingActionError({ code: 'plain-auth-refused', server: `${ctx.smtp.host}:${ctx.smtp.port}` }, status, mailing.file);
    throw error;
  }
}

async function statusOf(stateDir: string): Promise<MailingStatus> {
  return (await readSendStateSummary(stateDir)).status;
}

/** Takes the lease or refuses with `leased`, naming the holder. */
async function lease(stateDir: string, file: string, ctx: SendContext): Promise<Lease> {
  try {
    return await acquireLease(stateDir, ownerOf(ctx));
  } catch (error) {
    if (error instanceof LeaseHeldError) {
      throw new MailingActionError({ code: 'leased', holder: holderArgs(error.holder) }, await statusOf(stateDir), file, error.holder);
    }
    throw error;
  }
}

/** Runs `fn` holding the lease for a moment (state transitions that send nothing). */
async function withLease<T>(stateDir: string, file: string, ctx: SendContext, fn: () => Promise<T>): Promise<T> {
  const held = await lease(stateDir, file, ctx);
  try {
    return await fn();
  } finally {
    await held.release();
  }
}

function wrongState(file: string, action: ActionWord, status: MailingStatus): MailingActionError {
  return new MailingActionError({ code: 'wrong-state', action, status }, status, file);
}

function holderArgs(holder: LeaseInfo): LeaseHolderArgs {
  return { owner: holder.owner, pid: holder.pid, host: holder.host, heartbeat: holder.heartbeat };
}

/** The state transition of confirming: snapshot, mailing.json and the `confirmed` event. */
async function confirm(stateDir: string, mailing: ResolvedMailing, hash: string, choice: ConfirmChoice): Promise<Snapshot> {
  const confirmedAt = new Date();
  const snapshot = await writeSnapshot(stateDir, { version: 1, file: mailing.file, confirmedAt: confirmedAt.toISOString(), hash, messageIdToken: newMessageIdToken(), mailing });
  // mailing.json says what was confirmed: a copy or a renamed file of it is recognised (already-sent).
  await writeMailingRecord(stateDir, mailing.file, { hash, at: confirmedAt.toISOString() });
  // What the statistics show of the pace (rates, waves) without reading the snapshot.
  await writePacePlan(stateDir, pacePlanOf(mailing));
  await appendJournal(stateDir, {
    e: 'confirmed',
    t: confirmedAt.getTime(),
    hash,
    total: mailing.targetList.recipients.length,
    skipped: { ...mailing.targetList.skipped },
    ...(choice.again ? { again: true as const } : {}),
  });
  return snapshot;
}

async function announce(file: string, stateDir: string): Promise<Statistics> {
  const statistics = await readStatistics(stateDir);
  mailingEvents.emit('state', file, statistics);
  return statistics;
}

/**
 * Sends the mailing to its test recipients (first target-list row's fields, subject `[TEST] …`) and
 * writes the test record that clears `test-not-sent` / `test-outdated`. Allowed in any state; refused
 * while the model has errors other than the test step's own.
 */
export async function sendTest(model: ConfirmModel, ctx: SendContext): Promise<TestRecord & { destination: Destination }> {
  const stateDir = mailingStateDir(ctx.stateRoot, model.file);
  const status = await statusOf(stateDir);
  const { mailing, hash } = mailingOf(model, status, ['test', 'schedule', 'state']);
  if (mailing.test.recipients.length === 0) {
    throw new MailingActionError({ code: 'no-test-recipients' }, status, model.file);
  }
  requireSmtp(mailing, ctx, status);
  let delivered;
  try {
    delivered = await sendTestMessages(mailing, ctx);
  } catch (error) {
    if (error instanceof TestSendError) throw new MailingActionError({ code: 'test-failed', reply: error.message }, status, model.file);
    throw error;
  }
  const record: TestRecord & { destination: Destination } = {
    version: 1,
    at: new Date().toISOString(),
    to: delivered.map((d) => d.to),
    hash,
    messageIds: delivered.map((d) => d.messageId),
    destination: destinationOf(mailing, ctx, { outboxSubdir: TEST_OUTBOX_SUBDIR }),
  };
  await writeMailingRecord(stateDir, model.file);
  await writeTestRecord(stateDir, record);
  return record;
}

/**
 * Send now: from draft only, without errors. Freezes the snapshot, journals `confirmed` + `started`
 * and sends until the mailing completes or stops; resolves with the final statistics (a stop is a
 * result, not an error: see `status` and `stoppedReason`).
 */
export async function sendNow(model: ConfirmModel, ctx: SendContext, opts: SendOptions = {}): Promise<Statistics> {
  const stateDir = mailingStateDir(ctx.stateRoot, model.file);
  const found = await statusOf(stateDir);
  if (found !== 'draft') throw wrongState(model.file, 'send-now', found);
  const { mailing, hash } = mailingOf(model, found, [], opts);
  requireSmtp(mailing, ctx, found);
  const held = await lease(stateDir, model.file, ctx);
  let snapshot: Snapshot;
  try {
    const status = await statusOf(stateDir);
    if (status !== 'draft') throw wrongState(model.file, 'send-now', status);
    snapshot = await confirm(stateDir, mailing, hash, opts);
  } catch (error) {
    await held.release();
    throw error;
  }
  return runMailing(stateDir, held, ctx, opts, snapshot);
}

/** Schedule: from draft only, without errors, at a future instant (or now). Freezes the snapshot. */
export async function scheduleMailing(model: ConfirmModel, ctx: SendContext, at: Date, choice: ConfirmChoice = {}): Promise<Statistics> {
  const stateDir = mailingStateDir(ctx.stateRoot, model.file);
  const found = await statusOf(stateDir);
  if (Number.isNaN(at.getTime())) throw new MailingActionError({ code: 'invalid-time', kind: 'invalid' }, found, model.file);
  if (at.getTime() < Date.now() - NOW_TOLERANCE_MS) throw new MailingActionError({ code: 'invalid-time', kind: 'past', at: at.toISOString() }, found, model.file);
  if (found !== 'draft') throw wrongState(model.file, 'schedule', found);
  const { mailing, hash } = mailingOf(model, found, [], choice);
  requireSmtp(mailing, ctx, found);
  await withLease(stateDir, model.file, ctx, async () => {
    const status = await statusOf(stateDir);
    if (status !== 'draft') throw wrongState(model.file, 'schedule', status);
    await confirm(stateDir, mailing, hash, choice);
    const first = firstWave(mailing, at);
    await appendJournal(stateDir, { e: 'scheduled', t: Date.now(), at: at.toISOString(), ...(first ? { first: first.toISOString() } : {}) });
  });
  return announce(model.file, stateDir);
}

/**
 * With local-time waves, when the first wave is due: a zone ahead of the mailing's reaches the
 * scheduled wall-clock time earlier. Undefined when that is `at` itself. A wave already past when
 * scheduling is due at once (it is sent as soon as the mailing starts).
 */
function firstWave(mailing: ResolvedMailing, at: Date): Date | undefined {
  if (!mailing.sending.localTime) return undefined;
  const { zones, counts } = groupByZone(mailing.targetList.recipients, mailing.timezone);
  const moments = waveMoments(at.getTime(), mailing.timezone, zones).filter((_moment, k) => counts[k] > 0);
  if (moments.length === 0) return undefined;
  const first = Math.max(Date.now(), Math.min(...moments));
  return first === at.getTime() ? undefined : new Date(first);
}

/**
 * Start: a scheduled or missed mailing starts now; a stopped one (by Stop, a fault or a crash)
 * resumes where it was — recipients whose outcome is unknown after a crash are resent and counted as
 * uncertain. Runs until completed or stopped.
 */
export async function startMailing(file: string, ctx: SendContext, opts: SendOptions = {}): Promise<Statistics> {
  const stateDir = mailingStateDir(ctx.stateRoot, file);
  if (runningMailing(stateDir)) throw wrongState(file, 'start', 'sending');
  const held = await lease(stateDir, file, ctx);
  try {
    // Holding the lease, a journal that says `sending` is a run that died: resumable.
    const fold = await foldJournal(stateDir);
    const status: MailingStatus = fold.status === 'sending' || fold.status === 'confirmed' ? 'stopped' : fold.status;
    if (status !== 'scheduled' && status !== 'missed' && status !== 'stopped' && status !== 'waiting') throw wrongState(file, 'start', status);
    if (opts.onlyIf && !opts.onlyIf.includes(status)) throw wrongState(file, 'start', status);
    const snapshot = await readSnapshot(stateDir);
    // The journal's recipients are indexes into the snapshot (and the resends' added rows): a
    // snapshot that is not the one the journal confirmed (replaced by hand, restored from elsewhere)
    // would send the wrong people.
    await sendListOf(stateDir, snapshot, fold, status, file);
    requireSmtp(snapshot.mailing, ctx, status);
  } catch (error) {
    await held.release();
    throw error;
  }
  return runMailing(stateDir, held, ctx, opts);
}

async function sendListOf(stateDir: string, snapshot: Snapshot, fold: Awaited<ReturnType<typeof foldJournal>>, status: MailingStatus, file: string) {
  try {
    return await readSendList(stateDir, snapshot, fold);
  } catch (error) {
    if (error instanceof SendListMismatchError) throw new MailingActionError({ code: 'state-mismatch' }, status, file);
    throw error;
  }
}

export interface ResendOptions extends SendOptions {
  /** Only these addresses (of the target list as it is now). */
  to?: readonly string[];
  /** Also those sent already (with `to`: the ones named). */
  again?: boolean;
}

/**
 * Resend: a completed or stopped mailing is sent to the rows of its target list as it is now that it
 * has not reached — rows added since (appended to its recipients) and recipients that failed or were
 * never sent, except a hard bounce — never to a suppressed address (the model's list leaves those
 * out; a run withdraws any suppressed since). `again` sends to reached ones too. The content is the
 * confirmed snapshot's. A new run in the same journal: the added rows are written durably first
 * (state/sendList.ts), then the `resend` event, then the run begins as a Start would — killed in
 * between, the mailing is stopped and Start sends the resend.
 */
export async function resendMailing(model: ConfirmModel, ctx: SendContext, opts: ResendOptions = {}): Promise<Statistics> {
  const file = model.file;
  const stateDir = mailingStateDir(ctx.stateRoot, file);
  if (runningMailing(stateDir)) throw wrongState(file, 'resend', 'sending');
  // The list must be read whole: a CSV that cannot be read would look like rows removed.
  const listErrors = model.diagnostics.filter((d) => d.severity === 'error' && d.step === 'targetList');
  const held = await lease(stateDir, file, ctx);
  try {
    const fold = await foldJournal(stateDir);
    const status: MailingStatus = fold.status === 'sending' || fold.status === 'confirmed' ? 'stopped' : fold.status;
    if (status !== 'completed' && status !== 'stopped') throw wrongState(file, 'resend', status);
    if (listErrors.length) throw new MailingActionError({ code: 'has-errors', errors: listErrors }, status, file);
    const snapshot = await readSnapshot(stateDir);
    const recipients = await sendListOf(stateDir, snapshot, fold, status, file);
    requireSmtp(snapshot.mailing, ctx, status);
    const { added, retry, suppressed } = planResend(recipients, fold, model, opts);
    if (added.length === 0 && retry.length === 0) throw new MailingActionError({ code: 'nothing-to-resend', ...(opts.to ? { to: [...opts.to] } : {}) }, status, file);
    const run = fold.runs.length + 1;
    const sha256 = added.length ? await writeResendRecipients(stateDir, run, added) : undefined;
    const event: ResendEvent = { e: 'resend', t: Date.now(), run, total: fold.total + added.length, added: added.length, retry, suppressed };
    if (sha256) event.sha256 = sha256;
    if (opts.to) event.selected = true;
    if (opts.again) event.again = true;
    await appendJournal(stateDir, event);
  } catch (error) {
    await held.release();
    throw error;
  }
  return runMailing(stateDir, held, ctx, opts);
}

/** Who a resend would send to: the rows added since, and the indexes of the ones to send again. */
export interface ResendPlan {
  added: Recipient[];
  retry: number[];
  /** Rows of the target list left out because they are suppressed (never sent, counted). */
  suppressed: number;
}

/** The one rule of who a resend reaches (resendMailing sends it, previewResend counts it). */
function planResend(recipients: readonly Recipient[], fold: JournalFold, model: ConfirmModel, opts: Pick<ResendOptions, 'to' | 'again'>): ResendPlan {
  const current = model.mailing?.targetList;
  const wanted = opts.to ? new Set(opts.to.map((address) => addressKey(address.trim()))) : undefined;
  const known = new Map<string, number>();
  recipients.forEach((recipient, i) => known.set(addressKey(recipient.email), i));
  const added: Recipient[] = [];
  const retry: number[] = [];
  const retrying = new Set<number>();
  for (const row of current?.recipients ?? []) {
    const key = addressKey(row.email);
    if (wanted && !wanted.has(key)) continue;
    const i = known.get(key);
    if (i === undefined) {
      added.push(row);
      known.set(key, recipients.length + added.length - 1);
      continue;
    }
    const progress = fold.progress[i];
    if (progress === Progress.InFlight || progress === Progress.Withdrawn) continue;
    if (progress === Progress.Sent && !opts.again) continue;
    if ((fold.reports[i] & Report.Hard) !== 0) continue;
    // A Set, not retry.includes(): a list of a million rows must stay linear.
    if (!retrying.has(i)) {
      retrying.add(i);
      retry.push(i);
    }
  }
  const suppressedKeys = new Set((current?.leftOut ?? []).filter((row) => row.reason === 'suppressed').map((row) => addressKey(row.email)));
  const suppressed = [...suppressedKeys].filter((key) => !known.has(key) && (!wanted || wanted.has(key))).length;
  return { added, retry, suppressed };
}

/** What a resend of a completed or stopped mailing would send now, counted (Confirm, Statistics, the editor's question). */
export interface ResendPreview {
  /** Rows added to the target list since the mailing was confirmed. */
  added: number;
  /** Recipients of the mailing it has not reached (failed, never sent), hard bounces left out. */
  retry: number;
  suppressed: number;
}

/**
 * Counts who Resend would reach, read without taking the lease (a count may be a moment old; the
 * resend itself decides again under the lease). Undefined when the mailing cannot be resent now (not
 * completed or stopped, or its state does not match its snapshot).
 */
export async function previewResend(model: ConfirmModel, stateRoot: string, opts: Pick<ResendOptions, 'to' | 'again'> = {}): Promise<ResendPreview | undefined> {
  const stateDir = mailingStateDir(stateRoot, model.file);
  const fold = await foldJournal(stateDir);
  const status: MailingStatus = fold.status === 'sending' || fold.status === 'confirmed' ? 'stopped' : fold.status;
  if (status !== 'completed' && status !== 'stopped') return undefined;
  try {
    const snapshot = await readSnapshot(stateDir);
    const plan = planResend(await readSendList(stateDir, snapshot, fold), fold, model, opts);
    return { added: plan.added.length, retry: plan.retry.length, suppressed: plan.suppressed };
  } catch {
    return undefined;
  }
}

/** How long Stop waits for another process to stop. */
const STOP_WAIT_MS = 120_000;

/**
 * Stop: a scheduled (or missed) mailing goes back to draft; a mailing sending in this process stops
 * after its messages in flight; one sending in another process gets a stop request and Stop waits
 * until it has stopped. A run that died (crash) is marked stopped.
 */
export async function stopMailing(file: string, ctx: SendContext): Promise<Statistics> {
  const stateDir = mailingStateDir(ctx.stateRoot, file);
  const local = runningMailing(stateDir);
  if (local) {
    local.stop(`stopped by ${ownerOf(ctx)}`);
    await local.done;
    return readStatistics(stateDir);
  }
  const fold = await readJournalFold(stateDir);
  const sender = await readLiveLease(stateDir);
  const { status } = effectiveStatus(fold, sender);
  // A mailing waiting with a live holder is waited for in the foreground (CLI send --now): that process stops it.
  if ((status === 'sending' || status === 'waiting') && sender) return stopElsewhere(file, stateDir, ctx, sender);
  await withLease(stateDir, file, ctx, async () => {
    const current = await foldJournal(stateDir);
    switch (current.status) {
      case 'scheduled':
      case 'missed':
        await appendJournal(stateDir, { e: 'unscheduled', t: Date.now() });
        return;
      case 'sending':
      case 'confirmed':
      case 'waiting':
        // Nobody runs it (we hold the lease): record the Stop so it shows as stopped by the user.
        await appendJournal(stateDir, { e: 'stopped', t: Date.now(), reason: `stopped by ${ownerOf(ctx)}`, by: 'user' });
        return;
      default:
        throw wrongState(file, 'stop', current.status);
    }
  });
  return announce(file, stateDir);
}

async function stopElsewhere(file: string, stateDir: string, ctx: SendContext, sender: LeaseInfo): Promise<Statistics> {
  await writeStopRequest(stateDir, ownerOf(ctx));
  const deadline = Date.now() + STOP_WAIT_MS;
  for (;;) {
    const fold = await readJournalFold(stateDir);
    const holder = await readLiveLease(stateDir);
    if (fold.status === 'stopped' || fold.status === 'completed') return readStatistics(stateDir);
    if (!holder || holder.token !== sender.token) {
      // It ended without recording the Stop (it died): record it ourselves.
      return stopMailing(file, ctx);
    }
    if (Date.now() > deadline) {
      throw new MailingActionError({ code: 'stop-timeout', holder: holderArgs(sender), seconds: STOP_WAIT_MS / 1000 }, 'sending', file, sender);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** For the scheduler: a scheduled mailing whose moment passed while nothing ran, too late to start. */
export async function markMissed(file: string, ctx: SendContext): Promise<Statistics> {
  const stateDir = mailingStateDir(ctx.stateRoot, file);
  await withLease(stateDir, file, ctx, async () => {
    const fold = await foldJournal(stateDir);
    if (fold.status !== 'scheduled') throw wrongState(file, 'mark-missed', fold.status === 'confirmed' ? 'stopped' : fold.status);
    await appendJournal(stateDir, { e: 'missed', t: Date.now() });
  });
  return announce(file, stateDir);
}

/** Statistics of a mailing (live when this process sends it). */
export async function getStatistics(file: string, stateRoot: string): Promise<Statistics> {
  const stateDir = mailingStateDir(stateRoot, file);
  const local = runningMailing(stateDir);
  return local ? liveStatistics(local) : readStatistics(stateDir);
}

/** One entry per recipient of the confirmed mailing (empty before it is confirmed). */
export async function getRecipientLog(file: string, stateRoot: string): Promise<RecipientLogEntry[]> {
  const stateDir = mailingStateDir(stateRoot, file);
  const fold = await readJournalFold(stateDir);
  if (fold.status === 'draft') return [];
  const sender = await readLiveLease(stateDir);
  return readRecipientLog(stateDir, { crashed: fold.status === 'sending' && !sender });
}

/** Writes the per-recipient log as CSV to a stream or a file: all of it, or the rows of a kind and a search. */
export async function exportRecipientLogCsv(file: string, stateRoot: string, target: NodeJS.WritableStream | string, view: RecipientLogFilter | Pick<RecipientQuery, 'filter' | 'search'> = {}): Promise<void> {
  const query = typeof view === 'string' ? { filter: view } : view;
  const log = await getRecipientLog(file, stateRoot);
  await writeRecipientLogCsv(query.filter || query.search?.trim() ? log.filter((entry) => matchesQuery(entry, query)) : log, target);
}

/** Every mailing with state under a state root: the Mailings view and the scheduler read this. */
export async function listMailingStates(stateRoot: string): Promise<MailingState[]> {
  const base = path.join(stateRoot, 'mailings');
  let names: string[];
  try {
    names = await fs.readdir(base);
  } catch {
    return [];
  }
  const states: MailingState[] = [];
  for (const name of names.sort()) {
    const stateDir = path.join(base, name);
    const record = await readMailingRecord(stateDir);
    if (!record) continue;
    const summary = await readSendStateSummary(stateDir);
    const state: MailingState = { file: record.file, stateDir, status: summary.status };
    if (summary.scheduledAt) {
      state.scheduledAt = summary.scheduledAt;
      state.dueAt = (await readJournalFold(stateDir)).firstDueAt ?? summary.scheduledAt;
    }
    if (summary.waiting) {
      state.waiting = summary.waiting;
      state.dueAt = summary.waiting.until;
    }
    if (summary.total !== undefined) Object.assign(state, { total: summary.total, sent: summary.sent, failed: summary.failed });
    states.push(state);
  }
  return states.sort((a, b) => a.file.localeCompare(b.file));
}

/** The snapshot a mailing was confirmed with (undefined in draft). */
export async function getConfirmedMailing(file: string, stateRoot: string): Promise<ResolvedMailing | undefined> {
  const stateDir = mailingStateDir(stateRoot, file);
  if ((await readJournalFold(stateDir)).status === 'draft') return undefined;
  return (await readSnapshot(stateDir)).mailing;
}

/** What the scheduler is given to act with (schedule/scheduler.ts SchedulerActions). */
export const SCHEDULER_ACTIONS: SchedulerActions = { listMailingStates, startMailing, markMissed };
