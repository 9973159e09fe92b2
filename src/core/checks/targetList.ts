// Target-list step: the sources (CSV files and contacts), exclusions, and what is left to mail.
// CSV problems are reported on the `file:` entry that names the CSV, with its row numbers.
import * as path from 'node:path';
import { CSV_MAX_COLUMNS, CSV_MAX_RECORD_BYTES } from '../load/csv';
import { csvFatalDiagnostic } from '../load/csvProblems';
import { closest } from '../load/similar';
import { isSourceReadable, type LoadedSource } from '../load/targetList';
import type { Diagnostic } from '../types';
import { diagnostic, fileProblem, isBlank, type CheckContext } from './context';

export function checkTargetList(ctx: CheckContext): Diagnostic[] {
  const { loaded } = ctx;
  const { data, ranges } = loaded;
  const found: Diagnostic[] = [];
  const targetData = data.targetList;

  if (isBlank(targetData)) {
    found.push(diagnostic('target-list-empty', 'error', 'targetList', { kind: 'absent' }, ranges.missing([]), { data: { missingKey: 'targetList', parentPath: [] } }));
    return found;
  }
  if (typeof targetData !== 'object' || Array.isArray(targetData)) return found; // a schema error says so
  const include = (targetData as Record<string, unknown>).include;
  if (isBlank(include)) {
    found.push(diagnostic('target-list-empty', 'error', 'targetList', { kind: 'no-include' }, ranges.key(['targetList']), { data: { missingKey: 'include', parentPath: ['targetList'] } }));
    return found;
  }

  for (const sources of [loaded.includes, loaded.excludes]) {
    for (const source of sources) {
      if (source.kind === 'file') found.push(...checkFileSource(ctx, source));
      else if (source.outcome) found.push(...checkContact(ctx, source));
    }
  }

  const { recipients, skipped } = loaded.targetList;
  if (Array.isArray(include) && recipients.length === 0 && loaded.includes.every(isSourceReadable)) {
    const total = skipped.invalid + skipped.duplicate + skipped.excluded;
    const args = total === 0 ? ({ kind: 'no-recipients' } as const) : ({ kind: 'all-skipped', total, skipped: { ...skipped } } as const);
    found.push(diagnostic('target-list-empty', 'error', 'targetList', args, ranges.key(['targetList', 'include'])));
  }
  return found;
}

function checkFileSource(ctx: CheckContext, source: LoadedSource): Diagnostic[] {
  const { ranges } = ctx.loaded;
  const range = ranges.value([...source.path, 'file']);
  const file = writtenName(ctx, source);
  const found: Diagnostic[] = [];
  if (source.problem) return [fileProblem('targetList', file, source.problem, range)];
  const table = source.table;
  if (!table) return found;
  // An exclusion list that cannot be read could mail people who asked not to be: that is an error too.
  if (table.error) {
    found.push(csvFatalDiagnostic(file, table.error.line, table.error.problem, range));
    if (table.columns.length === 0) return found;
  }
  if (table.notUtf8.length > 0) found.push(diagnostic('csv-encoding', 'error', 'targetList', { kind: 'invalid-utf8', file, rows: table.notUtf8 }, range));
  if (table.controlStripped.length > 0) found.push(diagnostic('csv-encoding', 'warning', 'targetList', { kind: 'control-characters', file, rows: table.controlStripped }, range));
  if (table.oversized.length > 0) found.push(diagnostic('csv-invalid', 'error', 'targetList', { kind: 'record-too-large', file, rows: table.oversized, max: CSV_MAX_RECORD_BYTES }, range));
  if (table.tooWide.length > 0) found.push(diagnostic('csv-invalid', 'error', 'targetList', { kind: 'too-many-columns', file, rows: table.tooWide, max: CSV_MAX_COLUMNS }, range));
  if (table.columns.length === 0) {
    found.push(diagnostic('csv-email-column-missing', 'error', 'targetList', { kind: 'empty', file }, range));
    return found;
  }
  if (table.emailColumn < 0) {
    const columns = table.columns.filter(Boolean);
    const likely = columns.find((column) => /mail/i.test(column)) ?? closest('email', columns);
    found.push(diagnostic('csv-email-column-missing', 'error', 'targetList', { kind: 'no-email', file, columns, ...(likely ? { likely } : {}) }, range));
    return found;
  }
  if (table.ragged.length > 0) {
    found.push(diagnostic('csv-invalid', 'warning', 'targetList', { kind: 'ragged', file, rows: table.ragged, count: table.ragged.length, delimiter: table.delimiter }, range));
  }
  for (const column of table.duplicateColumns) found.push(diagnostic('csv-invalid', 'warning', 'targetList', { kind: 'duplicate-column', file, column }, range));
  if (source.role === 'exclude') return found;
  const invalid = source.invalid ?? [];
  const duplicates = source.duplicates ?? [];
  if (invalid.length > 0) {
    const rows = invalid.slice(0, 5).map((row) => ({ row: row.line, value: row.value }));
    found.push(diagnostic('recipient-invalid', 'warning', 'targetList', { kind: 'rows', file, count: invalid.length, rows }, range));
  }
  if (duplicates.length > 0) {
    found.push(diagnostic('recipient-duplicate', 'warning', 'targetList', { kind: 'rows', file, count: duplicates.length, rows: duplicates }, range));
  }
  return found;
}

function checkContact(ctx: CheckContext, source: LoadedSource): Diagnostic[] {
  if (source.outcome !== 'invalid' && source.outcome !== 'duplicate') return [];
  const range = ctx.loaded.ranges.value([...source.path, 'email']);
  const email = (source.email ?? '').trim();
  if (source.outcome === 'invalid') return [diagnostic('recipient-invalid', 'warning', 'targetList', { kind: 'contact', email }, range)];
  return [diagnostic('recipient-duplicate', 'warning', 'targetList', { kind: 'contact', email }, range)];
}

function writtenName(ctx: CheckContext, source: LoadedSource): string {
  const entry = ((ctx.loaded.data.targetList as Record<string, unknown[]>)[source.role]?.[source.path[2] as number] ?? {}) as { file?: unknown };
  return typeof entry.file === 'string' ? entry.file.trim() : path.basename(source.file ?? '');
}
