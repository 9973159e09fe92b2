// The send engine: hands the recipients of a confirmed snapshot to a transport with bounded
// concurrency, at the pace the mailing allows (its rate, lowered when the server says "too fast";
// per-domain rates; the send window; local-time waves; the server's quotas and warm-up), retries
// temporary failures with exponential backoff, and stops on a fatal fault or too many consecutive
// failures, journaling every step.
//
// The guarantee (README: Sending, and what can go wrong). A recipient's `sending` intent is durable (fdatasync)
// BEFORE its message is handed off. Each worker (one per connection) syncs the next intent and
// composes the next message while the current one is being delivered, but hands the next one off only
// after the current outcome is WRITTEN. So a killed process leaves at most one handed-off message per
// worker without its outcome: duplicates after a crash <= sending.connections (nodemailer's pool
// sends one message at a time per connection; there is no message pipelining). Start resends every
// recipient with an intent and no outcome, counted as `uncertain`: at most 2 x connections (the
// in-flight one and the prefetched one per worker). After a power cut (outcomes written but not yet
// synced may be lost) duplicates are at most 2 x connections.
//
// The pace keeps that guarantee: every gate is passed BEFORE the hand-off, and a recipient whose
// intent was written but who may not go after all (the window closed while it was being composed,
// another process took the quota's last slot) is `released` — pending again, no attempt counted —
// never handed off. When nothing may be sent for a while (window closed, next wave not due, quota
// used up) the engine lets the messages in flight finish and ends with `waiting`: the run's owner
// journals it and the scheduler resumes the mailing at that moment.
import type { Recipient, SendingOptions, WaitReason } from '../types';
import type { MessageRenderer, RenderedMessage } from '../render/renderer';
import type { JournalWriter } from '../state/journal';
import type { DeferredEvent, FailedEvent, JournalEvent, SentEvent } from '../state/journalEvents';
import { JournalFold, Progress } from '../state/journalFold';
import { hasLimits, type PaceLimits } from '../pace/handoffLog';
import type { HandoffLedger } from '../pace/ledger';
import { Pacer } from '../pace/pacer';
import type { RateController } from '../pace/rateController';
import { isThrottleReply } from '../pace/throttle';
import { delay } from './rateLimiter';
import { DeliveryError, type Transport } from './transport';

/** A pause shorter than this is waited out in the run; a longer one ends the run with `waiting`. */
export const SHORT_WAIT_MS = 2_000;
/** A rate raised again is journaled at most this often (every lowering is journaled at once). */
const RATE_JOURNAL_MS = 2_000;
/** A single in-run wait is cut into steps of at most this (timers past 24.8 days overflow; sleep shifts them). */
const MAX_TIMER_MS = 30_000;

export interface EngineOptions {
  recipients: readonly Recipient[];
  /** The mailing's fold, current up to the `started`/`resumed` event; the engine keeps it current. */
  fold: JournalFold;
  journal: JournalWriter;
  transport: Transport;
  renderer: MessageRenderer;
  sending: SendingOptions;
  /** The mailing's time zone (windows and waves are read in it, or in each recipient's with localTime). */
  zone: string;
  /** The scheduled moment (epoch ms), from which local-time waves are due. */
  scheduledAt?: number;
  /** The SMTP server's hand-off ledger: quotas and warm-up are decided over it, and every hand-off is recorded in it. */
  ledger?: HandoffLedger;
  /** Called after every recorded outcome (progress, statistics). */
  onChange?: () => void;
  /** Told of each outcome as it is journaled (bounces/sendTime.ts classifies the failures). */
  onOutcome?: (event: SentEvent | DeferredEvent | FailedEvent) => void;
  now?: () => number;
}

export type EngineResult =
  | { kind: 'completed' }
  | {
      kind: 'stopped';
      reason: string;
      by: 'user' | 'fault';
      /** False when another process owns the mailing now (lost lease): it must not be journaled. */
      journal: boolean;
    }
  /** Nothing may be sent before `until` (epoch ms): the messages in flight finished, the rest waits. */
  | { kind: 'waiting'; until: number; reason: WaitReason };

interface Claimed {
  i: number;
  /** The `sending` intent is durable. */
  durable: Promise<void>;
  rendered: Promise<{ message: RenderedMessage } | { error: unknown }>;
}

interface StopRequest {
  reason: string;
  by: 'user' | 'fault';
  journal: boolean;
}

