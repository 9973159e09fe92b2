// The hand-offs made through one SMTP server, as sorted timestamps, and the decision a quota or a
// warm-up makes over them: may one more message go at instant t, and if not, from when on it may.
//
// A quota "N per P" is a true sliding window: a hand-off at t is allowed while fewer than N earlier
// hand-offs lie in (t - P, t]. So after N hand-offs at t0 the next is allowed at exactly t0 + P, not
// a millisecond before. A warm-up allows start × growth^d hand-offs in any sliding day, where d is
// the number of whole days since the server's first recorded hand-off (day 0 allows `start`).
import type { Quota, Warmup } from '../types';

export const DAY_MS = 86_400_000;

export interface PaceLimits {
  quotas: readonly Quota[];
  warmup?: Warmup;
}

export type LimitDecision = { ok: true } | { ok: false; reason: 'quota' | 'warmup'; freeAt: number; limit: string };

export function hasLimits(limits: PaceLimits): boolean {
  return limits.quotas.length > 0 || limits.warmup !== undefined;
}

/** The warm-up's daily allowance on day `day` (0-based). */
export function warmupAllowance(warmup: Warmup, day: number): number {
  return Math.floor(warmup.start * warmup.growth ** Math.max(0, day));
}

export class HandoffLog {
  /** Sorted ascending. */
  private times: number[] = [];
  /** The first hand-off of the server's history (the warm-up counts its days from it). */
  since?: number;

  get size(): number {
    return this.times.length;
  }

  /** Timestamps, oldest first (read-only). */
  get all(): readonly number[] {
    return this.times;
  }

  add(at: number): void {
    const times = this.times;
    if (times.length === 0 || times[times.length - 1] <= at) times.push(at);
    else times.splice(this.firstAfter(at), 0, at);
    if (this.since === undefined || at < this.since) this.since = at;
  }

  /** Removes one hand-off at exactly `at` (a cancelled one); false when there is none. */
  remove(at: number): boolean {
    const k = this.firstAfter(at - 1);
    if (k >= this.times.length || this.times[k] !== at) return false;
    this.times.splice(k, 1);
    return true;
  }

  /** Drops hand-offs at or before `before` (older than any window looks back). */
  prune(before: number): number {
    const k = this.firstAfter(before);
    if (k > 0) this.times.splice(0, k);
    return k;
  }

  clear(): void {
    this.times = [];
    this.since = undefined;
  }

  /** Index of the first timestamp greater than `at`. */
  private firstAfter(at: number): number {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid] <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Hand-offs later than `after` (a window's start, exclusive). Later ones than "now" count too: another process's clock. */
  countAfter(after: number): number {
    return this.times.length - this.firstAfter(after);
  }

  /**
   * Whether one more hand-off may go at `at` under `limits`; if not, the earliest instant it may
   * (no earlier instant can allow it unless hand-offs are cancelled).
   */
  decide(limits: PaceLimits, at: number): LimitDecision {
    let blocked: Extract<LimitDecision, { ok: false }> | undefined;
    const consider = (reason: 'quota' | 'warmup', freeAt: number, limit: string) => {
      if (!blocked || freeAt > blocked.freeAt) blocked = { ok: false, reason, freeAt, limit };
    };
    for (const quota of limits.quotas) {
      const start = this.firstAfter(at - quota.periodMs);
      const inWindow = this.times.length - start;
      // The (inWindow - count + 1)-th oldest in the window must leave it first.
      if (inWindow >= quota.count) consider('quota', this.times[start + inWindow - quota.count] + quota.periodMs, quota.text);
    }
    if (limits.warmup) {
      const since = this.since ?? at;
      const day = Math.floor((at - since) / DAY_MS);
      const allowance = warmupAllowance(limits.warmup, day);
      const start = this.firstAfter(at - DAY_MS);
      const inWindow = this.times.length - start;
      if (inWindow >= allowance) {
        // Either enough of the last day's hand-offs leave the window, or the next day allows more.
        const expiry = allowance > 0 ? this.times[start + inWindow - allowance] + DAY_MS : Infinity;
        const nextDay = warmupAllowance(limits.warmup, day + 1) > allowance ? since + (day + 1) * DAY_MS : Infinity;
        consider('warmup', Math.min(expiry, nextDay), `warm-up day ${day + 1}: ${allowance}/day`);
      }
    }
    return blocked ?? { ok: true };
  }
}
