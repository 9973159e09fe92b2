// The target list: include sources in order, minus the exclusion sources, one message per address.
// A row is skipped as invalid (empty or malformed address), excluded (listed in an exclude source) or
// duplicate (its lower-cased address came earlier); the first occurrence of an address is kept.
import type { Recipient, TargetList, TargetSourceSummary } from '../types';
import { addressKey, isValidEmail } from './addresses';
import type { CsvTable } from './csv';
import type { FileProblem } from './fileCache';
import type { YamlPath } from './sourceNodes';

/** One entry of `targetList.include` or `.exclude`, and what became of its rows. */
export interface LoadedSource {
  role: 'include' | 'exclude';
  /** Path of the entry in the YAML (`['targetList','include',2]`). */
  path: YamlPath;
  kind: 'file' | 'inline';
  /** kind=file: the absolute path, and the table or why it could not be read. */
  file?: string;
  problem?: FileProblem;
  table?: CsvTable;
  /** kind=inline: the address as written and the merge-field values. */
  email?: string;
  fields?: Record<string, string>;
  /** Outcome (include sources): rows skipped, with row numbers for CSV files. */
  invalid: { line: number; value: string }[];
  duplicates: number[];
  excluded: number;
}

export function newSource(role: LoadedSource['role'], path: YamlPath, kind: LoadedSource['kind']): LoadedSource {
  return { role, path, kind, invalid: [], duplicates: [], excluded: 0 };
}

/** True when the source's columns are known (an inline entry, or a CSV whose header could be read). */
export function areFieldsKnown(source: LoadedSource): boolean {
  return source.kind === 'inline' || (!!source.table && source.table.columns.length > 0 && !source.table.error);
}

/** True when the source's addresses are known (an inline entry, or a readable CSV with an email column). */
export function isSourceReadable(source: LoadedSource): boolean {
  return source.kind === 'inline' || (!!source.table && source.table.emailColumn >= 0 && !source.table.error);
}

export function assembleTargetList(includes: LoadedSource[], excludes: LoadedSource[]): TargetList {
  const excluded = new Set<string>();
  for (const source of excludes) {
    if (source.kind === 'inline') {
      if (source.email) excluded.add(addressKey(source.email.trim()));
    } else if (source.table) {
      for (const key of source.table.keys) excluded.add(key);
    }
  }

  const recipients: Recipient[] = [];
  const seen = new Set<string>();
  const fields = new Set<string>(['email']);
  const skipped = { invalid: 0, duplicate: 0, excluded: 0 };
  const sources: TargetSourceSummary[] = [];
  let inline: TargetSourceSummary | undefined;

  for (const source of includes) {
    if (source.kind === 'inline') {
      inline ??= { kind: 'inline', rows: 0, invalid: 0, duplicate: 0, columns: ['email'] };
      if (!inline.rows) sources.push(inline);
      inline.rows++;
      for (const name of Object.keys(source.fields ?? {})) {
        fields.add(name);
        if (!inline.columns.includes(name)) inline.columns.push(name);
      }
      const email = (source.email ?? '').trim();
      if (!isValidEmail(email)) {
        source.invalid.push({ line: 0, value: email });
        inline.invalid++;
        skipped.invalid++;
        continue;
      }
      const key = addressKey(email);
      if (excluded.has(key)) {
        source.excluded++;
        skipped.excluded++;
      } else if (seen.has(key)) {
        source.duplicates.push(0);
        inline.duplicate++;
        skipped.duplicate++;
      } else {
        seen.add(key);
        recipients.push({ email, fields: { ...source.fields, email } });
      }
      continue;
    }

    const table = source.table;
    if (!table) continue;
    for (const field of table.fields) fields.add(field);
    const summary: TargetSourceSummary = { kind: 'file', file: source.file, rows: table.rows, invalid: table.invalid.length, duplicate: 0, columns: table.columns.filter(Boolean) };
    sources.push(summary);
    if (table.emailColumn < 0) continue;
    source.invalid = table.invalid;
    skipped.invalid += table.invalid.length;
    const { keys, lines } = table;
    const rows = table.recipients;
    for (let i = 0; i < rows.length; i++) {
      const key = keys[i];
      if (excluded.has(key)) {
        source.excluded++;
        skipped.excluded++;
      } else if (seen.has(key)) {
        source.duplicates.push(lines[i]);
        skipped.duplicate++;
      } else {
        seen.add(key);
        recipients.push(rows[i]);
      }
    }
    summary.duplicate = source.duplicates.length;
  }

  const excludeSources: TargetSourceSummary[] = [];
  let inlineExcludes: TargetSourceSummary | undefined;
  for (const source of excludes) {
    if (source.kind === 'inline') {
      inlineExcludes ??= { kind: 'inline', rows: 0, invalid: 0, duplicate: 0, columns: ['email'] };
      if (!inlineExcludes.rows) excludeSources.push(inlineExcludes);
      inlineExcludes.rows++;
    } else {
      const table = source.table;
      excludeSources.push({ kind: 'file', file: source.file, rows: table?.rows ?? 0, invalid: table?.invalid.length ?? 0, duplicate: 0, columns: table?.columns.filter(Boolean) ?? [] });
    }
  }
  return { recipients, fields: [...fields], skipped, sources, excludeSources };
}
