// The pace of a send as the file writes it: `sending.window`, `sending.quota`, `sending.perDomain`,
// `sending.warmup` and the mapping form of `schedule` (`{ at, localTime }`). Shapes and types are the
// schema's to judge (a wrong type is a `schema` error and is ignored here); this module reads the
// values and says, with the path of the offending value, what it cannot understand.
import type { PerDomainProblemArgs, QuotaProblemArgs, WindowProblemArgs } from '../facts/diagnostics';
import type { DomainRate, Quota, SendWindowSpec, Warmup } from '../types';
import { parseRate } from './rate';
import type { YamlPath } from './sourceNodes';

/** What cannot be understood, as the fact of its diagnostic (facts/diagnostics/pace.ts). */
export type PaceProblem = (
  | { code: 'window-invalid'; args: WindowProblemArgs }
  | { code: 'quota-invalid'; args: QuotaProblemArgs }
  | { code: 'per-domain-invalid'; args: PerDomainProblemArgs }
) & {
  path: YamlPath;
  /** Whether the problem is the key at `path` (a bad domain) or its value. */
  on: 'key' | 'value';
};

export type PaceProblemCode = PaceProblem['code'];

export interface LoadedPace {
  window?: SendWindowSpec;
  quotas?: Quota[];
  perDomain?: DomainRate[];
  warmup?: Warmup;
  /** The schedule's when-expression (the string form, or `schedule.at`), trimmed. */
  schedule?: string;
  /** Where the when-expression is written: `['schedule']` or `['schedule', 'at']`. */
  schedulePath: YamlPath;
  localTime: boolean;
  problems: PaceProblem[];
}

const DAY_NAMES: Record<string, number> = {
  sun: 0, sunday: 0, mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, wednesday: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4, fri: 5, friday: 5, sat: 6, saturday: 6,
  // Dutch, as the UI speaks it too.
  zo: 0, zondag: 0, ma: 1, maandag: 1, di: 2, dinsdag: 2, wo: 3, woensdag: 3, do: 4, donderdag: 4, vr: 5, vrijdag: 5, za: 6, zaterdag: 6,
};
const DAY_GROUPS: Record<string, number[]> = { weekdays: [1, 2, 3, 4, 5], weekend: [0, 6], daily: [0, 1, 2, 3, 4, 5, 6] };

const PERIOD_UNITS: Record<string, { ms: number; name: string }> = {
  // Per second: a provider's maximum send rate (Amazon SES) kept exactly, not as a token bucket.
  second: { ms: 1_000, name: 'second' },
  sec: { ms: 1_000, name: 'second' },
  s: { ms: 1_000, name: 'second' },
  minute: { ms: 60_000, name: 'minute' },
  min: { ms: 60_000, name: 'minute' },
  m: { ms: 60_000, name: 'minute' },
  hour: { ms: 3_600_000, name: 'hour' },
  h: { ms: 3_600_000, name: 'hour' },
  day: { ms: 86_400_000, name: 'day' },
  d: { ms: 86_400_000, name: 'day' },
};

function mapping(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A list written as a YAML sequence or as one comma-separated string; each item with its path. */
function items(value: unknown, path: YamlPath): { text: string; path: YamlPath }[] | undefined {
  if (typeof value === 'string') return value.split(',').map((text) => ({ text: text.trim(), path }));
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => (typeof item === 'string' || typeof item === 'number' ? [{ text: String(item).trim(), path: [...path, index] }] : []));
  }
  return undefined;
}

export function loadPace(data: Record<string, unknown>): LoadedPace {
  const problems: PaceProblem[] = [];
  const result: LoadedPace = { schedulePath: ['schedule'], localTime: false, problems };
  const sending = mapping(data.sending) ?? {};

  const schedule = data.schedule;
  if (typeof schedule === 'string') {
    result.schedule = schedule.trim() || undefined;
  } else {
    const form = mapping(schedule);
    if (form) {
      result.schedulePath = ['schedule', 'at'];
      if (typeof form.at === 'string' && form.at.trim()) result.schedule = form.at.trim();
      result.localTime = form.localTime === true;
    }
  }

  const window = mapping(sending.window);
  if (window) {
    const spec = parseWindow(window, problems);
    if (spec) result.window = spec;
  }
  if (sending.quota !== undefined) {
    const quotas: Quota[] = [];
    for (const item of items(sending.quota, ['sending', 'quota']) ?? []) {
      const parsed = parseQuota(item.text);
      if (parsed.ok) quotas.push(parsed.quota);
      else problems.push({ code: 'quota-invalid', path: item.path, on: 'value', args: parsed.problem });
    }
    if (quotas.length > 0) result.quotas = quotas;
  }
  const perDomain = mapping(sending.perDomain);
  if (perDomain) {
    const rates: DomainRate[] = [];
    for (const [key, value] of Object.entries(perDomain)) {
      const path: YamlPath = ['sending', 'perDomain', key];
      const domain = key.trim().toLowerCase();
      if (domain !== '*' && !DOMAIN.test(domain)) {
        problems.push({ code: 'per-domain-invalid', path, on: 'key', args: { kind: 'domain', key } });
        continue;
      }
      if (typeof value !== 'string') continue; // the schema says what it should be
      const rate = parseRate(value);
      if (!rate.ok) problems.push({ code: 'per-domain-invalid', path, on: 'value', args: { kind: 'rate', domain, problem: rate.problem } });
      else rates.push({ domain, rate: rate.rate });
    }
    if (rates.length > 0) result.perDomain = rates;
  }
  const warmup = mapping(sending.warmup);
  // The schema states the bounds (start a whole number from 1, growth from 1 to 10).
  if (warmup && Number.isInteger(warmup.start) && (warmup.start as number) >= 1 && typeof warmup.growth === 'number' && warmup.growth >= 1 && warmup.growth <= 10) {
    result.warmup = { start: warmup.start as number, growth: warmup.growth };
  }
  return result;
}

