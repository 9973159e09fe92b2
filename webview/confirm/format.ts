// Numbers, sizes, durations and times as the user's locale writes them (Intl, in the mailing's zone).
import type { UiStringKey, UiStrings } from '../../src/protocol';
import { formatString } from './strings';

export class Formatter {
  private readonly numbers: Intl.NumberFormat;
  private readonly percents: Intl.NumberFormat;
  private readonly times: Intl.DateTimeFormat;

  constructor(
    readonly locale: string,
    readonly timezone: string,
    private readonly strings: UiStrings,
  ) {
    const zone = safeZone(timezone);
    this.numbers = new Intl.NumberFormat(locale);
    this.percents = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    this.times = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: zone });
  }

  /** A UI string with its `{n}` placeholders filled. */
  t(key: UiStringKey, ...args: (string | number)[]): string {
    return formatString(this.strings[key], ...args.map((a) => (typeof a === 'number' ? this.number(a) : a)));
  }

  /** The singular string for exactly one, else the plural one ("1 error", "3 errors"). */
  count(one: UiStringKey, many: UiStringKey, n: number): string {
    return this.t(n === 1 ? one : many, n);
  }

  number(n: number): string {
    return this.numbers.format(n);
  }

  percent(fraction: number): string {
    return this.percents.format(fraction);
  }

  /** "12:05" in the mailing's zone. */
  time(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : this.times.format(date);
  }

  /** "1 h 05 min", "3 min 12 s", "8 s". */
  duration(ms: number): string {
    const seconds = Math.max(0, Math.round(ms / 1000));
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
    if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
    return `${s} s`;
  }

  bytes(n: number): string {
    const units = ['B', 'kB', 'MB', 'GB'];
    let value = n;
    let unit = 0;
    while (value >= 1000 && unit < units.length - 1) {
      value /= 1000;
      unit++;
    }
    return `${new Intl.NumberFormat(this.locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
  }
}

function safeZone(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return timezone;
  } catch {
    return undefined;
  }
}

/** The wall-clock time `YYYY-MM-DDTHH:mm:ss` of an instant in `timezone`, as a datetime-local input wants it. */
export function wallClockValue(at: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: safeZone(timezone),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`;
}
