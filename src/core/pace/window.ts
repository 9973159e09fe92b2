// The send window (`sending.window`): the stretches of time in which a mailing may hand messages to
// the server, as wall-clock ranges on allowed weekdays in one IANA zone, minus `except` dates.
//
// A range on local date D is the interval [open, close) where open is the first instant at which the
// zone's clock reads the range's start on D (or later), and close the first instant, after that,
// at which it reads the range's end. One rule covers both DST transitions:
// - clocks go forward (02:00 -> 03:00): a range starting in the skipped hour opens at the jump
//   (02:30-04:00 opens at 03:00); a range entirely inside the skipped hour does not open that day;
// - clocks go back (03:00 -> 02:00): a time that occurs twice is its first occurrence, so the
//   repeated hour is sent in once: 01:00-02:30 closes at the first 02:30 and does not reopen, and a
//   range open across the change (e.g. 22:00-04:00) simply lasts an hour longer.
// A range whose end is not after its start runs past midnight (22:00-02:00) and belongs to the day
// it starts on. Nothing is sent on an `except` date: its ranges do not open, and a range of the day
// before that runs past midnight closes at the start of the excepted date. Touching or overlapping
// ranges (18:00-24:00 and the next day's 00:00-02:00) are one stretch.
import type { SendWindowSpec } from '../types';
import { instantFromWallClock, wallClock, zoneOffsetMinutes } from '../time/zone';

export const DAY_SECONDS = 86_400;
const DAY_MS = 86_400_000;
/** How far ahead a window is searched for an opening (a little over a year: every weekday and date recurs). */
export const WINDOW_HORIZON_DAYS = 400;

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** The local date `days` after `date` (calendar arithmetic, no zone involved). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function isoDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

export function localDateOf(instant: number, zone: string): LocalDate {
  const wall = wallClock(new Date(instant), zone);
  return { year: wall.year, month: wall.month, day: wall.day };
}

/** The wall clock of `zone` at `instant`, as milliseconds on a UTC-like scale (for comparisons). */
function wallMs(instant: number, zone: string): number {
  return instant + zoneOffsetMinutes(new Date(instant), zone) * 60_000;
}

/**
 * The first instant at which the clock of `zone` reads `seconds` past midnight of `date`, or a later
 * time: the instant itself when that wall time exists (its first occurrence when it occurs twice),
 * the moment of the jump when it falls in a gap (clocks going forward).
 */
export function firstInstantAtOrAfter(date: LocalDate, seconds: number, zone: string): number {
  if (seconds >= DAY_SECONDS) return firstInstantAtOrAfter(addDays(date, Math.floor(seconds / DAY_SECONDS)), seconds % DAY_SECONDS, zone);
  const wall = { ...date, hour: Math.floor(seconds / 3600), minute: Math.floor((seconds % 3600) / 60), second: seconds % 60 };
  const target = Date.UTC(date.year, date.month - 1, date.day, wall.hour, wall.minute, wall.second);
  // 'compatible' (zone.ts): exact for a time that exists (the earlier of two); moved past the gap otherwise.
  const candidate = instantFromWallClock(wall, zone).getTime();
  if (wallMs(candidate, zone) === target) return candidate;
  // In a gap: the clock reads less than the target before the jump and more after it. Find the jump.
  let lo = candidate - 2 * DAY_MS;
  let hi = candidate;
  if (wallMs(lo, zone) >= target) return candidate; // not a simple gap (never seen in tzdata); keep compatible's answer
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (wallMs(mid, zone) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}

export type WindowState = { open: true; until: number } | { open: false; next: number | undefined };

/** A send window in one zone: which instants are inside, and the next opening and closing. */
export class SendWindow {
  private readonly days: ReadonlySet<number>;
  private readonly except: ReadonlySet<string>;
  private readonly ranges: readonly { start: number; end: number }[];
  /** The stretch (open or closed) the last question fell in: the engine asks about "now" often. */
  private cached?: { from: number; to: number; state: WindowState };

  constructor(
    spec: SendWindowSpec,
    readonly zone: string,
  ) {
    this.days = new Set(spec.days);
    this.except = new Set(spec.except);
    this.ranges = [...spec.ranges].sort((a, b) => a.start - b.start);
  }

  /** The raw intervals of the ranges starting on `date` (sorted by opening; empty ones left out). */
  private intervalsOn(date: LocalDate): [number, number][] {
    if (!this.days.has(weekdayOf(date)) || this.except.has(isoDate(date))) return [];
    const next = addDays(date, 1);
    // A range running past midnight into an excepted date stops at that date's start.
    const cut = this.except.has(isoDate(next)) ? firstInstantAtOrAfter(next, 0, this.zone) : Infinity;
    const result: [number, number][] = [];
    for (const range of this.ranges) {
      const open = firstInstantAtOrAfter(date, range.start, this.zone);
      const close = Math.min(cut, range.end > range.start ? firstInstantAtOrAfter(date, range.end, this.zone) : firstInstantAtOrAfter(next, range.end, this.zone));
      if (close > open) result.push([open, close]);
    }
    return result.sort((a, b) => a[0] - b[0]);
  }

  /**
   * The open stretches [open, close) that end after `from`, in order, merged where they touch or
   * overlap; searched `horizonDays` ahead. The stretch in force at `from` comes first (open <= from).
   */
  *intervals(from: number, horizonDays = WINDOW_HORIZON_DAYS): Generator<[number, number]> {
    // Ranges of the previous day may run past midnight into `from`'s day.
    let date = addDays(localDateOf(from, this.zone), -1);
    let current: [number, number] | undefined;
    for (let n = 0; n <= horizonDays + 1; n++, date = addDays(date, 1)) {
      for (const interval of this.intervalsOn(date)) {
        if (interval[1] <= from) continue;
        if (current && interval[0] <= current[1]) {
          current[1] = Math.max(current[1], interval[1]);
          continue;
        }
        if (current) yield current;
        current = [interval[0], interval[1]];
      }
    }
    if (current) yield current;
  }

  /** Whether `at` is inside the window, and until when; or when it opens next (undefined: not within the horizon). */
  stateAt(at: number): WindowState {
    const cached = this.cached;
    if (cached && at >= cached.from && at < cached.to) return cached.state;
    const first = this.intervals(at).next();
    let state: WindowState;
    if (first.done) {
      state = { open: false, next: undefined };
      this.cached = { from: at, to: at + DAY_MS, state };
    } else if (first.value[0] <= at) {
      state = { open: true, until: first.value[1] };
      this.cached = { from: first.value[0], to: first.value[1], state };
    } else {
      state = { open: false, next: first.value[0] };
      this.cached = { from: at, to: first.value[0], state };
    }
    return state;
  }

  contains(at: number): boolean {
    return this.stateAt(at).open;
  }

  /** `at` itself when inside, else the next opening (undefined: none within the horizon). */
  nextOpening(at: number): number | undefined {
    const state = this.stateAt(at);
    return state.open ? at : state.next;
  }

  /** The end of the stretch in force at `at`, or of the next one (undefined: none within the horizon). */
  nextClosing(at: number): number | undefined {
    const state = this.stateAt(at);
    if (state.open) return state.until;
    if (state.next === undefined) return undefined;
    return this.stateAt(state.next).open ? (this.stateAt(state.next) as { until: number }).until : undefined;
  }
}
