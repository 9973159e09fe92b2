// The rate cap (`sending.rate`) as a token bucket holding at most one second of messages (at least
// one). It starts EMPTY but for one token: a resumed or restarted mailing does not burst the backlog
// of a rate it did not use while stopped (listmonk's in-memory limit resets on restart; ours starts
// slow instead).
import type { Rate } from '../types';

const PER_MS: Record<Rate['per'], number> = { second: 1_000, minute: 60_000, hour: 3_600_000 };

export class RateLimiter {
  private tokens = 1;
  private last: number;
  private readonly perMs: number;
  private readonly capacity: number;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    rate: Rate,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = rate.count / PER_MS[rate.per];
    this.capacity = Math.max(1, this.perMs * 1_000);
    this.last = now();
  }

  /** Waits for a token (in call order); rejects when the signal aborts. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.chain.then(() => this.wait(signal));
    this.chain = turn.catch(() => undefined);
    return turn;
  }

  private async wait(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.now();
      this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await delay(Math.ceil((1 - this.tokens) / this.perMs), signal);
    }
  }
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
