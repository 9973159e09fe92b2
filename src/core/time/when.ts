// When-expressions: "tomorrow 19:00", "volgende vrijdag 20:00", "2026-12-04T19:00+01:00" -> one instant.
// chrono-node (English and Dutch) reads the words; the wall-clock time it finds is then placed in the
// mailing's IANA zone with Intl (zone.ts), so "19:00" means 19:00 on that day in that zone, whatever
// the DST offset is on that day and whatever zone the machine is in.
import * as chrono from 'chrono-node';
import type { WhenProblemArgs } from '../facts/diagnostics';
import { instantFromWallClock, isValidTimeZone, wallClock, zoneAbbreviation, zoneOffsetMinutes } from './zone';

export type WhenLocale = 'en' | 'nl';

export type WhenResult =
  | {
      ok: true;
      at: Date;
      /** The instant in words, e.g. "Fri 4 Dec 2026 19:00 CET, in 8 days" (plus a note when a time was assumed). */
      description: string;
      /** Set when the expression named a day but no time and DEFAULT_TIME was used. */
      assumedTime?: string;
    }
  | { ok: false; problem: WhenProblemArgs };

/** The time of day given to a date without one: an evening, as the seed advises for bulk mail. */
export const DEFAULT_TIME = { hour: 19, minute: 0 } as const;

/** Working hours, when mail servers are busiest; days are 0 = Sunday … 6 = Saturday, times "HH:MM". */
export interface WorkingHours {
  days: number[];
  start: string;
  end: string;
}

export const DEFAULT_WORKING_HOURS: WorkingHours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };

const PARSERS: { locale: WhenLocale; parser: chrono.Chrono }[] = [
  { locale: 'en', parser: chrono.en.casual },
  { locale: 'nl', parser: chrono.nl.casual },
];

/** Longer when-expressions are refused without parsing. */
const MAX_WHEN_LENGTH = 200;

/**
 * Resolves a when-expression to one absolute instant in `timezone`. Always reads forward in time
 * ("friday" is the coming Friday); a moment that is nevertheless in the past (an explicit past date)
 * is returned as is: the `schedule-past` check reports it, not this function.
 */
export function resolveWhen(expression: string, options: { timezone: string; now: Date; locale?: WhenLocale }): WhenResult {
  const text = expression.trim();
  const { timezone, now } = options;
  if (!isValidTimeZone(timezone)) {
    return { ok: false, problem: { kind: 'zone', zone: timezone } };
  }
  if (!text) return { ok: false, problem: { kind: 'empty' } };
  // chrono's patterns are made for a few words; a long text is no moment (and would cost seconds).
  if (text.length > MAX_WHEN_LENGTH) return { ok: false, problem: { kind: 'too-long', text, length: text.length } };

  // chrono works with fixed offsets: give it the zone's offset now, so "tomorrow" and "friday" are
  // counted in the zone's calendar; the exact offset of the target day is applied below.
  const reference = { instant: now, timezone: zoneOffsetMinutes(now, timezone) };
  let best: { results: chrono.ParsedResult[]; covered: number } | undefined;
  for (const { parser } of PARSERS) {
    const results = parser.parse(text, reference, { forwardDate: true });
    const covered = results.reduce((sum, result) => sum + result.text.length, 0);
    if (results.length > 0 && (!best || covered > best.covered)) best = { results, covered };
  }
  if (!best) return { ok: false, problem: { kind: 'not-understood', text } };
  if (best.results.length > 1) {
    return { ok: false, problem: { kind: 'several', text, moments: best.results.map((result) => result.text) } };
  }
  const [result] = best.results;
  const leftover = (text.slice(0, result.index) + ' ' + text.slice(result.index + result.text.length)).replace(/[\s,.;]+/g, ' ').trim();
  if (leftover) {
    return { ok: false, problem: { kind: 'leftover', text, leftover } };
  }
  if (result.end) {
    return { ok: false, problem: { kind: 'period', text } };
  }

  const start = result.start;
  let at: Date;
  let assumedTime: string | undefined;
  if (start.isCertain('timezoneOffset')) {
    // An explicit offset ("+01:00", "Z", "CET") or a duration from now ("in 2 hours"): already absolute.
    at = start.date();
  } else {
    const hasTime = start.isCertain('hour');
    if (!hasTime) assumedTime = `${pad(DEFAULT_TIME.hour)}:${pad(DEFAULT_TIME.minute)}`;
    at = instantFromWallClock(
      {
        year: start.get('year') ?? 0,
        month: start.get('month') ?? 1,
        day: start.get('day') ?? 1,
        hour: hasTime ? (start.get('hour') ?? 0) : DEFAULT_TIME.hour,
        minute: hasTime ? (start.get('minute') ?? 0) : DEFAULT_TIME.minute,
        second: hasTime ? (start.get('second') ?? 0) : 0,
        millisecond: hasTime ? (start.get('millisecond') ?? 0) : 0,
      },
      timezone,
    );
  }
  if (Number.isNaN(at.getTime())) return { ok: false, problem: { kind: 'not-understood', text } };

  const locale = options.locale ?? 'en';
  let description = describeInstant(at, timezone, now, locale);
  if (assumedTime) {
    description += locale === 'nl' ? ` (geen tijd opgegeven: ${assumedTime} aangenomen)` : ` (no time given: ${assumedTime} assumed)`;
  }
  return assumedTime ? { ok: true, at, description, assumedTime } : { ok: true, at, description };
}

