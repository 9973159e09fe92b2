// The target-list step: CSV files and contacts, exclusions, and who is left to mail.
import type { CodeEntry } from '../entry';
import type { Formatter } from '../format';
import { describeSkipped, type SkippedArgs } from '../values';
import { fieldList } from './content';

export type TargetListEmptyArgs = { kind: 'absent' } | { kind: 'no-include' } | { kind: 'no-recipients' } | { kind: 'all-skipped'; total: number; skipped: SkippedArgs };

export type CsvInvalidArgs =
  /** A broken record (an unclosed quote …): the parser's words. */
  | { kind: 'broken'; file: string; row: number; text: string }
  | { kind: 'ragged'; file: string; rows: number[]; count: number; delimiter: string }
  | { kind: 'duplicate-column'; file: string; column: string }
  | { kind: 'record-too-large'; file: string; rows: number[]; max: number }
  | { kind: 'too-many-columns'; file: string; rows: number[]; max: number };

export type CsvEncodingArgs =
  | { kind: 'invalid-utf8'; file: string; rows: number[] }
  | { kind: 'control-characters'; file: string; rows: number[] };

export type RecipientInvalidArgs =
  | { kind: 'rows'; file: string; count: number; rows: { row: number; value: string }[] }
  | { kind: 'contact'; email: string }
  | { kind: 'test'; email: string };

export type RecipientDuplicateArgs = { kind: 'rows'; file: string; count: number; rows: number[] } | { kind: 'contact'; email: string };

export type ColumnMissingArgs = { kind: 'empty'; file: string } | { kind: 'no-email'; file: string; columns: string[]; likely?: string };

function delimiterName(delimiter: string, f: Formatter): string {
  return delimiter === '\t' ? (f.lang === 'nl' ? 'tab' : 'tab') : `\`${delimiter}\``;
}

function invalidRows(rows: { row: number; value: string }[], count: number, f: Formatter): string {
  const empty = f.lang === 'nl' ? ' (leeg)' : ' (empty)';
  const shown = rows.slice(0, 5).map((r) => `${f.number(r.row)}${r.value ? ` ${f.quote(r.value)}` : empty}`);
  const more = count > shown.length ? (f.lang === 'nl' ? ` en nog ${f.number(count - shown.length)}` : ` and ${f.number(count - shown.length)} more`) : '';
  const word = f.lang === 'nl' ? (count === 1 ? 'rij' : 'rijen') : count === 1 ? 'row' : 'rows';
  return `${word} ${shown.join(', ')}${more}`;
}

