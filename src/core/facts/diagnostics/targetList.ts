// The target-list step: CSV files and contacts, exclusions, and who is left to mail.
import type { CodeEntry } from '../entry';
import type { Formatter } from '../format';
import { describeSkipped, type SkippedArgs } from '../values';
import { fieldList } from './content';

export type TargetListEmptyArgs = { kind: 'absent' } | { kind: 'no-include' } | { kind: 'no-recipients' } | { kind: 'all-skipped'; total: number; skipped: SkippedArgs };

export type CsvInvalidArgs =
  /** A broken record: the CSV parser's own (English) words. */
  | { kind: 'broken'; file: string; row: number; text: string }
  | { kind: 'unclosed-quote'; file: string; row: number }
  | { kind: 'header-too-wide'; file: string; columns: number; max: number }
  | { kind: 'header-too-long'; file: string; max: number }
  | { kind: 'ragged'; file: string; rows: number[]; count: number; delimiter: string }
  | { kind: 'duplicate-column'; file: string; column: string }
  | { kind: 'record-too-large'; file: string; rows: number[]; max: number }
  | { kind: 'too-many-columns'; file: string; rows: number[]; max: number };

export type CsvEncodingArgs =
  | { kind: 'utf16'; file: string }
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
  const shown = rows.slice(0, 5).map((r) => `${r.row}${r.value ? ` ${f.quote(r.value)}` : empty}`);
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
        ? `${f.clip(a.file)} is empty: it needs a header row with an \`email\` column`
        : `${f.clip(a.file)} has no \`email\` column (columns: ${a.columns.length ? fieldList(a.columns, f) : 'none'})${a.likely ? `; if ${f.quote(a.likely)} holds the addresses, rename it to \`email\`` : ''}`,
    nl: (a: ColumnMissingArgs, f: Formatter) =>
      a.kind === 'empty'
        ? `${f.clip(a.file)} is leeg: het heeft een kopregel met een kolom \`email\` nodig`
        : `${f.clip(a.file)} heeft geen kolom \`email\` (kolommen: ${a.columns.length ? fieldList(a.columns, f) : 'geen'})${a.likely ? `; als ${f.quote(a.likely)} de adressen bevat, hernoem die kolom dan naar \`email\`` : ''}`,
  } satisfies CodeEntry<ColumnMissingArgs>,
  'csv-invalid': {
    step: 'targetList',
    severity: 'error / warning',
    when: 'a broken quote, a row over 1 MB or with more than 1,000 columns (error, with the rows); rows with the wrong number of fields, repeated columns (warning)',
    en: (a: CsvInvalidArgs, f: Formatter) => {
      const file = f.clip(a.file);
      switch (a.kind) {
        case 'broken':
          return `${file}, row ${a.row}: ${a.text}`;
        case 'unclosed-quote':
          return `${file}, row ${a.row}: Quote Not Closed: a quoted field opens on this row and the file ends before it is closed`;
        case 'header-too-wide':
          return `${file}: the header has ${f.number(a.columns)} columns, more than the ${f.number(a.max)} a target list may have: is the separator right?`;
        case 'header-too-long':
          return `${file}: the header row is longer than ${f.limit(a.max)}, the most a row may hold: is this a CSV file?`;
        case 'ragged':
          return `${file}: ${f.count(a.count, 'row has', 'rows have')} a different number of fields than the header (${f.rows(a.rows)}); check for a missing or extra ${delimiterName(a.delimiter, f)}`;
        case 'duplicate-column':
          return `${file}: column ${f.quote(a.column)} appears more than once; the first is used`;
        case 'record-too-large':
          return `${file}: ${f.count(a.rows.length, 'row is', 'rows are')} longer than ${f.limit(a.max)}, the most a row may hold, and ${a.rows.length === 1 ? 'is' : 'are'} skipped (${f.rows(a.rows)}); check for an unclosed quote or a file that is not a CSV`;
        case 'too-many-columns':
          return `${file}: ${f.count(a.rows.length, 'row has', 'rows have')} more than ${f.number(a.max)} columns and ${a.rows.length === 1 ? 'is' : 'are'} skipped (${f.rows(a.rows)})`;
      }
    },
    nl: (a: CsvInvalidArgs, f: Formatter) => {
      const file = f.clip(a.file);
      switch (a.kind) {
        case 'broken':
          return `${file}, rij ${a.row}: ${a.text}`;
        case 'unclosed-quote':
          return `${file}, rij ${a.row}: aanhalingsteken niet gesloten: op deze rij opent een veld tussen aanhalingstekens dat tot het einde van het bestand niet wordt gesloten`;
        case 'header-too-wide':
          return `${file}: de kopregel heeft ${f.number(a.columns)} kolommen, meer dan de ${f.number(a.max)} die een doellijst mag hebben: klopt het scheidingsteken?`;
        case 'header-too-long':
          return `${file}: de kopregel is langer dan ${f.limit(a.max)}, het meeste dat een rij mag bevatten: is dit wel een CSV-bestand?`;
        case 'ragged':
          return `${file}: ${f.count(a.count, 'rij heeft', 'rijen hebben')} een ander aantal velden dan de kopregel (${f.rows(a.rows)}); controleer op een ontbrekende of extra ${delimiterName(a.delimiter, f)}`;
        case 'duplicate-column':
          return `${file}: kolom ${f.quote(a.column)} komt meer dan één keer voor; de eerste wordt gebruikt`;
        case 'record-too-large':
          return `${file}: ${f.count(a.rows.length, 'rij is', 'rijen zijn')} langer dan ${f.limit(a.max)}, het meeste dat een rij mag bevatten, en ${a.rows.length === 1 ? 'wordt' : 'worden'} overgeslagen (${f.rows(a.rows)}); staat er een aanhalingsteken open, of is het geen CSV-bestand?`;
        case 'too-many-columns':
          return `${file}: ${f.count(a.rows.length, 'rij heeft', 'rijen hebben')} meer dan ${f.number(a.max)} kolommen en ${a.rows.length === 1 ? 'wordt' : 'worden'} overgeslagen (${f.rows(a.rows)}); klopt het scheidingsteken?`;
      }
    },
  } satisfies CodeEntry<CsvInvalidArgs>,
  'csv-encoding': {
    step: 'targetList',
    severity: 'error / warning',
    when: 'rows holding bytes that are not UTF-8, a UTF-16 file (error, with the rows); control characters removed from values (warning, with the rows)',
    en: (a: CsvEncodingArgs, f: Formatter) =>
      a.kind === 'utf16'
        ? `${f.clip(a.file)} is UTF-16 text (or not text at all): save it as CSV UTF-8 (in Excel: "CSV UTF-8 (comma delimited)")`
        : a.kind === 'invalid-utf8'
          ? `${f.clip(a.file)}: ${f.count(a.rows.length, 'row holds', 'rows hold')} bytes that are not UTF-8 (${f.rows(a.rows)}); the file may be in another encoding (Latin-1, Windows-1252): save it as CSV UTF-8`
          : `${f.clip(a.file)}: control characters (NUL and the like) were removed from the values of ${f.rows(a.rows)}`,
    nl: (a: CsvEncodingArgs, f: Formatter) =>
      a.kind === 'utf16'
        ? `${f.clip(a.file)} is UTF-16-tekst (of helemaal geen tekst): sla het op als CSV UTF-8 (in Excel: "CSV UTF-8 (door komma's gescheiden)")`
        : a.kind === 'invalid-utf8'
          ? `${f.clip(a.file)}: ${f.count(a.rows.length, 'rij bevat', 'rijen bevatten')} bytes die geen UTF-8 zijn (${f.rows(a.rows)}); het bestand is misschien in een andere codering (Latin-1, Windows-1252): sla het op als CSV UTF-8`
          : `${f.clip(a.file)}: stuurtekens (NUL en dergelijke) zijn verwijderd uit de waarden van ${f.rows(a.rows)}`,
  } satisfies CodeEntry<CsvEncodingArgs>,
  'recipient-invalid': {
    step: 'targetList',
    severity: 'warning',
    when: 'rows whose address is invalid (counted, with CSV row numbers; skipped)',
    minimum: true,
    en: (a: RecipientInvalidArgs, f: Formatter) => {
      switch (a.kind) {
        case 'rows':
          return `${f.clip(a.file)}: ${f.count(a.count, 'row has an invalid address', 'rows have an invalid address')} and ${a.count === 1 ? 'is' : 'are'} skipped (${invalidRows(a.rows, a.count, f)})`;
        case 'contact':
          return a.email ? `${f.quote(a.email)} is not a valid address: this contact is skipped` : 'This contact has no address and is skipped';
        case 'test':
          return `Test address ${f.quote(a.email)} is not a valid address`;
      }
    },
    nl: (a: RecipientInvalidArgs, f: Formatter) => {
      switch (a.kind) {
        case 'rows':
          return `${f.clip(a.file)}: ${f.count(a.count, 'rij heeft een ongeldig adres', 'rijen hebben een ongeldig adres')} en ${a.count === 1 ? 'wordt' : 'worden'} overgeslagen (${invalidRows(a.rows, a.count, f)})`;
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
        ? `${f.clip(a.file)}: ${f.count(a.count, 'address is', 'addresses are')} already on the list and skipped (${f.rows(a.rows)}); one message per address`
        : `${f.quote(a.email)} is already on the target list: it gets one message`,
    nl: (a: RecipientDuplicateArgs, f: Formatter) =>
      a.kind === 'rows'
        ? `${f.clip(a.file)}: ${f.count(a.count, 'adres staat', 'adressen staan')} al op de lijst en ${a.count === 1 ? 'wordt' : 'worden'} overgeslagen (${f.rows(a.rows)}); één bericht per adres`
        : `${f.quote(a.email)} staat al op de doellijst: het krijgt één bericht`,
  } satisfies CodeEntry<RecipientDuplicateArgs>,
};
