// Throttling that listens to the server: additive increase, multiplicative decrease (AIMD), as TCP
// does with congestion. A "too fast" reply (pace/throttle.ts) halves the rate for that server or
// domain — from the rate actually achieved over the last second, when that is lower than the cap —
// and empties the bucket, so the next message waits a whole interval. It does so once per cool-down:
// replies to messages handed off before the last decrease, or within a second after it (a server
// counts over a sliding second or longer, so it still remembers the old rate), do not lower it again.
// Each run of successes raises it by a small step, never above the configured rate. Without a
// configured rate nothing is capped until the first "too fast" reply.
import { RateLimiter } from '../send/rateLimiter';

/** Lowest rate the controller goes to: one message a minute. */
export const MIN_RATE_PER_SECOND = 1 / 60;
export const DECREASE_FACTOR = 0.5;
/** Successes in a row that earn one step up. */
export const SUCCESS_RUN = 10;
/** A step up: this share of the configured rate (or, without one, of the rate the last decrease set). */
const STEP_OF_CEILING = 0.05;
const STEP_OF_DECREASED = 0.1;
/** The achieved rate is measured over this span. */
const OBSERVE_MS = 1_000;
/** After a decrease, "too fast" replies to hand-offs begun within this long do not lower the rate again. */
export const COOLDOWN_MS = 1_000;

export class RateController {
  readonly limiter: RateLimiter;
  private starts: number[] = [];
  private head = 0;
  private successes = 0;
  private step: number;
  private lastDecreaseAt = -Infinity;
  /** Last "too fast" reply that lowered the rate. */
  throttledAt?: number;

  constructor(
    /** The configured rate, messages per second (Infinity: none). */
    readonly ceiling: number,
    now: number,
    private readonly onChange?: (perSecond: number, now: number) => void,
  ) {
    this.limiter = new RateLimiter(ceiling, now);
    this.step = Number.isFinite(ceiling) ? Math.max(MIN_RATE_PER_SECOND, ceiling * STEP_OF_CEILING) : 0;
  }

  /** Messages per second allowed now (Infinity: no cap). */
  get current(): number {
    return this.limiter.ratePerSecond;
  }

  /** A hand-off began at `at` (counted for the achieved rate). */
  started(at: number): void {
    this.starts.push(at);
    this.trim(at);
  }

  succeeded(now: number): void {
    if (this.current >= this.ceiling) return;
    if (++this.successes < SUCCESS_RUN) return;
    this.successes = 0;
    this.set(Math.min(this.ceiling, this.current + this.step), now);
  }

  /**
   * A "too fast" reply to the hand-off that began at `startedAt`. Lowers the rate unless that
   * hand-off was made before the last decrease or within its cool-down; says whether it did.
   */
  throttled(startedAt: number, now: number): boolean {
    this.successes = 0;
    if (startedAt < this.lastDecreaseAt + COOLDOWN_MS) return false;
    this.trim(now);
    const achieved = (this.starts.length - this.head) / (OBSERVE_MS / 1000);
    const base = Math.max(MIN_RATE_PER_SECOND, Math.min(this.current, achieved));
    const lowered = Math.max(MIN_RATE_PER_SECOND, base * DECREASE_FACTOR);
    if (!Number.isFinite(this.ceiling)) this.step = Math.max(MIN_RATE_PER_SECOND, lowered * STEP_OF_DECREASED);
    this.lastDecreaseAt = now;
    this.throttledAt = now;
    this.set(lowered, now);
    this.limiter.drain(now);
    return true;
  }

  private set(perSecond: number, now: number): void {
    if (perSecond === this.current) return;
    this.limiter.setRate(perSecond, now);
    this.onChange?.(perSecond, now);
  }

  private trim(now: number): void {
    while (this.head < this.starts.length && this.starts[this.head] <= now - OBSERVE_MS) this.head++;
    if (this.head > 1024 && this.head > this.starts.length / 2) {
      this.starts = this.starts.slice(this.head);
      this.head = 0;
    }
  }
}
