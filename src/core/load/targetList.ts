// The target list: include sources in order, minus the exclusion sources, one message per address.
// A row is skipped as invalid (empty or malformed address), excluded (listed in an exclude source) or
// duplicate (its lower-cased address came earlier); the first occurrence of an address is kept.
// Exclusion sources are CSV files, contacts, and other mailings (their recipients, from their state:
// state/mailingRecipients.ts). The workspace's suppression list is applied after this, by the confirm
// model (suppression/applySuppression.ts): it changes without the mailing's files changing.
import type { LeftOutRow, Recipient, TargetList, TargetSourceSummary } from '../types';
import { addressKey, isValidEmail } from './addresses';
import type { CsvTable } from './csv';
import type { FileProblem } from './fileCache';
import type { YamlPath } from './sourceNodes';

/** One entry of `targetList.include` or `.exclude`, and what became of its rows. */
export interface LoadedSource {
  role: 'include' | 'exclude';
  /** Path of the entry in the YAML (`['targetList','include',2]`). */
  path: YamlPath;
  /** mailing: `exclude: - mailing: october.mailing.yaml`, the recipients of another mailing. */
  kind: 'file' | 'inline' | 'mailing';
  /** kind=file: the absolute path (kind=mailing: the other mailing's file), and the table or why it could not be read. */
  file?: string;
  /** kind=mailing: which of its recipients (`status:`), and who they are or why its state cannot say. */
  status?: ExcludeStatus;
  recipients?: MailingRecipientsResult;
  problem?: FileProblem;
  table?: CsvTable;
  /** kind=inline: the address as written, and the merge-field values (`email` trimmed among them). */
  email?: string;
  fields?: Record<string, string>;
  /** What became of an included contact, when it was skipped. */
  outcome?: 'invalid' | 'duplicate' | 'excluded';
  /** What became of an included CSV's rows: skipped ones, with their row numbers. */
  invalid?: { line: number; value: string }[];
  duplicates?: number[];
  excluded?: number;
}

export function newSource(role: LoadedSource['role'], path: YamlPath, kind: LoadedSource['kind']): LoadedSource {
  return { role, path, kind };
}

/** True when the source's columns are known (an inline entry, or a CSV whose header could be read). */
export function areFieldsKnown(source: LoadedSource): boolean {
  return source.kind === 'inline' || (!!source.table && source.table.columns.length > 0 && !source.table.error);
}

/** True when the source's addresses are known (an inline entry, or a readable CSV with an email column). */
export function isSourceReadable(source: LoadedSource): boolean {
  return source.kind === 'inline' || (!!source.table && source.table.emailColumn >= 0 && !source.table.error);
}

/** What assembling wrote on an include source (its skipped rows), replayed when the list is reused. */
type SourceOutcome = Pick<LoadedSource, 'outcome' | 'invalid' | 'duplicates' | 'excluded'>;

/** A store of the last result per inputs (FileCache.remembered): equal inputs, the kept result. */
export type Remember = <T>(inputs: readonly unknown[], make: () => Promise<T>) => Promise<T>;

/** What an assembly depends on: the entries' kinds and files, inline values, and the tables and other mailings' recipients by identity (the file cache keeps each while its file is unchanged). */
function assemblyInputs(includes: LoadedSource[], excludes: LoadedSource[]): unknown[] {
  const inputs: unknown[] = [includes.length, excludes.length];
  for (const source of [...includes, ...excludes]) {
    inputs.push(source.kind, source.file);
    if (source.kind === 'inline') inputs.push(JSON.stringify(source.fields ?? null));
    else if (source.kind === 'mailing') inputs.push(source.recipients);
    else inputs.push(source.table);
  }
  return inputs;
}

/**
 * The target list of `includes` minus `excludes`. With `remember` (the file cache's, per mailing),
 * equal inputs give the very list of the last assembly — shared and read-only, as every loaded list
 * is. Re-validating after an edit of the YAML that leaves the target list's entries as they were (the
 * subject, the content) then costs no de-duplication — for a 1M list, most of a validation's time on
 * the extension host's thread — and the suppression and Inbox checks keyed by the list's identity
 * reuse their results too.
 */
export async function assembleTargetList(includes: LoadedSource[], excludes: LoadedSource[], remember?: Remember): Promise<TargetList> {
  if (!remember) return assemble(includes, excludes);
  const { list, outcomes } = await remember(assemblyInputs(includes, excludes), async () => {
    const made = await assemble(includes, excludes);
    return { list: made, outcomes: includes.map(outcomeOf) };
  });
  includes.forEach((source, i) => Object.assign(source, outcomes[i]));
  return list;
}

function outcomeOf(source: LoadedSource): SourceOutcome {
  const outcome: SourceOutcome = {};
  for (const key of ['outcome', 'invalid', 'duplicates', 'excluded'] as const) if (source[key] !== undefined) Object.assign(outcome, { [key]: source[key] });
  return outcome;
}

/** Rows between two pauses: a 1M list is assembled in slices, so the thread (the extension host's) is never held for long. */
const SLICE_ROWS = 32_768;
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

