// Facts into words: the one place a diagnostic or a summary line becomes text, in a language.
import { DIAGNOSTIC_CATALOGUE, type DiagnosticArgs, type DiagnosticCode } from './diagnostics';
import type { Formatter } from './format';
import { SUMMARY_CATALOGUE, type SummaryFact } from './summaries';

/** A diagnostic's fact: its code and the args its text is built from. */
export type DiagnosticFact = { [C in DiagnosticCode]: { code: C; args: DiagnosticArgs[C] } }[DiagnosticCode];

type AnyText = (args: unknown, f: Formatter) => string;

export function renderDiagnostic(fact: DiagnosticFact, f: Formatter): string {
  const entry = DIAGNOSTIC_CATALOGUE[fact.code] as unknown as { en: AnyText; nl: AnyText };
  return entry[f.lang](fact.args, f);
}

export interface RenderedSummary {
  label: string;
  value: string;
}

export function renderSummary(fact: SummaryFact, f: Formatter): RenderedSummary {
  const entry = SUMMARY_CATALOGUE[fact.code] as unknown as { label: { en: string; nl: string }; value: { en: AnyText; nl: AnyText } };
  return { label: entry.label[f.lang], value: entry.value[f.lang](fact.args, f) };
}

/** `label: value`, as the CLI prints a summary line. */
export function summaryLine(fact: SummaryFact, f: Formatter): string {
  const { label, value } = renderSummary(fact, f);
  return `${label}: ${value}`;
}
