// What stopped a CSV from being read, as a diagnostic: the target-list check reports it on the
// `file:` entry, and importing a suppression CSV reports it the same way.
import { diagnostic } from '../facts/diagnostic';
import type { Diagnostic } from '../types';
import type { CsvFatal } from './csv';

/** What stopped a CSV from being read, as a diagnostic's code and args. */
export function csvFatalDiagnostic(file: string, row: number, problem: CsvFatal, range: Diagnostic['range']): Diagnostic {
  switch (problem.kind) {
    case 'utf16':
      return diagnostic('csv-encoding', 'error', 'targetList', { kind: 'utf16', file }, range);
    case 'unclosed-quote':
      return diagnostic('csv-invalid', 'error', 'targetList', { kind: 'unclosed-quote', file, row }, range);
    case 'header-too-wide':
      return diagnostic('csv-invalid', 'error', 'targetList', { kind: 'header-too-wide', file, columns: problem.columns, max: problem.max }, range);
    case 'header-too-long':
      return diagnostic('csv-invalid', 'error', 'targetList', { kind: 'header-too-long', file, max: problem.max }, range);
    case 'parser':
      return diagnostic('csv-invalid', 'error', 'targetList', { kind: 'broken', file, row, text: problem.text }, range);
  }
}
