// Each recipient's local time (`schedule.localTime`): the recipients grouped by the time zone of the
// target list's `timezone` column, and the moment each group — a wave — is due: the scheduled
// wall-clock time (date and time as the schedule reads in the mailing's zone) in the group's zone.
// A zone ahead of the mailing's is due earlier, one behind it later.
//
// DST: a due moment is read like the schedule itself (time/zone.ts, `instantFromWallClock`): a
// wall-clock time that does not exist that day in a zone (clocks go forward) moves forward by the
// jump (02:30 becomes 03:30); one that occurs twice (clocks go back) is its first occurrence.
import type { Recipient } from '../types';
import { instantFromWallClock, isValidTimeZone, wallClock } from '../time/zone';

/** The target-list column that holds a recipient's IANA zone. */
export const TIMEZONE_COLUMN = 'timezone';

export interface ZoneGroups {
  /** The zones, canonical IANA names; index 0 is the mailing's own zone. */
  zones: string[];
  /** Each recipient's zone, as an index into `zones`. */
  zoneOf: Uint16Array;
  /** Recipients per zone. */
  counts: number[];
  /** Recipients without a zone (empty or no column): the mailing's zone. */
  withoutZone: number;
  /** Recipients whose zone is not an IANA zone: the mailing's zone. */
  invalid: number;
}

const canonicalNames = new Map<string, string | null>();

/** The canonical IANA name of a zone as written (case-insensitive, aliases resolved by the runtime); undefined when unknown. */
export function canonicalZone(written: string): string | undefined {
  const text = written.trim();
  if (!text) return undefined;
  let known = canonicalNames.get(text);
  if (known === undefined) {
    known = isValidTimeZone(text) ? new Intl.DateTimeFormat('en-US', { timeZone: text }).resolvedOptions().timeZone : null;
    if (canonicalNames.size > 2000) canonicalNames.clear();
    canonicalNames.set(text, known);
  }
  return known ?? undefined;
}

/** Groups recipients by their `timezone` field; rows without a valid one join `mailingZone`. */
export function groupByZone(recipients: readonly Recipient[], mailingZone: string): ZoneGroups {
  const home = canonicalZone(mailingZone) ?? mailingZone;
  const zones = [home];
  const index = new Map<string, number>([[home, 0]]);
  const counts = [0];
  const zoneOf = new Uint16Array(recipients.length);
  let withoutZone = 0;
  let invalid = 0;
  for (let i = 0; i < recipients.length; i++) {
    const written = recipients[i].fields[TIMEZONE_COLUMN] ?? '';
    let zone = home;
    if (!written.trim()) withoutZone++;
    else {
      const canonical = canonicalZone(written);
      if (canonical) zone = canonical;
      else invalid++;
    }
    let k = index.get(zone);
    if (k === undefined) {
      // 65,535 zones is more than exist; the guard keeps the index in range whatever the input.
      if (zones.length >= 0xffff) k = 0;
      else {
        k = zones.length;
        zones.push(zone);
        counts.push(0);
        index.set(zone, k);
      }
    }
    zoneOf[i] = k;
    counts[k]++;
  }
  return { zones, zoneOf, counts, withoutZone, invalid };
}

/** The moment `zone` shows the wall-clock time that `scheduledAt` shows in `mailingZone`. */
export function waveMoment(scheduledAt: number, mailingZone: string, zone: string): number {
  const wall = wallClock(new Date(scheduledAt), mailingZone);
  return instantFromWallClock({ year: wall.year, month: wall.month, day: wall.day, hour: wall.hour, minute: wall.minute, second: wall.second, millisecond: wall.millisecond }, zone).getTime();
}

/** The due moment of every zone (epoch ms), in the order of `zones`. */
export function waveMoments(scheduledAt: number, mailingZone: string, zones: readonly string[]): number[] {
  return zones.map((zone) => waveMoment(scheduledAt, mailingZone, zone));
}
