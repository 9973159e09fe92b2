// Importing a CSV of addresses collected elsewhere (unsubscribes from a web form, a CRM export) into
// the suppression list. Read as a target list is read (load/csv.ts): an `email` column in any
// position, `,` `;` or tab, a BOM, quoted fields. A file that cannot be read whole — no email
// column, a quote that never closes — imports nothing and says where; rows with an invalid address
// are skipped and listed by row number; addresses already suppressed keep their first reason.
import * as path from 'node:path';
import { csvFatalDiagnostic } from '../load/csvProblems';
import { Formatter } from '../facts/format';
import { renderDiagnostic } from '../facts/render';
import { readCsvFile } from '../load/csv';
import type { SuppressionList, SuppressionReason } from './suppressionList';

export interface ImportOptions {
  /** Default unsubscribe. */
  reason?: SuppressionReason;
  mailing?: string;
  /** Default: `imported from <file name>`. */
  detail?: string;
  date?: Date;
}

export interface ImportResult {
  file: string;
  /** Data rows read. */
  rows: number;
  added: number;
  /** Addresses that were suppressed already. */
  already: number;
  /** Rows whose address appeared earlier in the same file. */
  duplicates: number;
  /** Rows with an empty or invalid address (skipped), by row number (the header is row 1). */
  invalid: { line: number; value: string }[];
}

export class SuppressionImportError extends Error {
  constructor(
    readonly code: 'file-unreadable' | 'csv-email-column-missing' | 'csv-invalid',
    readonly file: string,
    /** The row the problem is on (1-based; the header is row 1). */
    readonly line: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'SuppressionImportError';
  }
}

export async function importSuppressions(list: SuppressionList, csvFile: string, options: ImportOptions = {}): Promise<ImportResult> {
  let table: Awaited<ReturnType<typeof readCsvFile>>;
  try {
    table = await readCsvFile(csvFile);
  } catch (error) {
    throw new SuppressionImportError('file-unreadable', csvFile, undefined, `${csvFile} cannot be read: ${(error as Error).message}`);
  }
  if (table.error) {
    const at = { line: table.error.line - 1, column: 0 };
    const text = renderDiagnostic(csvFatalDiagnostic(path.basename(csvFile), table.error.line, table.error.problem, { start: at, end: at }), new Formatter('en', { timezone: 'UTC', now: new Date() }));
    throw new SuppressionImportError('csv-invalid', csvFile, table.error.line, `${csvFile}:${table.error.line}: ${text}; nothing was imported`);
  }
  if (table.emailColumn < 0) {
    const columns = table.columns.filter(Boolean);
    throw new SuppressionImportError(
      'csv-email-column-missing',
      csvFile,
      1,
      `${csvFile}:1: no \`email\` column (columns: ${columns.length ? columns.join(', ') : 'none'}); nothing was imported`,
    );
  }
  const seen = new Set<string>();
  let duplicates = 0;
  const unique: string[] = [];
  table.recipients.forEach((recipient, k) => {
    const key = table.keys[k];
    if (seen.has(key)) {
      duplicates++;
      return;
    }
    seen.add(key);
    unique.push(recipient.email);
  });
  const date = options.date;
  const detail = options.detail ?? `imported from ${path.basename(csvFile)}`;
  const { added, already } = await list.add(
    unique.map((address) => ({ address, reason: options.reason ?? 'unsubscribe', mailing: options.mailing, detail, ...(date ? { date } : {}) })),
  );
  return { file: csvFile, rows: table.rows, added: added.length, already: already.length, duplicates, invalid: table.invalid };
}
