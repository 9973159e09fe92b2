// Core shapes -> VS Code shapes (positions are 0-based on both sides).
import * as vscode from 'vscode';
import type { Diagnostic, Range } from '../../core/index';
import { diagnosticText } from '../facts';

export const DIAGNOSTIC_SOURCE = 'mailings';

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.column, range.end.line, range.end.column);
}

export function toSeverity(severity: Diagnostic['severity']): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    default:
      return vscode.DiagnosticSeverity.Information;
  }
}

export function toDiagnostic(diagnostic: Diagnostic, timezone?: string): vscode.Diagnostic {
  const result = new vscode.Diagnostic(toRange(diagnostic.range), diagnosticText(diagnostic, timezone), toSeverity(diagnostic.severity));
  result.source = DIAGNOSTIC_SOURCE;
  result.code = diagnostic.code;
  return result;
}

/** The same diagnostic on both sides: same code and same range (VS Code copies its objects). */
export function matches(core: Diagnostic, shown: vscode.Diagnostic): boolean {
  const code = typeof shown.code === 'object' ? shown.code.value : shown.code;
  return shown.source === DIAGNOSTIC_SOURCE && code === core.code && toRange(core.range).isEqual(shown.range);
}
