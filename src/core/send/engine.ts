// The send engine: hands the recipients of a confirmed snapshot to a transport with bounded
// concurrency, a rate cap, retries of temporary failures with exponential backoff, and stops on a
// fatal fault or too many consecutive failures, journaling every step.
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
import type { Recipient, SendingOptions } from '../types';
import type { MessageRenderer, RenderedMessage } from '../render/renderer';
import type { JournalWriter } from '../state/journal';
import type { JournalEvent } from '../state/journalEvents';
import { JournalFold, Progress } from '../state/journalFold';
import { RateLimiter, delay } from './rateLimiter';
import { DeliveryError, type Transport } from './transport';

export interface EngineOptions {
  recipients: readonly Recipient[];
  /** The mailing's fold, current up to the `started`/`resumed` event; the engine keeps it current. */
  fold: JournalFold;
  journal: JournalWriter;
  transport: Transport;
  renderer: MessageRenderer;
  sending: SendingOptions;
  /** Called after every recorded outcome (progress, statistics). */
  onChange?: () => void;
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
    };

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

/** Min-heap of deferred recipients by due time. */
class RetryHeap {
  private items: { at: number; i: number }[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): { at: number; i: number } | undefined {
    return this.items[0];
  }
  push(at: number, i: number): void {
    const items = this.items;
    items.push({ at, i });
    let k = items.length - 1;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (items[parent].at <= items[k].at) break;
      [items[parent], items[k]] = [items[k], items[parent]];
      k = parent;
    }
  }
  pop(): { at: number; i: number } | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      let k = 0;
      for (;;) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < items.length && items[l].at < items[m].at) m = l;
        if (r < items.length && items[r].at < items[m].at) m = r;
        if (m === k) break;
        [items[m], items[k]] = [items[k], items[m]];
        k = m;
      }
    }
    return top;
  }
}

export class SendEngine {
  private readonly fold: JournalFold;
  private readonly now: () => number;
  private readonly retries = new RetryHeap();
  private readonly halt = new AbortController();
  private readonly limiter?: RateLimiter;
  private cursor = 0;
  private inFlight = 0;
  private consecutiveErrors = 0;
  private stopRequest?: StopRequest;
  /** Workers waiting in next() for something to do. */
  private readonly waiting = new Set<() => void>();
  private lastWrite: Promise<void> = Promise.resolve();
  private journalError?: unknown;

  constructor(private readonly options: EngineOptions) {
    this.fold = options.fold;
    this.now = options.now ?? Date.now;
    if (options.sending.rate) this.limiter = new RateLimiter(options.sending.rate, this.now);
    for (const [i, at] of this.fold.retryAt) if (this.fold.progress[i] === Progress.Deferred) this.retries.push(at, i);
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
    await this.lastWrite;
    if (this.journalError && !this.stopRequest) this.stop(`the journal could not be written: ${String(this.journalError)}`, 'fault');
    if (this.stopRequest) return { kind: 'stopped', ...this.stopRequest };
    if (this.fold.sent + this.fold.failed >= this.fold.total) return { kind: 'completed' };
    return { kind: 'stopped', reason: 'the engine ended with recipients left (a bug): Start resumes them', by: 'fault', journal: true };
  }

  /** The next recipient to hand off: a due retry first, then the next pending one; undefined when done. */
  private async next(): Promise<number | undefined> {
    for (;;) {
      if (this.stopRequest) return undefined;
      const now = this.now();
      const due = this.retries.peek();
      if (due && due.at <= now) {
        this.retries.pop();
        this.inFlight++;
        return due.i;
      }
      const { progress, total } = this.fold;
      while (this.cursor < total && progress[this.cursor] !== Progress.Pending) this.cursor++;
      if (this.cursor < total) {
        this.inFlight++;
        return this.cursor++;
      }
      if (!due && this.inFlight === 0) return undefined;
      // Nothing to do yet: wait for a retry to fall due, or for a worker to record an outcome.
      await new Promise<void>((resolve) => {
        const wake = () => {
          if (timer) clearTimeout(timer);
          this.waiting.delete(wake);
          resolve();
        };
        const timer = due ? setTimeout(wake, Math.max(1, due.at - now)) : undefined;
        this.waiting.add(wake);
      });
    }
  }

