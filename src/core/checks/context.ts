// What every wizard-step check gets: the loaded mailing and the world around it (clock, state, test
// record, SMTP configuration), plus small helpers that build diagnostics in one shape.
import type { WhenResult, WorkingHours } from '../schedule/when';
import type { Diagnostic, DiagnosticCode, DiagnosticData, Range, SendStateSummary, Severity, Step, TestRecord } from '../types';
import type { FileProblem } from '../load/fileCache';
import type { LoadedMailing } from '../load/loadMailing';
import type { EarlierSend } from '../state/earlierSends';

export interface CheckContext {
  loaded: LoadedMailing;
  now: Date;
  /** The IANA zone in effect: the file's `timezone` when valid, else the default. */
  timezone: string;
  smtpConfigured: boolean;
  /** contentHash() of the mailing as it is now. */
  contentHash: string;
  /** Whether a state folder was given at all (without one, no test can have been recorded). */
  hasState: boolean;
  test?: TestRecord;
  state: SendStateSummary;
  /** Confirmed mailings elsewhere with the same content and shared recipients (copies, renamed files). */
  earlierSends: EarlierSend[];
  workingHours?: WorkingHours;
  /** `schedule` resolved (undefined without one). */
  schedule?: WhenResult;
}

export function diagnostic(
  code: DiagnosticCode,
  severity: Severity,
  step: Step,
  message: string,
  range: Range,
  extra: { file?: string; data?: DiagnosticData } = {},
): Diagnostic {
  const result: Diagnostic = { code, severity, step, message, range };
  if (extra.file) result.file = extra.file;
  if (extra.data) result.data = extra.data;
  return result;
}

/** `file-missing` or `file-unreadable` for a referenced file, on the value that names it. */
export function fileProblem(step: Step, written: string, problem: FileProblem, range: Range): Diagnostic {
  switch (problem.kind) {
    case 'missing':
      return diagnostic('file-missing', 'error', step, `File ${written} does not exist`, range);
    case 'outside':
      return diagnostic('path-outside', 'error', step, `File ${written} ${problem.message}: a mailing reads and sends only files of its workspace, the folder that holds its .mailings state; nothing was read from it`, range);
    case 'unreadable':
      return diagnostic('file-unreadable', 'error', step, `File ${written} ${problem.message}`, range);
  }
}

/** How many characters of a value a diagnostic quotes. */
export const QUOTED_LENGTH = 60;
/** How many names of a list (columns, fields) a diagnostic shows. */
export const LISTED_NAMES = 12;

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

/**
 * A value from the user's files as a diagnostic shows it: at most `max` characters (then `…`), line
 * breaks and other control characters escaped (`\n`, `\x07`), so one message stays one short line
 * whatever a file holds. `cutValue` is the bare text, `quoteValue` the same in backticks.
 */
export function cutValue(value: string, max = QUOTED_LENGTH): string {
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

export function quoteValue(value: string, max = QUOTED_LENGTH): string {
  return `\`${cutValue(value, max)}\``;
}

/** "a, b, c, …": the first `shown` names of a list, each cut, and an ellipsis for the rest. */
export function nameList(names: readonly string[], shown = LISTED_NAMES): string {
  const head = names.slice(0, shown).map((name) => cutValue(name, 40));
  return names.length > shown ? `${head.join(', ')}, … (${names.length.toLocaleString('en')} in all)` : head.join(', ');
}

/** "rows 4, 9, 12 and 3 more" — the first few row numbers of a list, and how many were left out. */
export function rowList(lines: number[], shown = 5): string {
  const head = lines.slice(0, shown).join(', ');
  const rest = lines.length - shown;
  return `${lines.length === 1 ? 'row' : 'rows'} ${head}${rest > 0 ? ` and ${rest} more` : ''}`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** The value of a key in plain data is absent or empty (nothing, or only spaces). */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && !value.trim());
}
