// How values read in each language, the same in every face: counts (1,234 / 1.234), plurals,
// moments ("Tue 1 Dec 2026 20:28:04 CET" / "di 1 dec 2026 20:28:04 CET", in the mailing's zone),
// durations, sizes, lists ("a, b and c" / "a, b en c"), row lists and quoted values from the user's
// files (cut short, control characters shown escaped). The catalogue's texts (en.ts, nl.ts) build
// their sentences with these; nothing else formats a number or a moment for a user.
import { describeDistance, describeInstant } from '../time/when';
import type { Lang } from './lang';

/** Values quoted from the user's files are cut to this many characters. */
export const QUOTE_MAX = 60;

export interface FormatContext {
  /** IANA zone moments are shown in (the mailing's). */
  timezone: string;
  /** "now", for "in 8 days". */
  now: Date;
}

const numberFormats = new Map<Lang, Intl.NumberFormat>();
const decimalFormats = new Map<Lang, Intl.NumberFormat>();
const listFormats = new Map<Lang, Intl.ListFormat>();
const sizeFormats = new Map<Lang, Intl.NumberFormat>();

function cached<T>(map: Map<Lang, T>, lang: Lang, make: () => T): T {
  let value = map.get(lang);
  if (value === undefined) {
    value = make();
    map.set(lang, value);
  }
  return value;
}

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

/**
 * A value from the user's files as a message shows it: at most `max` characters (then `…`), line
 * breaks and other control characters escaped (`\n`, `\x07`), so one message stays one short line
 * whatever a file holds. `clipValue` is the bare text, `quoteValue` the same in backticks.
 */
export function clipValue(value: string, max = QUOTE_MAX): string {
  // Cut first (a 10 MB value costs its first characters), then escape; an escape is never cut in half.
  const chars = Array.from(value.length > max * 2 + 2 ? value.slice(0, max * 2 + 2) : value);
  const cut = chars.length > max;
  let shown = '';
  for (const char of cut ? chars.slice(0, max) : chars) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0) || code === 0x2028 || code === 0x2029) {
      shown += ESCAPES[char] ?? (code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`);
    } else shown += char;
  }
  return cut ? `${shown}…` : shown;
}

export function quoteValue(value: string, max = QUOTE_MAX): string {
  return `\`${clipValue(value, max)}\``;
}

/** "a, b, c, … (1,000 in all)": the first `shown` names of a list, each cut, and how many there are. */
export function nameList(names: readonly string[], shown = 12): string {
  const head = names.slice(0, shown).map((name) => clipValue(name, 40));
  return names.length > shown ? `${head.join(', ')}, … (${names.length.toLocaleString('en')} in all)` : head.join(', ');
}

export class Formatter {
  constructor(
    readonly lang: Lang,
    readonly context: FormatContext,
  ) {}

  /** 1,234 (en) / 1.234 (nl). */
  number(value: number): string {
    return cached(numberFormats, this.lang, () => new Intl.NumberFormat(this.lang)).format(value);
  }

  /** 1.5 (en) / 1,5 (nl), at most one decimal. */
  decimal(value: number): string {
    return cached(decimalFormats, this.lang, () => new Intl.NumberFormat(this.lang, { maximumFractionDigits: 1 })).format(value);
  }

  /** "1 recipient", "1,234 recipients": the count and the form of the noun that goes with it. */
  count(value: number, one: string, many: string): string {
    return `${this.number(value)} ${value === 1 ? one : many}`;
  }

  /** The form of a word for a count, without the count. */
  plural(value: number, one: string, many: string): string {
    return value === 1 ? one : many;
  }

  /** "a, b and c" / "a, b en c". */
  list(items: readonly string[]): string {
    return cached(listFormats, this.lang, () => new Intl.ListFormat(this.lang, { style: 'long', type: 'conjunction' })).format(items);
  }

  /** A value quoted from the user's files (see quoteValue). */
  quote(value: string, max?: number): string {
    return quoteValue(value, max);
  }

  /** A value from the user's files shown bare, cut and escaped like a quote. */
  clip(value: string, max?: number): string {
    return clipValue(value, max);
  }

  /**
   * A moment in the mailing's zone with its distance from now: "Fri 4 Dec 2026 19:00 CET, in 8
   * days" (nl: "vr 4 dec 2026 19:00 CET, over 8 dagen"). An unreadable instant is shown as written.
   */
  moment(iso: string | Date): string {
    const at = typeof iso === 'string' ? new Date(iso) : iso;
    if (Number.isNaN(at.getTime())) return String(iso);
    return describeInstant(at, this.context.timezone, this.context.now, this.lang);
  }

  /** A moment without its distance: "Tue 1 Dec 2026 20:28:04 CET" (statistics, logs). */
  instant(iso: string | Date): string {
    const text = this.moment(iso);
    const comma = text.lastIndexOf(', ');
    return comma === -1 ? text : text.slice(0, comma);
  }

  /** "in 3 minutes" / "over 3 minuten", "5 minutes ago" / "5 minuten geleden". */
  distance(ms: number): string {
    return describeDistance(ms, this.lang);
  }

  /** "1 h 05 min", "3 min 12 s", "8 s" (the same units in both languages). */
  duration(ms: number): string {
    const seconds = Math.max(0, Math.round(ms / 1000));
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
    if (m > 0) return `${m} min ${String(s).padStart(2, '0')} s`;
    return `${s} s`;
  }

  /** "812 B", "12 KB", "1.5 MB", "20.0 MB" (nl "1,5 MB"); a limit that is a whole number of MB or KB, as such: "1 MB". */
  size(bytes: number): string {
    if (bytes < 1024) return `${this.number(bytes)} B`;
    if (bytes < 1024 * 1024) return `${this.number(Math.round(bytes / 1024))} KB`;
    return `${cached(sizeFormats, this.lang, () => new Intl.NumberFormat(this.lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 })).format(bytes / (1024 * 1024))} MB`;
  }

  /** A limit in the units it was set in: "1 MB", "100 bytes". */
  limit(bytes: number): string {
    const nl = this.lang === 'nl';
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${this.number(bytes / (1024 * 1024))} MB`;
    if (bytes >= 1024 && bytes % 1024 === 0) return `${this.number(bytes / 1024)} KB`;
    return `${this.number(bytes)} ${nl ? 'bytes' : 'bytes'}`;
  }

  /** "rows 4, 9, 12", "rows 4, 9, 12, 15, 20 and 3 more" (nl "rijen 4, 9, 12 en nog 3"); row numbers as a file's lines are numbered. */
  rows(lines: readonly number[], shown = 5): string {
    const head = lines.slice(0, shown).join(', ');
    const rest = lines.length - Math.min(shown, lines.length);
    const word = this.lang === 'nl' ? (lines.length === 1 ? 'rij' : 'rijen') : lines.length === 1 ? 'row' : 'rows';
    if (rest > 0) return `${word} ${head} ${this.lang === 'nl' ? `en nog ${this.number(rest)}` : `and ${this.number(rest)} more`}`;
    return `${word} ${head}`;
  }
}