export class SendEngine {
  private readonly fold: JournalFold;
  private readonly now: () => number;
  private readonly halt = new AbortController();
  private readonly pacer: Pacer;
  private readonly limits: PaceLimits;
  private inFlight = 0;
  private consecutiveErrors = 0;
  private stopRequest?: StopRequest;
  /** Set when nothing may be sent for longer than SHORT_WAIT_MS: the workers finish and the run ends waiting. */
  private pause?: { until: number; reason: WaitReason };
  /** A quota or warm-up refused a hand-off: nothing goes before `until`. */
  private blocked?: { until: number; reason: 'quota' | 'warmup' };
  /** Workers waiting in next() for something to do. */
  private readonly waiting = new Set<() => void>();
  private lastWrite: Promise<void> = Promise.resolve();
  private journalError?: unknown;
  /** Per rate key: when it was last journaled, and a raised rate not yet journaled. */
  private readonly rateJournal = new Map<string, { at: number; pending?: number }>();

  constructor(private readonly options: EngineOptions) {
    this.fold = options.fold;
    this.now = options.now ?? Date.now;
    const { sending } = options;
    this.limits = { quotas: sending.quotas ?? [], warmup: sending.warmup };
    this.pacer = new Pacer({
      recipients: options.recipients,
      sending,
      zone: options.zone,
      scheduledAt: options.scheduledAt,
      progress: this.fold.progress,
      startRates: this.fold.rates,
      now: this.now(),
      onRate: (key, rate, at) => this.onRate(key, rate, at),
    });
    for (const [i, at] of this.fold.retryAt) if (this.fold.progress[i] === Progress.Deferred) this.pacer.defer(i, at);
  }

  /** The server's rate controller (its current rate is in the statistics). */
  get serverRate(): RateController {
    return this.pacer.server;
  }

  /** Asks the engine to stop after the messages in flight (the first request's reason wins). */
  stop(reason: string, by: 'user' | 'fault' = 'user', journal = true): void {
    if (this.stopRequest) return;
    this.stopRequest = { reason, by, journal };
    this.halt.abort(new Error(reason));
    this.notify();
  }

  get stopping(): boolean {
    return this.stopRequest !== undefined;
  }

  async run(): Promise<EngineResult> {
    const workers = Math.max(1, Math.min(this.options.transport.concurrency, this.options.sending.connections || 1));
    await Promise.all(Array.from({ length: workers }, () => this.work()));
    this.flushRates();
    await this.lastWrite;
    if (this.journalError && !this.stopRequest) this.stop(`the journal could not be written: ${String(this.journalError)}`, 'fault');
    if (this.stopRequest) return { kind: 'stopped', ...this.stopRequest };
    if (this.fold.settled >= this.fold.total) return { kind: 'completed' };
    if (this.pause) return { kind: 'waiting', ...this.pause };
    return { kind: 'stopped', reason: 'the engine ended with recipients left (a bug): Start resumes them', by: 'fault', journal: true };
  }

  /** The next recipient to hand off, as the pace allows; undefined when done, stopping or pausing. */
  private async next(): Promise<number | undefined> {
    for (;;) {
      if (this.stopRequest || this.pause) return undefined;
      const now = this.now();
      let wait: { until: number; gate?: WaitReason };
      if (this.blocked && this.blocked.until > now) {
        wait = { until: this.blocked.until, gate: this.blocked.reason };
      } else {
        this.blocked = undefined;
        const pick = this.pacer.pick(now);
        if (pick.kind === 'recipient') {
          this.inFlight++;
          return pick.i;
        }
        if (pick.kind === 'done') {
          if (this.inFlight === 0) return undefined;
          wait = { until: Infinity };
        } else {
          wait = pick;
        }
      }
      if (this.inFlight === 0 && wait.gate) {
        if (wait.until === Infinity) {
          this.stop('the send window does not open again within a year: nothing more can be sent (check sending.window)', 'fault');
          return undefined;
        }
        if (wait.until - now > SHORT_WAIT_MS) {
          // Nothing may go for a while: end the run waiting; the scheduler resumes it then.
          this.pause = { until: wait.until, reason: wait.gate };
          this.notify();
          return undefined;
        }
      }
      // Wait for that moment, or for a worker to record an outcome (which may change everything).
      await new Promise<void>((resolve) => {
        const wake = () => {
          if (timer) clearTimeout(timer);
          this.waiting.delete(wake);
          resolve();
        };
        const ms = wait.until === Infinity ? undefined : Math.min(MAX_TIMER_MS, Math.max(1, wait.until - now));
        const timer = ms === undefined ? undefined : setTimeout(wake, ms);
        this.waiting.add(wake);
      });
    }
  }