async function assemble(includes: LoadedSource[], excludes: LoadedSource[]): Promise<TargetList> {
  const excluded = new Set<string>();
  for (const source of excludes) {
    if (source.kind === 'inline') {
      if (source.fields?.email) excluded.add(addressKey(source.fields.email));
    } else {
      const keys = source.kind === 'mailing' ? (source.recipients?.ok ? source.recipients.keys : []) : (source.table?.keys ?? []);
      let i = 0;
      for (const key of keys) {
        excluded.add(key);
        if (++i % SLICE_ROWS === 0) await pause();
      }
    }
  }
  const leftOut: LeftOutRow[] = [];

  const recipients: Recipient[] = [];
  const seen = new Set<string>();
  const fields = new Set<string>(['email']);
  const skipped = { invalid: 0, duplicate: 0, excluded: 0 };
  const sources: TargetSourceSummary[] = [];
  let inline: TargetSourceSummary | undefined;

  const inlineColumns = new Set<string>(['email']);
  for (const source of includes) {
    if (source.kind === 'inline') {
      inline ??= { kind: 'inline', rows: 0, invalid: 0, duplicate: 0, columns: [] };
      if (!inline.rows) sources.push(inline);
      inline.rows++;
      const values = source.fields ?? {};
      for (const name in values) inlineColumns.add(name);
      const email = values.email ?? '';
      if (!isValidEmail(email)) {
        source.outcome = 'invalid';
        inline.invalid++;
        skipped.invalid++;
        leftOut.push({ email, reason: 'invalid' });
        continue;
      }
      const key = addressKey(email);
      if (excluded.has(key)) {
        source.outcome = 'excluded';
        skipped.excluded++;
        leftOut.push({ email, reason: 'excluded' });
      } else if (seen.has(key)) {
        source.outcome = 'duplicate';
        inline.duplicate++;
        skipped.duplicate++;
        leftOut.push({ email, reason: 'duplicate' });
      } else {
        seen.add(key);
        recipients.push({ email, fields: values });
      }
      continue;
    }

    const table = source.table;
    if (!table) continue;
    for (const field of table.fields) fields.add(field);
    const summary: TargetSourceSummary = { kind: 'file', file: source.file, rows: table.rows, invalid: table.invalid.length, duplicate: 0, columns: table.columns.filter(Boolean) };
    sources.push(summary);
    if (table.emailColumn < 0) continue;
    const duplicates: number[] = [];
    let excludedRows = 0;
    source.invalid = table.invalid;
    skipped.invalid += table.invalid.length;
    for (const row of table.invalid) leftOut.push({ email: row.value, reason: 'invalid' });
    const { keys, lines } = table;
    const rows = table.recipients;
    for (let i = 0; i < rows.length; i++) {
      if (i > 0 && i % SLICE_ROWS === 0) await pause();
      const key = keys[i];
      if (excluded.has(key)) {
        excludedRows++;
        leftOut.push({ email: rows[i].email, reason: 'excluded' });
      } else if (seen.has(key)) {
        duplicates.push(lines[i]);
        leftOut.push({ email: rows[i].email, reason: 'duplicate' });
      } else {
        seen.add(key);
        recipients.push(rows[i]);
      }
    }
    source.duplicates = duplicates;
    source.excluded = excludedRows;
    skipped.duplicate += duplicates.length;
    skipped.excluded += excludedRows;
    summary.duplicate = duplicates.length;
  }
  if (inline) {
    inline.columns = [...inlineColumns];
    for (const column of inlineColumns) fields.add(column);
  }

  const excludeSources: TargetSourceSummary[] = [];
  let inlineExcludes: TargetSourceSummary | undefined;
  for (const source of excludes) {
    if (source.kind === 'inline') {
      inlineExcludes ??= { kind: 'inline', rows: 0, invalid: 0, duplicate: 0, columns: ['email'] };
      if (!inlineExcludes.rows) excludeSources.push(inlineExcludes);
      inlineExcludes.rows++;
    } else if (source.kind === 'mailing') {
      excludeSources.push({ kind: 'mailing', file: source.file, rows: source.recipients?.ok ? source.recipients.count : 0, invalid: 0, duplicate: 0, columns: ['email'] });
    } else {
      const table = source.table;
      excludeSources.push({ kind: 'file', file: source.file, rows: table?.rows ?? 0, invalid: table?.invalid.length ?? 0, duplicate: 0, columns: table?.columns.filter(Boolean) ?? [] });
    }
  }
  return { recipients, fields: [...fields], skipped, sources, excludeSources, leftOut };
}

export type ExcludeStatus = 'sent' | 'failed' | 'any';
export const EXCLUDE_STATUSES: readonly ExcludeStatus[] = ['sent', 'failed', 'any'];

export type MailingRecipientsResult =
  | { ok: true; keys: Set<string>; count: number }
  /** never-confirmed: no journal, or one that confirms nothing; unreadable: its state cannot be read (detail). */
  | { ok: false; problem: 'never-confirmed' | 'unreadable'; detail?: string };

/**
 * Another mailing's recipients, for `exclude: - mailing:`: read from its journal by the state layer
 * (state/mailingRecipients.ts OTHER_MAILINGS), given to the loader, which sits below it.
 */
export interface OtherMailings {
  /** The state files a result depends on: a face that watches them re-checks the excluding mailing. */
  stateFiles(stateRoot: string, mailingFile: string): string[];
  recipients(stateRoot: string, mailingFile: string, status: ExcludeStatus): Promise<MailingRecipientsResult>;
}
