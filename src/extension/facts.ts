// The core's facts in VS Code's display language: one Formatter for every face of the extension
// (squiggles, hovers, quick-fix titles, the Confirm and Statistics pages, notifications).
import * as vscode from 'vscode';
import { type Diagnostic, Formatter, type Lang, langOf, machineTimeZone, renderDiagnostic } from '../core/index';

export function uiLang(): Lang {
  return langOf(vscode.env.language) ?? 'en';
}

/** Moments in `timezone` (the mailing's), "now" as of this call. */
export function formatter(timezone: string = machineTimeZone()): Formatter {
  return new Formatter(uiLang(), { timezone, now: new Date() });
}

export function diagnosticText(d: Diagnostic, timezone?: string): string {
  return renderDiagnostic(d, formatter(timezone));
}