  private notify(): void {
    for (const wake of [...this.waiting]) wake();
  }

  /**
   * Picks the next recipient (the pace's gates passed) and starts its durable `sending` intent and
   * its composition; undefined when there is nothing left, the engine stops or pauses.
   */
  private async claim(): Promise<Claimed | undefined> {
    const i = await this.next();
    if (i === undefined) return undefined;
    if (this.stopRequest || this.pause) {
      this.giveBack(i);
      return undefined;
    }
    const durable = this.record({ e: 'sending', t: this.now(), i }, 'durable');
    const rendered = this.options.renderer.render(this.options.recipients[i], i).then(
      (message) => ({ message }),
      (error: unknown) => ({ error }),
    );
    return { i, durable, rendered };
  }

  /**
   * One worker = one connection. While message k is being delivered, the intent of k+1 is synced and
   * k+1 composed (so the sync costs no time), but k+1 is handed off only after k's outcome is written:
   * a killed process leaves at most one handed-off message per worker without its outcome.
   */
  private async work(): Promise<void> {
    let current = await this.claim();
    let previousOutcome: Promise<void> = Promise.resolve();
    let pause = 0;
    while (current) {
      try {
        await current.durable;
        await previousOutcome;
      } catch (error) {
        // No durable intent: nothing may be handed off. Stop; Start later treats it as uncertain.
        this.stop(`the journal could not be written: ${error instanceof Error ? error.message : String(error)}`, 'fault');
        this.done();
        return;
      }
      if (pause > 0 && !this.stopRequest) await delay(pause, this.halt.signal).catch(() => undefined);
      if (this.stopRequest || this.pause) {
        this.release(current.i, this.stopRequest ? 'not handed off: the mailing stopped' : 'not handed off: sending pauses');
        return;
      }
      const claimingNext = this.claim();
      const result = await current.rendered;
      ({ outcome: previousOutcome, pause } = await this.deliver(current.i, result));
      current = await claimingNext;
    }
  }

  private async deliver(i: number, result: { message: RenderedMessage } | { error: unknown }): Promise<{ outcome: Promise<void>; pause: number }> {
    if ('error' in result) {
      const outcome = this.fail(i, `not sent: the message could not be composed: ${result.error instanceof Error ? result.error.message : String(result.error)}`);
      this.done();
      return { outcome, pause: 0 };
    }
    // The gates once more at the moment of the hand-off: the window may have closed while the
    // message was composed, and another process may have taken the quota's last slot.
    const at = this.now();
    if (!this.pacer.inWindow(i, at)) return { outcome: this.release(i, 'not handed off: outside the send window'), pause: 0 };
    const ledger = this.options.ledger;
    if (ledger && hasLimits(this.limits)) {
      let reservation;
      try {
        reservation = await ledger.reserve(this.limits, at);
      } catch (error) {
        this.stop(`the quota ledger could not be used: ${error instanceof Error ? error.message : String(error)}`, 'fault');
        return { outcome: this.release(i, 'not handed off: the quota ledger could not be used'), pause: 0 };
      }
      if (!reservation.ok) {
        this.blocked = { until: reservation.freeAt, reason: reservation.reason };
        return { outcome: this.release(i, `not handed off: ${reservation.limit} reached`), pause: 0 };
      }
    } else {
      ledger?.note(at);
    }
    const domain = this.pacer.domainControllerOf(i, at);
    this.pacer.server.started(at);
    domain?.started(at);
    let outcome: Promise<void>;
    let pause = 0;
    try {
      const { reply } = await this.options.transport.deliver(result.message);
      this.consecutiveErrors = 0;
      const now = this.now();
      this.pacer.server.succeeded(now);
      domain?.succeeded(now);
      outcome = this.record({ e: 'sent', t: now, i, r: reply }, 'written');
    } catch (error) {
      const failure = error instanceof DeliveryError ? error : new DeliveryError('temporary', error instanceof Error ? error.message : String(error));
      // A clear 4xx (or a refusal before any recipient was accepted): the server took nothing; its slot is free.
      if (ledger && failure.kind !== 'permanent' && failure.responseCode !== undefined) void ledger.cancel(at).catch(() => undefined);
      ({ outcome, pause } = this.recordFailure(i, failure, at));
    }
    this.done();
    return { outcome, pause };
  }

  /** A picked recipient is no longer in this worker's hands. */
  private done(): void {
    this.inFlight--;
    this.options.onChange?.();
    this.notify();
  }

