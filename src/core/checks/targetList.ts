// Target-list step: the sources (CSV files and contacts), exclusions, and what is left to mail.
// CSV problems are reported on the `file:` entry that names the CSV, with its row numbers.
import * as path from 'node:path';
import { CSV_MAX_COLUMNS, CSV_MAX_RECORD_BYTES, formatBytes } from '../load/csv';
import { closest } from '../load/similar';
import { isSourceReadable, type LoadedSource } from '../load/targetList';
import type { Diagnostic } from '../types';
import { cutValue, diagnostic, fileProblem, isBlank, nameList, plural, quoteValue, rowList, type CheckContext } from './context';

export function checkTargetList(ctx: CheckContext): Diagnostic[] {
  const { loaded } = ctx;
  const { data, ranges } = loaded;
  const found: Diagnostic[] = [];
  const targetData = data.targetList;

  if (isBlank(targetData)) {
    found.push(
      diagnostic('target-list-empty', 'error', 'targetList', 'Target list is missing: add `targetList:` with `include:` (a CSV file or contacts)', ranges.missing([]), {
        data: { missingKey: 'targetList', parentPath: [] },
      }),
    );
    return found;
  }
  if (typeof targetData !== 'object' || Array.isArray(targetData)) return found; // a schema error says so
  const include = (targetData as Record<string, unknown>).include;
  if (isBlank(include)) {
    found.push(
      diagnostic('target-list-empty', 'error', 'targetList', 'Target list has no `include:`: list a CSV file (`- file: customers.csv`) or contacts (`- email: …`)', ranges.key(['targetList']), {
        data: { missingKey: 'include', parentPath: ['targetList'] },
      }),
    );
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
    const message =
      total === 0
        ? 'Target list is empty: no recipient in its sources'
        : `Target list is empty: all ${plural(total, 'address', 'addresses')} are skipped (${skipped.excluded} excluded, ${skipped.invalid} invalid, ${skipped.duplicate} duplicate)`;
    found.push(diagnostic('target-list-empty', 'error', 'targetList', message, ranges.key(['targetList', 'include'])));
  }
  return found;
}

