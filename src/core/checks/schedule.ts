// Schedule step: the proposed moment (`schedule`, a when-expression) and the time zone it is read in.
import { isInWorkingHours, resolveWhen, type WhenResult } from '../time/when';
import { isValidTimeZone } from '../time/zone';
import { closest } from '../load/similar';
import type { Diagnostic } from '../types';
import { diagnostic, type CheckContext } from './context';

/** A schedule is used once the mailing is confirmed; only a draft's schedule can still be in the past. */
const UNCONFIRMED = new Set(['draft', 'missed']);

let zoneNames: string[] | undefined;

function knownZones(): string[] {
  zoneNames ??= typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zoneNames;
}

export function checkSchedule(ctx: CheckContext): Diagnostic[] {
  const { loaded } = ctx;
  const { ranges } = loaded;
  const found: Diagnostic[] = [];
  if (loaded.timezone !== undefined && !isValidTimeZone(loaded.timezone)) {
    const suggestion = closest(loaded.timezone, knownZones());
    found.push(
      diagnostic('timezone-invalid', 'error', 'schedule', { zone: loaded.timezone, ...(suggestion ? { suggestion } : {}) }, ranges.value(['timezone']), suggestion ? { data: { suggestion } } : {}),
    );
  }
  const expression = loaded.schedule;
  if (expression === undefined) return found;
  const range = ranges.value(loaded.pace.schedulePath);
  const result = ctx.schedule ?? resolveWhen(expression, { timezone: ctx.timezone, now: ctx.now });
  if (!result.ok) {
    found.push(diagnostic('schedule-invalid', 'error', 'schedule', result.problem, range));
    return found;
  }
  if (result.at.getTime() < ctx.now.getTime()) {
    if (UNCONFIRMED.has(ctx.state.status)) {
      found.push(diagnostic('schedule-past', 'error', 'schedule', { expression, at: result.at.toISOString() }, range));
    }
  } else if (isInWorkingHours(result.at, ctx.timezone, ctx.workingHours)) {
    found.push(
      diagnostic('schedule-working-hours', 'warning', 'schedule', { at: result.at.toISOString() }, range),
    );
  }
  return found;
}

/** The `schedule` expression resolved in the mailing's zone (resolved once per confirm model). */
// The editor re-validates on every pause in typing, and chrono-node plus the zone arithmetic are the
// costliest part of a typical mailing's check; the schedule rarely changes between two validations.
// A result is reused for the same expression and zone within a second of the moment it was resolved
// for: what it says ("in 8 days", past or not) cannot meaningfully change in that time.
const RESOLVED_REUSE_MS = 1000;
const resolvedSchedules = new Map<string, { nowMs: number; result: WhenResult }>();

export function resolveSchedule(expression: string | undefined, timezone: string, now: Date): WhenResult | undefined {
  if (expression === undefined) return undefined;
  const key = `${timezone}\u0000${expression}`;
  const cached = resolvedSchedules.get(key);
  if (cached && Math.abs(now.getTime() - cached.nowMs) < RESOLVED_REUSE_MS) return cached.result;
  const result = resolveWhen(expression, { timezone, now });
  if (resolvedSchedules.size >= 64) resolvedSchedules.clear();
  resolvedSchedules.set(key, { nowMs: now.getTime(), result });
  return result;
}
