// Status, statistics and every recipient's progress as a fold over the journal's events.
// The fold is incremental (apply one event at a time) so a reader can keep it and fold only the lines
// appended since its last read, and the engine can keep its own copy current as it writes.
import type { BounceKind, Destination, MailingStatus, RunStatistics, SkippedCounts, WaitReason } from '../types';
import { parseDestination } from '../send/destination';
import type { JournalEvent, JournalOwner, RecipientEvent, ReportEvent, ResendEvent } from './journalEvents';

/** A recipient's progress, one byte each (a 100k mailing costs 100 kB). */
export const Progress = {
  Pending: 0,
  /** `sending` written, no outcome yet: in flight, or unknown after a crash. */
  InFlight: 1,
  Sent: 2,
  Deferred: 3,
  Failed: 4,
  /** Taken out before its hand-off (`withdrawn`: suppressed since confirmation): done, never sent. */
  Withdrawn: 5,
} as const;
export type Progress = (typeof Progress)[keyof typeof Progress];

/** What reports said of a recipient (bits of `reports`). */
export const Report = { Hard: 1, Soft: 2, Failed: 4, Complaint: 8 } as const;
const BOUNCE_BITS = Report.Hard | Report.Soft | Report.Failed;
const BOUNCE_BIT: Record<BounceKind, number> = { hard: Report.Hard, soft: Report.Soft, failed: Report.Failed };

/** A run as the fold keeps it (RunStatistics with the instant as epoch ms). */
export interface RunRecord extends Omit<RunStatistics, 'at'> {
  at: number;
}

/** The status as the journal alone says it; `sending` may be a crashed run (the lease tells). */
export type JournalStatus = MailingStatus | 'confirmed';

const MINUTE = 60_000;

/**
 * Deferrals of one recipient for "too fast" replies that do not count as attempts; beyond this many
 * they do, so a server that never stops throttling someone cannot keep them pending for ever.
 */
export const THROTTLE_FREE_RETRIES = 50;

export class JournalFold {
  status: JournalStatus = 'draft';
  confirmedHash?: string;
  confirmedAt?: number;
  total = 0;
  skipped: SkippedCounts = { invalid: 0, duplicate: 0, excluded: 0 };
  scheduledAt?: string;
  /** When the first local-time wave is due (ISO), when it differs from scheduledAt. */
  firstDueAt?: string;
  /** status `waiting`: until when, and why. */
  waitingUntil?: number;
  waitingFor?: WaitReason;
  /** The rate controller's last rate per key ('' = the server, else a domain), messages per second. */
  readonly rates = new Map<string, number>();
  /** The last time a rate was lowered. */
  throttledAt?: number;
  startedAt?: number;
  finishedAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stoppedBy?: 'user' | 'fault';
  /** Who began the current (or last) run. */
  runOwner?: JournalOwner;
  /** Where the current (or last) run sends its messages. */
  runDestination?: Destination;
  /** Start of the current run (undefined when not sending). */
  runStartedAt?: number;
  /** Time spent in runs that ended (stopped/completed, or a crashed run up to its last event). */
  finishedRunsMs = 0;
  /** Time of the last event folded. */
  lastAt = 0;
  /** Events folded and lines ignored (torn or unknown). */
  events = 0;
  ignoredLines = 0;

