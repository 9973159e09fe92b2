// Wall clocks of IANA time zones, from Intl alone: the offset of a zone at an instant, the wall-clock
// fields of an instant in a zone, and the instant of a wall-clock time in a zone (correct across DST).
// chrono-node only knows fixed offsets, so every zone-aware step of a when-expression goes through here.

/** The fields of a wall-clock time; month 1–12, weekday 0 = Sunday … 6 = Saturday. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
      era: 'short',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

/** True when `timezone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timezone: string): boolean {
  if (!timezone) return false;
  try {
    formatterFor(timezone);
    return true;
  } catch {
    return false;
  }
}

/** The machine's own zone (the default of a mailing without `timezone`). */
export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The wall-clock fields of `instant` in `timezone`. Throws RangeError for an unknown zone. */
export function wallClock(instant: Date, timezone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timezone).formatToParts(instant)) parts[part.type] = part.value;
  const year = Number(parts.year);
  return {
    // Years before the common era (never scheduled, but keep the arithmetic honest).
    year: parts.era === 'BC' || parts.era === 'B' ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: instant.getUTCMilliseconds(),
    weekday: WEEKDAYS.indexOf(parts.weekday),
  };
}

function wallAsUtcMs(wall: Omit<WallClock, 'weekday'>): number {
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, wall.millisecond);
  return date.getTime();
}

/** Minutes east of UTC that `timezone` observes at `instant` (Amsterdam in winter: 60). */
export function zoneOffsetMinutes(instant: Date, timezone: string): number {
  return Math.round((wallAsUtcMs(wallClock(instant, timezone)) - instant.getTime()) / 60000);
}

/**
 * The instant at which `timezone` shows the wall-clock time `wall`. Like Temporal's 'compatible'
 * disambiguation: a time that occurs twice (clocks go back) is the earlier one; a time that does not
 * exist (clocks go forward) moves forward by the size of the gap (02:30 on a spring-forward night
 * becomes 03:30).
 */
export function instantFromWallClock(wall: Omit<WallClock, 'weekday' | 'millisecond'> & { millisecond?: number }, timezone: string): Date {
  const full = { ...wall, millisecond: wall.millisecond ?? 0 };
  const asUtc = wallAsUtcMs(full);
  const day = 24 * 60 * 60 * 1000;
  // The offsets in force a day before and a day after bracket any single transition near this time.
  const before = zoneOffsetMinutes(new Date(asUtc - day), timezone);
  const after = zoneOffsetMinutes(new Date(asUtc + day), timezone);
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset * 60000)
    .filter((ms) => wallAsUtcMs(wallClock(new Date(ms), timezone)) === asUtc)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]);
  // In the gap: read the wall time with the offset from before the jump, which lands after it.
  return new Date(asUtc - before * 60000);
}

// Building an Intl formatter costs far more than using one: validation resolves the schedule on every
// keystroke, so formatters are kept per locale and zone.
const abbreviationFormatters = new Map<string, Intl.DateTimeFormat>();

function abbreviationFormatter(locale: string, timezone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timezone}`;
  let formatter = abbreviationFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { timeZone: timezone, timeZoneName: 'short' });
    abbreviationFormatters.set(key, formatter);
  }
  return formatter;
}

/**
 * The zone's usual abbreviation at `instant` ("CET", "CEST", "EST"); a "GMT+1" style name when the
 * runtime knows no abbreviation for it.
 */
export function zoneAbbreviation(instant: Date, timezone: string): string {
  let fallback = '';
  for (const locale of ['en-US', 'en-GB']) {
    const name = abbreviationFormatter(locale, timezone)
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value;
    if (!name) continue;
    if (!/^(GMT|UTC)[+-−]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback || timezone;
}