  /** A recipient whose intent was written but who was never handed off: pending again, no attempt. */
  private release(i: number, reason: string): Promise<void> {
    const outcome = this.record({ e: 'released', t: this.now(), i, r: reason }, 'written');
    outcome.catch(() => undefined);
    this.pacer.giveBack(i);
    this.done();
    return outcome;
  }

  /** Returns a picked recipient that was never handed off (no event was written for it). */
  private giveBack(i: number): void {
    this.inFlight--;
    this.pacer.giveBack(i, this.fold.progress[i] === Progress.Deferred ? (this.fold.retryAt.get(i) ?? this.now()) : undefined);
    this.notify();
  }

  private fail(i: number, reply: string): Promise<void> {
    const outcome = this.record({ e: 'failed', t: this.now(), i, r: reply }, 'written');
    this.countError(reply);
    return outcome;
  }

  /** Records a failed hand-off (begun at `startedAt`); says how long this worker should pause (network trouble). */
  private recordFailure(i: number, failure: DeliveryError, startedAt: number): { outcome: Promise<void>; pause: number } {
    const { sending } = this.options;
    const now = this.now();
    if (failure.kind === 'fatal') {
      // Refused before any recipient was accepted (authentication, sender): not an attempt.
      const outcome = this.record({ e: 'released', t: now, i, r: failure.reply }, 'written');
      this.stop(failure.reply, 'fault');
      return { outcome, pause: 0 };
    }
    if (failure.kind === 'permanent') return { outcome: this.fail(i, failure.reply), pause: 0 };
    const made = this.fold.attempts[i];
    if (isThrottleReply(failure.responseCode, failure.reply)) {
      // "Too fast": slow down (the domain's rate when it has one and the reply was to this recipient,
      // else the server's) and retry it soon; the attempt does not count and it is no error in a row.
      const domain = failure.stage === 'recipient' ? this.pacer.domainControllerOf(i, now) : undefined;
      (domain ?? this.pacer.server).throttled(startedAt, now);
      const outcome = this.record({ e: 'deferred', t: now, i, r: failure.reply, a: made, at: now, th: 1 }, 'written');
      this.pacer.defer(i, now);
      return { outcome, pause: 0 };
    }
    if (made >= sending.attempts) return { outcome: this.fail(i, `${failure.reply} (gave up after ${made} attempts)`), pause: 0 };
    const backoff = Math.min(sending.retryDelay * 2 ** Math.max(0, made - 1), sending.maxRetryDelay);
    const at = now + backoff;
    const outcome = this.record({ e: 'deferred', t: now, i, r: failure.reply, a: made, at }, 'written');
    this.pacer.defer(i, at);
    this.countError(failure.reply);
    // A failure without an SMTP reply is the network or the server going away: slow this worker down.
    return { outcome, pause: failure.responseCode === undefined ? Math.min(sending.retryDelay, 1_000) : 0 };
  }

  private countError(reply: string): void {
    this.consecutiveErrors++;
    const limit = this.options.sending.maxConsecutiveErrors;
    if (limit > 0 && this.consecutiveErrors >= limit) {
      this.stop(`${this.consecutiveErrors} deliveries failed in a row; the last: ${reply}`, 'fault');
    }
  }

  /** Journals a rate change: a lowering at once, a raise at most every RATE_JOURNAL_MS (the last one at the end). */
  private onRate(key: string, rate: number, at: number): void {
    const known = this.rateJournal.get(key);
    const last = this.fold.rates.get(key);
    if (last === undefined || rate < last || !known || at - known.at >= RATE_JOURNAL_MS) {
      this.rateJournal.set(key, { at });
      void this.record({ e: 'rate', t: at, k: key, r: rate }, 'written').catch(() => undefined);
    } else {
      known.pending = rate;
    }
  }

  private flushRates(): void {
    for (const [key, known] of this.rateJournal) {
      if (known.pending !== undefined && known.pending !== this.fold.rates.get(key)) {
        void this.record({ e: 'rate', t: this.now(), k: key, r: known.pending }, 'written').catch(() => undefined);
      }
      known.pending = undefined;
    }
  }

  /** Folds an event and appends it to the journal; resolves when written or durable, as asked. */
  private record(event: JournalEvent, mode: 'written' | 'durable'): Promise<void> {
    this.fold.apply(event);
    const journal = this.options.journal;
    const done = mode === 'durable' ? journal.append(event) : journal.write(event);
    this.lastWrite = done.catch((error: unknown) => {
      this.journalError ??= error;
    });
    if (event.e === 'sent' || event.e === 'deferred' || event.e === 'failed') this.options.onOutcome?.(event);
    return done;
  }
}
