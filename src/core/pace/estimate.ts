// When a send will finish ("about Thu 20:14"): the recipients handed off one by one at the configured
// rate, only inside the send window (in each wave's zone with localTime), never before a wave is due,
// and never over a quota or the warm-up's daily allowance — a simulation of what the engine does,
// on the instant scale alone (no I/O, no clock: `start` is given). Throttling cannot be foreseen: the
// estimate is what the configuration allows at best. Without a rate, hand-offs take no time.
import type { Quota, SendWindowSpec, Warmup } from '../types';
import { DAY_MS, HandoffLog, hasLimits, type PaceLimits } from './handoffLog';
import { SendWindow } from './window';

export interface EstimateGroup {
  count: number;
  /** The zone its window is read in. */
  zone: string;
  /** Not before this instant (a local-time wave); 0: any time. */
  dueAt: number;
}

export interface EstimateInput {
  /** When sending begins. */
  start: number;
  groups: readonly EstimateGroup[];
  /** Messages per second; Infinity: no cap. */
  ratePerSecond: number;
  window?: SendWindowSpec;
  quotas?: readonly Quota[];
  warmup?: Warmup;
  /** What the server's ledger already holds (other mailings' hand-offs count against the quotas). */
  ledger?: { since?: number; times: readonly number[] };
  /** How far to look (default 60 days). */
  horizonMs?: number;
}

export interface Estimate {
  /** The last hand-off; undefined when it lies beyond the horizon (or the window never opens). */
  finishAt?: number;
  /** The first hand-off. */
  firstAt?: number;
  horizonMs: number;
}

export const DEFAULT_ESTIMATE_HORIZON_MS = 60 * DAY_MS;
/** Hand-offs simulated one by one at most; beyond, the answer is "beyond the horizon". */
const MAX_STEPS = 3_000_000;

export function estimateFinish(input: EstimateInput): Estimate {
  const horizonMs = input.horizonMs ?? DEFAULT_ESTIMATE_HORIZON_MS;
  const end = input.start + horizonMs;
  const limits: PaceLimits = { quotas: input.quotas ?? [], warmup: input.warmup };
  const limited = hasLimits(limits);
  const log = new HandoffLog();
  if (limited && input.ledger) {
    for (const at of input.ledger.times) log.add(at);
    if (input.ledger.since !== undefined) log.since = input.ledger.since;
  }
  const windows = new Map<string, SendWindow>();
  const windowOf = (zone: string) => {
    let window = windows.get(zone);
    if (!window && input.window) windows.set(zone, (window = new SendWindow(input.window, zone)));
    return window;
  };
  const groups = input.groups.filter((group) => group.count > 0).map((group) => ({ ...group, left: group.count, window: windowOf(group.zone) }));
  const spacing = Number.isFinite(input.ratePerSecond) && input.ratePerSecond > 0 ? 1000 / input.ratePerSecond : 0;
  let left = groups.reduce((sum, group) => sum + group.left, 0);
  let t = input.start;
  let firstAt: number | undefined;
  let last: number | undefined;
  for (let steps = 0; left > 0; steps++) {
    if (steps > MAX_STEPS || t > end) return { horizonMs };
    // The group that may send first, and when.
    let best: (typeof groups)[number] | undefined;
    let bestAt = Infinity;
    for (const group of groups) {
      if (group.left === 0) continue;
      let at: number | undefined = Math.max(t, group.dueAt);
      if (group.window) at = at > end ? undefined : group.window.nextOpening(at);
      if (at !== undefined && at < bestAt) {
        best = group;
        bestAt = at;
      }
    }
    if (!best || bestAt > end) return { horizonMs };
    if (limited) {
      const decision = log.decide(limits, bestAt);
      if (!decision.ok) {
        t = decision.freeAt;
        continue;
      }
      log.add(bestAt);
      best.left--;
      left--;
    } else {
      // Without limits a stretch of the window is filled at once: as many as the rate fits before it closes.
      const closes = best.window ? (best.window.stateAt(bestAt) as { until: number }).until : Infinity;
      const fits = spacing === 0 ? best.left : Math.min(best.left, Math.max(1, Math.ceil((closes - bestAt) / spacing)));
      best.left -= fits;
      left -= fits;
      firstAt ??= bestAt;
      last = bestAt + (fits - 1) * spacing;
      t = last + spacing;
      continue;
    }
    firstAt ??= bestAt;
    last = bestAt;
    t = bestAt + spacing;
  }
  if (last !== undefined && last > end) return { horizonMs };
  return { finishAt: last, firstAt, horizonMs };
}