const NAMES: Record<WhenLocale, { weekdays: string[]; months: string[]; now: string }> = {
  en: {
    weekdays: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
    months: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    now: 'now',
  },
  nl: {
    weekdays: ['zo', 'ma', 'di', 'wo', 'do', 'vr', 'za'],
    months: ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
    now: 'nu',
  },
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * An instant in words, in its zone and relative to `now`: "Fri 4 Dec 2026 19:00 CET, in 8 days"
 * (Dutch: "vr 4 dec 2026 19:00 CET, over 8 dagen"). Seconds are shown only when not zero.
 */
export function describeInstant(at: Date, timezone: string, now: Date, locale: WhenLocale = 'en'): string {
  const names = NAMES[locale];
  const wall = wallClock(at, timezone);
  const time = `${pad(wall.hour)}:${pad(wall.minute)}${wall.second ? `:${pad(wall.second)}` : ''}`;
  const absolute = `${names.weekdays[wall.weekday]} ${wall.day} ${names.months[wall.month - 1]} ${wall.year} ${time} ${zoneAbbreviation(at, timezone)}`;
  return `${absolute}, ${describeDistance(at.getTime() - now.getTime(), locale)}`;
}

/** "in 8 days", "in 3 hours", "5 minutes ago" (Dutch: "over 8 dagen", "5 minuten geleden"). */
const relativeFormats = new Map<WhenLocale, Intl.RelativeTimeFormat>();

export function describeDistance(ms: number, locale: WhenLocale = 'en'): string {
  let format = relativeFormats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
    relativeFormats.set(locale, format);
  }
  const minutes = ms / 60000;
  const size = Math.abs(minutes);
  if (size < 0.5) {
    const seconds = Math.round(ms / 1000);
    return seconds === 0 ? NAMES[locale].now : format.format(seconds, 'second');
  }
  if (size < 59.5) return format.format(Math.round(minutes), 'minute');
  if (size < 23.5 * 60) return format.format(Math.round(minutes / 60), 'hour');
  return format.format(Math.round(minutes / (24 * 60)), 'day');
}

function minutesOfDay(hhmm: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!match) throw new RangeError(`working hours: '${hhmm}' is not a time of day (HH:MM)`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** True when `at` falls on a working day between start (inclusive) and end (exclusive), in `timezone`. */
export function isInWorkingHours(at: Date, timezone: string, window: WorkingHours = DEFAULT_WORKING_HOURS): boolean {
  const start = minutesOfDay(window.start);
  const end = minutesOfDay(window.end);
  const wall = weekMinuteOf(at, timezone);
  return window.days.includes(wall.weekday) && wall.minute >= start && wall.minute < end;
}

// The same scheduled moment is checked on every validation: its place in the week is remembered.
const weekMinutes = new Map<string, { weekday: number; minute: number }>();

function weekMinuteOf(at: Date, timezone: string): { weekday: number; minute: number } {
  const key = `${timezone}\0${at.getTime()}`;
  let known = weekMinutes.get(key);
  if (!known) {
    const wall = wallClock(at, timezone);
    known = { weekday: wall.weekday, minute: wall.hour * 60 + wall.minute };
    if (weekMinutes.size >= 256) weekMinutes.clear();
    weekMinutes.set(key, known);
  }
  return known;
}
