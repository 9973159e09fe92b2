// What every wizard-step check gets: the loaded mailing and the world around it (clock, state, test
// record, SMTP configuration), plus small helpers that build diagnostics in one shape.
import type { WhenResult, WorkingHours } from '../time/when';
import { diagnostic } from '../facts/diagnostic';
import type { Diagnostic, PacePreview, Range, SendStateSummary, Step, TestRecord } from '../types';
import type { FileProblem } from '../load/fileCache';
import type { LoadedMailing } from '../load/loadMailing';
import type { EarlierSend } from '../state/earlierSends';
import type { InboxAnalysis } from '../inbox/offlineChecks';

export interface CheckContext {
  loaded: LoadedMailing;
  /** The Inbox step's offline analysis of the loaded mailing; undefined when its checks are off. */
  inbox?: InboxAnalysis;
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
  /** The suppression list could not be read (why): its addresses could be mailed, so nothing may be sent. */
  suppressionUnreadable?: string;
  /** The mailing's send state could not be read (why): `state` then says draft, which it may not be. */
  stateUnreadable?: string;
  /** The pace as configured: estimate, window, waves (undefined without recipients). */
  pace?: PacePreview;
  /** `window-too-short` warns when the send cannot finish within this many days. */
  finishWithinDays: number;
}

// Checks build their diagnostics with the one constructor (facts/diagnostic.ts).
export { diagnostic };

/** `file-missing`, `file-unreadable` or `path-outside` for a referenced file, on the value that names it. */
export function fileProblem(step: Step, written: string, problem: FileProblem, range: Range): Diagnostic {
  switch (problem.kind) {
    case 'missing':
      return diagnostic('file-missing', 'error', step, { file: written }, range);
    case 'outside':
      return diagnostic('path-outside', 'error', step, { file: written, workspace: problem.workspace, ...(problem.leadsTo ? { leadsTo: problem.leadsTo } : {}) }, range);
    case 'unreadable':
      return diagnostic('file-unreadable', 'error', step, { file: written, reason: problem.reason, ...(problem.detail ? { detail: problem.detail } : {}) }, range);
  }
}

/** The value of a key in plain data is absent or empty (nothing, or only spaces). */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && !value.trim());
}