const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export type QuotaParse = { ok: true; quota: Quota } | { ok: false; problem: QuotaProblemArgs };

/** `50000/day`, `2000/hour`, `100/minute`, `14/second`, `300/15min` (also /d, /h, /min, /m, /s, plurals). */
export function parseQuota(text: string): QuotaParse {
  const match = /^\s*(\d{1,9})\s*\/\s*(\d{1,6})?\s*([a-z]{1,7})\s*$/i.exec(text);
  const unit = match ? match[3].toLowerCase() : '';
  const period = PERIOD_UNITS[unit] ?? (unit.endsWith('s') ? PERIOD_UNITS[unit.slice(0, -1)] : undefined);
  const times = match?.[2] === undefined ? 1 : Number(match[2]);
  if (!match || !period || times < 1) {
    return { ok: false, problem: { kind: 'form', written: text.trim() } };
  }
  const count = Number(match[1]);
  if (count < 1) return { ok: false, problem: { kind: 'zero', written: text.trim() } };
  const per = times === 1 ? period.name : `${times} ${period.name}s`;
  if (times * period.ms > 86_400_000) return { ok: false, problem: { kind: 'too-long', written: text.trim() } };
  return { ok: true, quota: { count, periodMs: times * period.ms, text: `${count}/${per}` } };
}

function parseWindow(window: Record<string, unknown>, problems: PaceProblem[]): SendWindowSpec | undefined {
  let ok = true;
  const fail = (path: YamlPath, args: WindowProblemArgs) => {
    problems.push({ code: 'window-invalid', path, on: 'value', args });
    ok = false;
  };
  let days = [0, 1, 2, 3, 4, 5, 6];
  const dayItems = items(window.days, ['sending', 'window', 'days']);
  if (dayItems) {
    const chosen = new Set<number>();
    for (const item of dayItems) {
      const parsed = parseDays(item.text);
      if (parsed.ok) parsed.days.forEach((day) => chosen.add(day));
      else fail(item.path, parsed.problem);
    }
    if (ok && chosen.size === 0) fail(['sending', 'window', 'days'], { kind: 'no-days' });
    days = [...chosen].sort((a, b) => a - b);
  }
  let ranges = [{ start: 0, end: 86_400 }];
  const hourItems = items(window.hours, ['sending', 'window', 'hours']);
  if (hourItems) {
    ranges = [];
    for (const item of hourItems) {
      const parsed = parseRange(item.text);
      if (parsed.ok) ranges.push(parsed.range);
      else fail(item.path, parsed.problem);
    }
    if (ok && ranges.length === 0) fail(['sending', 'window', 'hours'], { kind: 'no-hours' });
  }
  const except: string[] = [];
  for (const item of items(window.except, ['sending', 'window', 'except']) ?? []) {
    if (isCalendarDate(item.text)) except.push(item.text);
    else fail(item.path, { kind: 'except', text: item.text });
  }
  return ok ? { days, ranges, except } : undefined;
}

function parseDays(text: string): { ok: true; days: number[] } | { ok: false; problem: WindowProblemArgs } {
  const lower = text.toLowerCase();
  if (DAY_GROUPS[lower]) return { ok: true, days: DAY_GROUPS[lower] };
  const [from, to, ...rest] = lower.split(/\s*[-–]\s*/);
  const first = DAY_NAMES[from];
  const last = to === undefined ? first : DAY_NAMES[to];
  if (first === undefined || last === undefined || rest.length > 0) {
    return { ok: false, problem: { kind: 'days', text } };
  }
  // A range may wrap past Sunday (fri-mon).
  const days: number[] = [];
  for (let day = first; ; day = (day + 1) % 7) {
    days.push(day);
    if (day === last) break;
  }
  return { ok: true, days };
}

/** "HH:MM" or "HH:MM:SS" as seconds of the day; 24:00 only where `end` allows it. */
function timeOfDay(text: string, end: boolean): number | undefined {
  const match = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!match) return undefined;
  const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
  if (minutes > 59 || seconds > 59) return undefined;
  if (hours === 24 && minutes === 0 && seconds === 0 && end) return 86_400;
  return hours <= 23 ? hours * 3600 + minutes * 60 + seconds : undefined;
}

function parseRange(text: string): { ok: true; range: { start: number; end: number } } | { ok: false; problem: WindowProblemArgs } {
  const parts = text.split(/\s*[-–]\s*/);
  const start = parts.length === 2 ? timeOfDay(parts[0], false) : undefined;
  const end = parts.length === 2 ? timeOfDay(parts[1], true) : undefined;
  if (start === undefined || end === undefined) {
    return { ok: false, problem: { kind: 'hours', text } };
  }
  if (start === end) return { ok: false, problem: { kind: 'empty-range', text } };
  return { ok: true, range: { start, end } };
}

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