  private notify(): void {
    for (const wake of [...this.waiting]) wake();
  }

  /**
   * Picks the next recipient, waits for the rate, and starts its durable `sending` intent and its
   * composition; undefined when there is nothing left or the engine stops.
   */
  private async claim(): Promise<Claimed | undefined> {
    const i = await this.next();
    if (i === undefined) return undefined;
    try {
      if (this.limiter) await this.limiter.take(this.halt.signal);
    } catch {
      this.giveBack(i); // stopped while waiting for the rate: the recipient was never touched
      return undefined;
    }
    if (this.stopRequest) {
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
      if (this.stopRequest) {
        this.release(current.i, 'not handed off: the mailing stopped');
        return;
      }
      const claimingNext = this.claim();
      const result = await current.rendered;
      ({ outcome: previousOutcome, pause } = await this.deliver(current.i, result));
      current = await claimingNext;
    }
  }

  private async deliver(i: number, result: { message: RenderedMessage } | { error: unknown }): Promise<{ outcome: Promise<void>; pause: number }> {
    let outcome: Promise<void>;
    let pause = 0;
    if ('error' in result) {
      outcome = this.fail(i, `not sent: the message could not be composed: ${result.error instanceof Error ? result.error.message : String(result.error)}`);
    } else {
      try {
        const { reply } = await this.options.transport.deliver(result.message);
        this.consecutiveErrors = 0;
        outcome = this.record({ e: 'sent', t: this.now(), i, r: reply }, 'written');
      } catch (error) {
        const failure = error instanceof DeliveryError ? error : new DeliveryError('temporary', error instanceof Error ? error.message : String(error));
        ({ outcome, pause } = this.recordFailure(i, failure));
      }
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
  private release(i: number, reason: string): void {
    void this.record({ e: 'released', t: this.now(), i, r: reason }, 'written').catch(() => undefined);
    if (i < this.cursor) this.cursor = i;
    this.done();
  }

  /** Returns a picked recipient that was never handed off (no event was written for it). */
  private giveBack(i: number): void {
    this.inFlight--;
    if (this.fold.progress[i] === Progress.Deferred) this.retries.push(this.fold.retryAt.get(i) ?? this.now(), i);
    else if (i < this.cursor) this.cursor = i;
    this.notify();
  }

  private fail(i: number, reply: string): Promise<void> {
    const outcome = this.record({ e: 'failed', t: this.now(), i, r: reply }, 'written');
    this.countError(reply);
    return outcome;
  }

  /** Records a failed hand-off; says how long this worker should pause (network trouble). */
  private recordFailure(i: number, failure: DeliveryError): { outcome: Promise<void>; pause: number } {
    const { sending } = this.options;
    if (failure.kind === 'fatal') {
      // Refused before any recipient was accepted (authentication, sender): not an attempt.
      const outcome = this.record({ e: 'released', t: this.now(), i, r: failure.reply }, 'written');
      this.stop(failure.reply, 'fault');
      return { outcome, pause: 0 };
    }
    if (failure.kind === 'permanent') return { outcome: this.fail(i, failure.reply), pause: 0 };
    const made = this.fold.attempts[i];
    if (made >= sending.attempts) return { outcome: this.fail(i, `${failure.reply} (gave up after ${made} attempts)`), pause: 0 };
    const backoff = Math.min(sending.retryDelay * 2 ** Math.max(0, made - 1), sending.maxRetryDelay);
    const at = this.now() + backoff;
    const outcome = this.record({ e: 'deferred', t: this.now(), i, r: failure.reply, a: made, at }, 'written');
    this.retries.push(at, i);
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

  /** Folds an event and appends it to the journal; resolves when written or durable, as asked. */
  private record(event: JournalEvent, mode: 'written' | 'durable'): Promise<void> {
    this.fold.apply(event);
    const journal = this.options.journal;
    const done = mode === 'durable' ? journal.append(event) : journal.write(event);
    this.lastWrite = done.catch((error: unknown) => {
      this.journalError ??= error;
    });
    return done;
  }
}