  sent = 0;
  failed = 0;
  deferred = 0;
  uncertain = 0;
  /** Recipients taken out before their hand-off because they were suppressed since confirmation. */
  withdrawn = 0;
  /** Recipients some report marked bounced, and complained. */
  bounced = 0;
  complained = 0;
  /** The first send, then each resend; the last one is the current run. */
  runs: RunRecord[] = [];
  /** sha256 of each resend's added rows (state/sendList.ts), by run. */
  readonly resendHashes = new Map<number, string>();
  progress: Uint8Array = new Uint8Array(0);
  /** Report bits per recipient (Report.*). */
  reports: Uint8Array = new Uint8Array(0);
  /** The run of each recipient's last hand-off (0: none yet). */
  runOf: Uint16Array = new Uint16Array(0);
  /** Hand-offs per recipient (`sending` events minus `released`). */
  attempts: Uint16Array = new Uint16Array(0);
  /** Time of each recipient's last event (epoch ms; 0 = none). */
  recipientAt: Float64Array = new Float64Array(0);
  /** Recipients counted as uncertain (in flight when a run ended without an outcome). */
  uncertainFlags: Uint8Array = new Uint8Array(0);
  /** Deferrals for "too fast" replies not counted as attempts, per recipient. */
  throttles: Uint8Array = new Uint8Array(0);
  /** Deferred recipients: when their next attempt is due (epoch ms). */
  readonly retryAt = new Map<number, number>();
  /** Recipients in flight right now (at most the engine's concurrency). */
  readonly inFlight = new Set<number>();
  /** Outcomes per minute (key: epoch minute). */
  readonly perMinute = new Map<number, { sent: number; failed: number }>();

  get pending(): number {
    return this.total - this.sent - this.failed - this.deferred - this.withdrawn;
  }

  /** Recipients with an outcome this mailing will not change by itself: sent, failed or withdrawn. */
  get settled(): number {
    return this.sent + this.failed + this.withdrawn;
  }

  apply(event: JournalEvent): void {
    this.events++;
    // Where the archive of the events before it is: the reader folded them already; it changes nothing.
    if (event.e === 'archived') return;
    if (event.t > this.lastAt) this.lastAt = event.t;
    switch (event.e) {
      case 'confirmed':
        this.reset();
        this.status = 'confirmed';
        this.confirmedHash = event.hash;
        this.confirmedAt = event.t;
        this.total = event.total;
        this.skipped = { suppressed: 0, ...event.skipped };
        this.grow(event.total);
        this.runs = [{ run: 1, kind: 'send', at: event.t, recipients: event.total, sent: 0, failed: 0 }];
        return;
      case 'scheduled':
        this.status = 'scheduled';
        this.scheduledAt = event.at;
        this.firstDueAt = event.first;
        return;
      case 'unscheduled':
        this.reset();
        return;
      case 'missed':
        this.status = 'missed';
        return;
      case 'started':
      case 'resumed':
        this.endRun(this.lastRunEventAt());
        this.markInFlightUncertain();
        this.status = 'sending';
        this.startedAt ??= event.t;
        this.runStartedAt = event.t;
        this.runOwner = { owner: event.owner, pid: event.pid, host: event.host };
        this.runDestination = parseDestination(event.destination);
        this.stoppedAt = this.stoppedReason = this.stoppedBy = undefined;
        this.waitingUntil = this.waitingFor = undefined;
        return;
      case 'waiting':
        this.endRun(event.t);
        this.markInFlightUncertain();
        this.status = 'waiting';
        this.waitingUntil = event.until;
        this.waitingFor = event.why;
        return;
      case 'rate': {
        // The controller starts at the configured rate and journals changes: the first is a decrease.
        const before = this.rates.get(event.k);
        if (before === undefined || event.r < before) this.throttledAt = event.t;
        this.rates.set(event.k, event.r);
        return;
      }
      case 'stopped':
        this.endRun(event.t);
        this.markInFlightUncertain();
        this.status = 'stopped';
        this.stoppedAt = event.t;
        this.stoppedReason = event.reason;
        this.stoppedBy = event.by;
        return;
      case 'completed':
        this.endRun(event.t);
        this.status = 'completed';
        this.finishedAt = event.t;
        return;
      case 'resend':
        this.applyResend(event);
        return;
      case 'withdrawn':
        this.applyWithdrawn(event.i, event.t);
        return;
      case 'bounced':
      case 'complained':
        this.applyReport(event);
        return;
      default:
        this.applyRecipient(event);
    }
  }

