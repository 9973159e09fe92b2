// What every wizard-step check gets: the loaded mailing and the world around it (clock, state, test
// record, SMTP configuration), plus small helpers that build diagnostics in one shape.
import type { WhenResult, WorkingHours } from '../schedule/when';
import type { Diagnostic, DiagnosticCode, DiagnosticData, PacePreview, Range, SendStateSummary, Severity, Step, TestRecord } from '../types';
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
  /** The pace as configured: estimate, window, waves (undefined without recipients). */
  pace?: PacePreview;
  /** `window-too-short` warns when the send cannot finish within this many days. */
  finishWithinDays: number;
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
