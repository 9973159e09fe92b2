// A rate cap as a token bucket holding at most one second of messages (at least one). It starts
// EMPTY but for one token: a resumed or restarted mailing does not burst the backlog of a rate it did
// not use while stopped (listmonk's in-memory limit resets on restart; ours starts slow instead).
// The rate can change while it runs (the rate controller lowers it after "too fast" replies); the
// engine asks it synchronously whether a token is there and when the next one will be.
import type { Rate } from '../types';

const PER_MS: Record<Rate['per'], number> = { second: 1_000, minute: 60_000, hour: 3_600_000 };

/** Messages per second of a rate. */
export function perSecond(rate: Rate): number {
  return (rate.count / PER_MS[rate.per]) * 1_000;
}

export class RateLimiter {
  private tokens = 1;
  private last: number;
  /** Messages per millisecond; Infinity: no cap. */
  private perMs: number;
  private capacity: number;

  constructor(ratePerSecond: number, now: number) {
    this.perMs = ratePerSecond / 1_000;
    this.capacity = capacityOf(this.perMs);
    this.last = now;
  }

  /** Messages per second allowed now (Infinity: no cap). */
  get ratePerSecond(): number {
    return this.perMs * 1_000;
  }

  /** Changes the rate from `now` on; tokens beyond the new bucket's size are dropped. */
  setRate(ratePerSecond: number, now: number): void {
    this.refill(now);
    this.perMs = ratePerSecond / 1_000;
    this.capacity = capacityOf(this.perMs);
    this.tokens = Math.min(this.tokens, this.capacity);
  }

  /** When the next token is there (`now` when it is already). */
  nextAt(now: number): number {
    if (this.perMs === Infinity) return now;
    this.refill(now);
    return this.tokens >= 1 ? now : now + Math.ceil((1 - this.tokens) / this.perMs);
  }

  /** Takes a token if there is one. */
  tryTake(now: number): boolean {
    if (this.perMs === Infinity) return true;
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Empties the bucket: the next message waits a whole interval from `now`. */
  drain(now: number): void {
    this.refill(now);
    if (this.perMs !== Infinity) this.tokens = 0;
  }

  /** Gives back a token taken for a message that was not sent after all. */
  giveBack(): void {
    if (this.perMs !== Infinity) this.tokens = Math.min(this.capacity, this.tokens + 1);
  }

  private refill(now: number): void {
    if (now > this.last) {
      if (this.perMs !== Infinity) this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
      this.last = now;
    }
  }
}

function capacityOf(perMs: number): number {
  return perMs === Infinity ? Infinity : Math.max(1, perMs * 1_000);
}

/** setTimeout as a promise that an AbortSignal cuts short (rejecting with the signal's reason). */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