export const TARGET_LIST_DIAGNOSTICS = {
  'target-list-empty': {
    step: 'targetList',
    severity: 'error',
    when: 'no recipient remains after exclusions and invalid rows',
    minimum: true,
    en: (a: TargetListEmptyArgs, f: Formatter) => {
      switch (a.kind) {
        case 'absent':
          return 'Target list is missing: add `targetList:` with `include:` (a CSV file or contacts)';
        case 'no-include':
          return 'Target list has no `include:`: list a CSV file (`- file: customers.csv`) or contacts (`- email: …`)';
        case 'no-recipients':
          return 'Target list is empty: no recipient in its sources';
        case 'all-skipped':
          return `Target list is empty: all ${f.count(a.total, 'address', 'addresses')} are skipped (${describeSkipped(a.skipped, f)})`;
      }
    },
    nl: (a: TargetListEmptyArgs, f: Formatter) => {
      switch (a.kind) {
        case 'absent':
          return 'De doellijst ontbreekt: voeg `targetList:` toe met `include:` (een CSV-bestand of contacten)';
        case 'no-include':
          return 'De doellijst heeft geen `include:`: noem een CSV-bestand (`- file: klanten.csv`) of contacten (`- email: …`)';
        case 'no-recipients':
          return 'De doellijst is leeg: de bronnen bevatten geen ontvanger';
        case 'all-skipped':
          return `De doellijst is leeg: alle ${f.count(a.total, 'adres', 'adressen')} worden overgeslagen (${describeSkipped(a.skipped, f)})`;
      }
    },
  } satisfies CodeEntry<TargetListEmptyArgs>,
  'csv-email-column-missing': {
    step: 'targetList',
    severity: 'error',
    when: 'a CSV without an `email` column',
    minimum: true,
    en: (a: ColumnMissingArgs, f: Formatter) =>
      a.kind === 'empty'
        ? `${f.quote(a.file)} is empty: it needs a header row with an \`email\` column`
        : `${f.quote(a.file)} has no \`email\` column (columns: ${a.columns.length ? fieldList(a.columns, f) : 'none'})${a.likely ? `; if ${f.quote(a.likely)} holds the addresses, rename it to \`email\`` : ''}`,
    nl: (a: ColumnMissingArgs, f: Formatter) =>
      a.kind === 'empty'
        ? `${f.quote(a.file)} is leeg: het heeft een kopregel met een kolom \`email\` nodig`
        : `${f.quote(a.file)} heeft geen kolom \`email\` (kolommen: ${a.columns.length ? fieldList(a.columns, f) : 'geen'})${a.likely ? `; als ${f.quote(a.likely)} de adressen bevat, hernoem die kolom dan naar \`email\`` : ''}`,
  } satisfies CodeEntry<ColumnMissingArgs>,
  'csv-invalid': {
    step: 'targetList',
    severity: 'error / warning',
    when: 'a broken quote, a record over 1 MB or more than 1,000 columns (error); rows with the wrong number of fields, repeated columns (warning)',
    en: (a: CsvInvalidArgs, f: Formatter) => {
      const file = f.quote(a.file);
      switch (a.kind) {
        case 'broken':
          return `${file}, row ${f.number(a.row)}: ${a.text}`;
        case 'ragged':
          return `${file}: ${f.count(a.count, 'row has', 'rows have')} a different number of fields than the header (${f.rows(a.rows)}); check for a missing or extra ${delimiterName(a.delimiter, f)}`;
        case 'duplicate-column':
          return `${file}: column ${f.quote(a.column)} appears more than once; the first is used`;
        case 'record-too-large':
          return `${file}: ${f.rows(a.rows)} ${a.rows.length === 1 ? 'is' : 'are'} longer than ${f.size(a.max)} and cannot be read: is a quote left open?`;
        case 'too-many-columns':
          return `${file}: ${f.rows(a.rows)} ${a.rows.length === 1 ? 'has' : 'have'} more than ${f.number(a.max)} columns: is the separator right?`;
      }
    },
    nl: (a: CsvInvalidArgs, f: Formatter) => {
      const file = f.quote(a.file);
      switch (a.kind) {
        case 'broken':
          return `${file}, rij ${f.number(a.row)}: ${a.text}`;
        case 'ragged':
          return `${file}: ${f.count(a.count, 'rij heeft', 'rijen hebben')} een ander aantal velden dan de kopregel (${f.rows(a.rows)}); controleer op een ontbrekende of extra ${delimiterName(a.delimiter, f)}`;
        case 'duplicate-column':
          return `${file}: kolom ${f.quote(a.column)} komt meer dan één keer voor; de eerste wordt gebruikt`;
        case 'record-too-large':
          return `${file}: ${f.rows(a.rows)} ${a.rows.length === 1 ? 'is' : 'zijn'} langer dan ${f.size(a.max)} en ${a.rows.length === 1 ? 'kan' : 'kunnen'} niet worden gelezen: staat er een aanhalingsteken open?`;
        case 'too-many-columns':
          return `${file}: ${f.rows(a.rows)} ${a.rows.length === 1 ? 'heeft' : 'hebben'} meer dan ${f.number(a.max)} kolommen: klopt het scheidingsteken?`;
      }
    },
  } satisfies CodeEntry<CsvInvalidArgs>,
  'csv-encoding': {
    step: 'targetList',
    severity: 'error / warning',
    when: 'a CSV that is not valid UTF-8 (error, with the rows); control characters in values, removed (warning)',
    en: (a: CsvEncodingArgs, f: Formatter) =>
      a.kind === 'invalid-utf8'
        ? `${f.quote(a.file)} is not valid UTF-8 (${f.rows(a.rows)}): save it as UTF-8 (in a spreadsheet: CSV UTF-8)`
        : `${f.quote(a.file)}: control characters (such as NUL) in ${f.rows(a.rows)} are removed from the values`,
    nl: (a: CsvEncodingArgs, f: Formatter) =>
      a.kind === 'invalid-utf8'
        ? `${f.quote(a.file)} is geen geldige UTF-8 (${f.rows(a.rows)}): sla het op als UTF-8 (in een spreadsheet: CSV UTF-8)`
        : `${f.quote(a.file)}: stuurtekens (zoals NUL) in ${f.rows(a.rows)} worden uit de waarden verwijderd`,
  } satisfies CodeEntry<CsvEncodingArgs>,
  'recipient-invalid': {
    step: 'targetList',
    severity: 'warning',
    when: 'rows whose address is invalid (counted, with CSV row numbers; skipped)',
    minimum: true,
    en: (a: RecipientInvalidArgs, f: Formatter) => {
      switch (a.kind) {
        case 'rows':
          return `${f.quote(a.file)}: ${f.count(a.count, 'row has an invalid address', 'rows have an invalid address')} and ${a.count === 1 ? 'is' : 'are'} skipped (${invalidRows(a.rows, a.count, f)})`;
        case 'contact':
          return a.email ? `${f.quote(a.email)} is not a valid address: this contact is skipped` : 'This contact has no address and is skipped';
        case 'test':
          return `Test address ${f.quote(a.email)} is not a valid address`;
      }
    },
    nl: (a: RecipientInvalidArgs, f: Formatter) => {
      switch (a.kind) {
        case 'rows':
          return `${f.quote(a.file)}: ${f.count(a.count, 'rij heeft een ongeldig adres', 'rijen hebben een ongeldig adres')} en ${a.count === 1 ? 'wordt' : 'worden'} overgeslagen (${invalidRows(a.rows, a.count, f)})`;
        case 'contact':
          return a.email ? `${f.quote(a.email)} is geen geldig adres: dit contact wordt overgeslagen` : 'Dit contact heeft geen adres en wordt overgeslagen';
        case 'test':
          return `Testadres ${f.quote(a.email)} is geen geldig adres`;
      }
    },
  } satisfies CodeEntry<RecipientInvalidArgs>,
  'recipient-duplicate': {
    step: 'targetList',
    severity: 'warning',
    when: 'addresses listed more than once (one message per address)',
    minimum: true,
    en: (a: RecipientDuplicateArgs, f: Formatter) =>
      a.kind === 'rows'
        ? `${f.quote(a.file)}: ${f.count(a.count, 'address is', 'addresses are')} already on the list and skipped (${f.rows(a.rows)}); one message per address`
        : `${f.quote(a.email)} is already on the target list: it gets one message`,
    nl: (a: RecipientDuplicateArgs, f: Formatter) =>
      a.kind === 'rows'
        ? `${f.quote(a.file)}: ${f.count(a.count, 'adres staat', 'adressen staan')} al op de lijst en ${a.count === 1 ? 'wordt' : 'worden'} overgeslagen (${f.rows(a.rows)}); één bericht per adres`
        : `${f.quote(a.email)} staat al op de doellijst: het krijgt één bericht`,
  } satisfies CodeEntry<RecipientDuplicateArgs>,
};
