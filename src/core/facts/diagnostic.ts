// The one constructor of a diagnostic: a code, its typed args (their words are in facts/diagnostics),
// severity, step and where. Below the loader and the checks, so both build diagnostics the same way.
import type { DiagnosticArgs } from './diagnostics';
import type { Diagnostic, DiagnosticCode, DiagnosticData, Range, Severity, Step } from '../types';

/** A located fact: the code, its typed args (their words are in facts/diagnostics), severity and step. */
export function diagnostic<C extends DiagnosticCode>(
  code: C,
  severity: Severity,
  step: Step,
  args: DiagnosticArgs[C],
  range: Range,
  extra: { file?: string; data?: DiagnosticData } = {},
): Diagnostic {
  const result = { code, args, severity, step, range } as Diagnostic;
  if (extra.file) result.file = extra.file;
  if (extra.data) result.data = extra.data;
  return result;
}
