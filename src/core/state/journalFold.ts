// Status, statistics and every recipient's progress as a fold over the journal's events.
// The fold is incremental (apply one event at a time) so a reader can keep it and fold only the lines
// appended since its last read, and the engine can keep its own copy current as it writes.
import type { Destination, MailingStatus, SkippedCounts, WaitReason } from '../types';
import { parseDestination } from '../send/destination';
import type { JournalEvent, JournalOwner } from './journalEvents';

/** A recipient's progress, one byte each (a 100k mailing costs 100 kB). */
export const Progress = {
  Pending: 0,
  /** `sending` written, no outcome yet: in flight, or unknown after a crash. */
  InFlight: 1,
  Sent: 2,
  Deferred: 3,
  Failed: 4,
} as const;
export type Progress = (typeof Progress)[keyof typeof Progress];

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
  progress: Uint8Array = new Uint8Array(0);
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
    return this.total - this.sent - this.failed - this.deferred;
  }

  apply(event: JournalEvent): void {
    this.events++;
    if (event.t > this.lastAt) this.lastAt = event.t;
    switch (event.e) {
      case 'confirmed':
        this.reset();
        this.status = 'confirmed';
        this.confirmedHash = event.hash;
        this.confirmedAt = event.t;
        this.total = event.total;
        this.skipped = { ...event.skipped };
        this.progress = new Uint8Array(event.total);
        this.attempts = new Uint16Array(event.total);
        this.recipientAt = new Float64Array(event.total);
        this.uncertainFlags = new Uint8Array(event.total);
        this.throttles = new Uint8Array(event.total);
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
      default:
        this.applyRecipient(event);
    }
  }

  private applyRecipient(event: Extract<JournalEvent, { i: number }>): void {
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
        break;
      case 'released':
        after = Progress.Pending;
        if (this.attempts[i] > 0) this.attempts[i]--;
        break;
      case 'sent':
        after = Progress.Sent;
        this.minute(event.t).sent++;
        break;
      case 'failed':
        after = Progress.Failed;
        this.retryAt.delete(i);
        this.minute(event.t).failed++;
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
    this.total = this.sent = this.failed = this.deferred = this.uncertain = 0;
    this.skipped = { invalid: 0, duplicate: 0, excluded: 0 };
    this.progress = new Uint8Array(0);
    this.attempts = new Uint16Array(0);
    this.recipientAt = new Float64Array(0);
    this.uncertainFlags = new Uint8Array(0);
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