function checkFileSource(ctx: CheckContext, source: LoadedSource): Diagnostic[] {
  const { ranges } = ctx.loaded;
  const filePath = [...source.path, 'file'];
  const range = ranges.value(filePath);
  const name = writtenName(ctx, source);
  const found: Diagnostic[] = [];
  if (source.problem) return [fileProblem('targetList', name, source.problem, range)];
  const table = source.table;
  if (!table) return found;
  // An exclusion list that cannot be read could mail people who asked not to be: that is an error too.
  if (table.error) {
    found.push(diagnostic(table.error.code, 'error', 'targetList', `${name}, row ${table.error.line}: ${table.error.message}`, range));
    if (table.columns.length === 0) return found;
  }
  if (table.notUtf8.length > 0) {
    found.push(
      diagnostic(
        'csv-encoding',
        'error',
        'targetList',
        `${name}: ${plural(table.notUtf8.length, 'row holds', 'rows hold')} bytes that are not UTF-8 (${rowList(table.notUtf8)}); the file may be in another encoding (Latin-1, Windows-1252): save it as CSV UTF-8`,
        range,
      ),
    );
  }
  if (table.controlStripped.length > 0) {
    found.push(
      diagnostic(
        'csv-encoding',
        'warning',
        'targetList',
        `${name}: control characters (NUL and the like) were removed from the values of ${rowList(table.controlStripped)}`,
        range,
      ),
    );
  }
  if (table.oversized.length > 0) {
    found.push(
      diagnostic(
        'csv-invalid',
        'error',
        'targetList',
        `${name}: ${plural(table.oversized.length, 'row is', 'rows are')} longer than ${formatBytes(CSV_MAX_RECORD_BYTES)}, the most a row may hold, and ${table.oversized.length === 1 ? 'is' : 'are'} skipped (${rowList(table.oversized)}); check for an unclosed quote or a file that is not a CSV`,
        range,
      ),
    );
  }
  if (table.tooWide.length > 0) {
    found.push(
      diagnostic(
        'csv-invalid',
        'error',
        'targetList',
        `${name}: ${plural(table.tooWide.length, 'row has', 'rows have')} more than ${CSV_MAX_COLUMNS.toLocaleString('en')} columns and ${table.tooWide.length === 1 ? 'is' : 'are'} skipped (${rowList(table.tooWide)})`,
        range,
      ),
    );
  }
  if (table.columns.length === 0) {
    found.push(diagnostic('csv-email-column-missing', 'error', 'targetList', `${name} is empty: it needs a header row with an \`email\` column`, range));
    return found;
  }
  if (table.emailColumn < 0) {
    const columns = table.columns.filter(Boolean);
    const likely = columns.find((column) => /mail/i.test(column)) ?? closest('email', columns);
    const hint = likely ? `; if ${quoteValue(likely)} holds the addresses, rename it to \`email\`` : '';
    found.push(
      diagnostic('csv-email-column-missing', 'error', 'targetList', `${name} has no \`email\` column (columns: ${nameList(columns) || 'none'})${hint}`, range),
    );
    return found;
  }
  if (table.ragged.length > 0) {
    found.push(
      diagnostic(
        'csv-invalid',
        'warning',
        'targetList',
        `${name}: ${plural(table.ragged.length, 'row has', 'rows have')} a different number of fields than the header (${rowList(table.ragged)}); check for a missing or extra \`${table.delimiter === '\t' ? 'tab' : table.delimiter}\``,
        range,
      ),
    );
  }
  for (const column of table.duplicateColumns) {
    found.push(diagnostic('csv-invalid', 'warning', 'targetList', `${name}: column ${quoteValue(column)} appears more than once; the first is used`, range));
  }
  if (source.role === 'exclude') return found;
  const invalid = source.invalid ?? [];
  const duplicates = source.duplicates ?? [];
  if (invalid.length > 0) {
    const shown = invalid.slice(0, 5).map((row) => `${row.line}${row.value ? ` ${quoteValue(row.value)}` : ' (empty)'}`);
    const more = invalid.length > 5 ? ` and ${invalid.length - 5} more` : '';
    found.push(
      diagnostic(
        'recipient-invalid',
        'warning',
        'targetList',
        `${name}: ${plural(invalid.length, 'row has an invalid address', 'rows have an invalid address')} and ${invalid.length === 1 ? 'is' : 'are'} skipped (${invalid.length === 1 ? 'row' : 'rows'} ${shown.join(', ')}${more})`,
        range,
      ),
    );
  }
  if (duplicates.length > 0) {
    found.push(
      diagnostic(
        'recipient-duplicate',
        'warning',
        'targetList',
        `${name}: ${plural(duplicates.length, 'address is', 'addresses are')} already on the list and skipped (${rowList(duplicates)}); one message per address`,
        range,
      ),
    );
  }
  return found;
}

function checkContact(ctx: CheckContext, source: LoadedSource): Diagnostic[] {
  if (source.outcome !== 'invalid' && source.outcome !== 'duplicate') return [];
  const range = ctx.loaded.ranges.value([...source.path, 'email']);
  const email = (source.email ?? '').trim();
  if (source.outcome === 'invalid') {
    return [diagnostic('recipient-invalid', 'warning', 'targetList', email ? `${quoteValue(email)} is not a valid address: this contact is skipped` : 'This contact has no address and is skipped', range)];
  }
  return [diagnostic('recipient-duplicate', 'warning', 'targetList', `${quoteValue(email)} is already on the target list: it gets one message`, range)];
}

function writtenName(ctx: CheckContext, source: LoadedSource): string {
  const entry = ((ctx.loaded.data.targetList as Record<string, unknown[]>)[source.role]?.[source.path[2] as number] ?? {}) as { file?: unknown };
  return cutValue(typeof entry.file === 'string' ? entry.file.trim() : path.basename(source.file ?? ''));
}