  /** Arrays sized for `total` recipients, keeping what the first ones hold. */
  private grow(total: number): void {
    const keep = <T extends Uint8Array | Uint16Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(total);
      next.set(old.subarray(0, Math.min(old.length, total)));
      return next;
    };
    this.progress = keep(this.progress, (n) => new Uint8Array(n));
    this.attempts = keep(this.attempts, (n) => new Uint16Array(n));
    this.recipientAt = keep(this.recipientAt, (n) => new Float64Array(n));
    this.uncertainFlags = keep(this.uncertainFlags, (n) => new Uint8Array(n));
    this.reports = keep(this.reports, (n) => new Uint8Array(n));
    this.runOf = keep(this.runOf, (n) => new Uint16Array(n));
    this.throttles = keep(this.throttles, (n) => new Uint8Array(n));
  }

  private applyResend(event: ResendEvent): void {
    // Only a confirmed mailing can be resent; a resend that only lowers the count is no resend.
    if (this.confirmedHash === undefined || event.total < this.total) return;
    const before = this.total;
    this.total = event.total;
    this.grow(event.total);
    for (const i of event.retry) {
      if (i >= before) continue;
      const progress = this.progress[i] as Progress;
      if (progress === Progress.InFlight) continue; // a run is on: not a state a resend is written in
      this.count(progress, -1);
      this.progress[i] = Progress.Pending;
      this.attempts[i] = 0;
      this.throttles[i] = 0;
      this.retryAt.delete(i);
      // A new attempt: what the last one's reports said of the delivery no longer stands (a complaint does).
      this.setReports(i, this.reports[i] & ~BOUNCE_BITS);
    }
    this.skipped = { ...this.skipped, suppressed: (this.skipped.suppressed ?? 0) + event.suppressed };
    this.status = 'confirmed';
    this.finishedAt = undefined;
    const run: RunRecord = { run: event.run, kind: 'resend', at: event.t, recipients: event.added + event.retry.length, added: event.added, retried: event.retry.length, sent: 0, failed: 0 };
    if (event.selected) run.selected = true;
    this.runs.push(run);
    if (event.sha256) this.resendHashes.set(event.run, event.sha256);
  }

  private applyWithdrawn(i: number, t: number): void {
    if (i >= this.total) return;
    const before = this.progress[i] as Progress;
    if (before === Progress.Withdrawn || before === Progress.Sent) return;
    this.recipientAt[i] = t;
    this.count(before, -1);
    this.count(Progress.Withdrawn, +1);
    this.progress[i] = Progress.Withdrawn;
    this.retryAt.delete(i);
    this.inFlight.delete(i);
  }

  private applyReport(event: ReportEvent): void {
    if (event.i >= this.total) return;
    const bit = event.e === 'complained' ? Report.Complaint : BOUNCE_BIT[event.k];
    this.setReports(event.i, this.reports[event.i] | bit);
  }

  /** Sets a recipient's report bits, keeping the bounced and complained counts. */
  private setReports(i: number, bits: number): void {
    const old = this.reports[i];
    if (old === bits) return;
    this.bounced += Number((bits & BOUNCE_BITS) !== 0) - Number((old & BOUNCE_BITS) !== 0);
    this.complained += Number((bits & Report.Complaint) !== 0) - Number((old & Report.Complaint) !== 0);
    this.reports[i] = bits;
  }

  /** The report bits of a recipient as the log shows them. */
  bounceOf(i: number): BounceKind | undefined {
    const bits = this.reports[i] ?? 0;
    return bits & Report.Hard ? 'hard' : bits & Report.Soft ? 'soft' : bits & Report.Failed ? 'failed' : undefined;
  }

  /** The run now going on, or the last one. */
  get currentRun(): RunRecord | undefined {
    return this.runs[this.runs.length - 1];
  }

  private applyRecipient(event: RecipientEvent): void {
    const i = event.i;
    if (i >= this.total) return;
    this.recipientAt[i] = event.t;
    const before = this.progress[i] as Progress;
    let after: Progress;
    switch (event.e) {
      case 'sending':
        after = Progress.InFlight;
        this.attempts[i]++;
        this.retryAt.delete(i);
        this.runOf[i] = this.currentRun?.run ?? 1;
        break;
      case 'released':
        after = Progress.Pending;
        if (this.attempts[i] > 0) this.attempts[i]--;
        break;
      case 'sent':
        after = Progress.Sent;
        this.minute(event.t).sent++;
        if (before !== Progress.Sent && this.currentRun) this.currentRun.sent++;
        break;
      case 'failed':
        after = Progress.Failed;
        this.retryAt.delete(i);
        this.minute(event.t).failed++;
        if (before !== Progress.Failed && this.currentRun) this.currentRun.failed++;
        break;
      case 'deferred':
        after = Progress.Deferred;
        this.retryAt.set(i, event.at);
        if (event.th && this.throttles[i] < THROTTLE_FREE_RETRIES) {
          this.throttles[i]++;
          if (this.attempts[i] > 0) this.attempts[i]--;
        }
        break;
    }
    this.count(before, -1);
    this.count(after, +1);
    this.progress[i] = after;
    if (after === Progress.InFlight) this.inFlight.add(i);
    else this.inFlight.delete(i);
  }

  private count(progress: Progress, delta: number): void {
    if (progress === Progress.Sent) this.sent += delta;
    else if (progress === Progress.Failed) this.failed += delta;
    else if (progress === Progress.Deferred) this.deferred += delta;
    else if (progress === Progress.Withdrawn) this.withdrawn += delta;
  }

  private minute(t: number): { sent: number; failed: number } {
    const key = Math.floor(t / MINUTE);
    let bucket = this.perMinute.get(key);
    if (!bucket) this.perMinute.set(key, (bucket = { sent: 0, failed: 0 }));
    return bucket;
  }

  /** A run that ended without `stopped` (a crash) lasted until its last event. */
  private lastRunEventAt(): number {
    return this.lastAt;
  }

  private endRun(at: number): void {
    if (this.runStartedAt !== undefined) {
      this.finishedRunsMs += Math.max(0, at - this.runStartedAt);
      this.runStartedAt = undefined;
    }
  }

  /** Recipients whose hand-off had no recorded outcome when their run ended: resent, and counted. */
  private markInFlightUncertain(): void {
    for (const i of this.inFlight) {
      if (!this.uncertainFlags[i]) {
        this.uncertainFlags[i] = 1;
        this.uncertain++;
      }
      this.progress[i] = Progress.Pending;
    }
    this.inFlight.clear();
  }

  private reset(): void {
    this.status = 'draft';
    this.confirmedHash = this.confirmedAt = this.scheduledAt = this.firstDueAt = undefined;
    this.waitingUntil = this.waitingFor = this.throttledAt = undefined;
    this.rates.clear();
    this.startedAt = this.finishedAt = this.stoppedAt = this.stoppedReason = this.stoppedBy = undefined;
    this.runOwner = this.runStartedAt = this.runDestination = undefined;
    this.finishedRunsMs = 0;
    this.total = this.sent = this.failed = this.deferred = this.uncertain = this.withdrawn = this.bounced = this.complained = 0;
    this.skipped = { invalid: 0, duplicate: 0, excluded: 0, suppressed: 0 };
    this.runs = [];
    this.resendHashes.clear();
    this.progress = new Uint8Array(0);
    this.attempts = new Uint16Array(0);
    this.recipientAt = new Float64Array(0);
    this.uncertainFlags = new Uint8Array(0);
    this.reports = new Uint8Array(0);
    this.runOf = new Uint16Array(0);
    this.throttles = new Uint8Array(0);
    this.retryAt.clear();
    this.inFlight.clear();
    this.perMinute.clear();
  }

  /** Time spent sending: finished runs plus the current one up to `until`. */
  activeMs(until: number): number {
    return this.finishedRunsMs + (this.runStartedAt !== undefined ? Math.max(0, until - this.runStartedAt) : 0);
  }
}
