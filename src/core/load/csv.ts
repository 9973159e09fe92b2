// Reads a target-list CSV file, streaming, into the recipients it holds: a header row (any column
// order; every named column becomes a merge field; the `email` column, in any case, is the address),
// `,` `;` or tab separators detected from the header line, a BOM, CRLF, quoted fields with separators,
// quotes and line breaks inside. Rows are numbered as lines of the file (the header is row 1), which is
// what a spreadsheet and an editor show.
//
// csv-parse reads every line from the first one that contains a quote. Lines before it — all of them
// in most exported lists, which quote nothing — hold no quoting at all, so splitting them at the
// separator is exactly what csv-parse would do, and several times faster (100,000 rows in well under
// the half second the target-list check may take).
import { createReadStream } from 'node:fs';
import { parse, type Parser } from 'csv-parse';
import type { Recipient } from '../types';
import { addressKey, isValidEmail } from './addresses';

export interface CsvTable {
  delimiter: ',' | ';' | '\t';
  /** Header names as written (trimmed); empty for an unnamed column. */
  columns: string[];
  /** Index of the address column (`email` or `e-mail`, any case), or -1. */
  emailColumn: number;
  /** The merge fields the file provides: `email` plus every other named column. */
  fields: string[];
  /** Data rows (not counting the header and blank rows). */
  rows: number;
  /** Rows with a valid address, in file order, with their de-duplication keys and row numbers. */
  recipients: Recipient[];
  keys: string[];
  lines: number[];
  /** Rows whose address is empty or invalid. */
  invalid: { line: number; value: string }[];
  /** Rows with more or fewer fields than the header. */
  ragged: number[];
  /** Header names given to more than one column (the first such column is used). */
  duplicateColumns: string[];
  /** A fatal problem (an unclosed quote …) and its row; rows before it are kept. */
  error?: { line: number; message: string };
}

const EMAIL_HEADERS = new Set(['email', 'e-mail']);

class TableBuilder {
  readonly table: CsvTable = {
    delimiter: ',',
    columns: [],
    emailColumn: -1,
    fields: [],
    rows: 0,
    recipients: [],
    keys: [],
    lines: [],
    invalid: [],
    ragged: [],
    duplicateColumns: [],
  };
  private header = false;
  /** The field name each column fills, or undefined for an unnamed or repeated column. */
  private names: (string | undefined)[] = [];

  record(values: string[], line: number): void {
    const last = values.length - 1;
    if (values[last].endsWith('\r')) values[last] = values[last].slice(0, -1);
    let blank = true;
    for (const value of values) {
      if (value.trim()) {
        blank = false;
        break;
      }
    }
    if (blank) return;
    if (!this.header) {
      this.setHeader(values);
      return;
    }
    const table = this.table;
    table.rows++;
    if (values.length !== table.columns.length) table.ragged.push(line);
    if (table.emailColumn < 0) return;
    const email = (values[table.emailColumn] ?? '').trim();
    if (!isValidEmail(email)) {
      table.invalid.push({ line, value: email });
      return;
    }
    const fields: Record<string, string> = {};
    const names = this.names;
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (name !== undefined) fields[name] = i < values.length ? values[i].trim() : '';
    }
    fields.email = email;
    table.recipients.push({ email, fields });
    table.keys.push(addressKey(email));
    table.lines.push(line);
  }

  private setHeader(values: string[]): void {
    this.header = true;
    const table = this.table;
    table.columns = values.map((value) => value.trim());
    const seen = new Set<string>();
    this.names = table.columns.map((name, index) => {
      const field = EMAIL_HEADERS.has(name.toLowerCase()) ? 'email' : name;
      if (!name) return undefined;
      if (seen.has(field)) {
        table.duplicateColumns.push(name);
        return undefined;
      }
      seen.add(field);
      if (field === 'email') table.emailColumn = index;
      return field;
    });
    table.fields = ['email', ...this.names.filter((name): name is string => name !== undefined && name !== 'email')];
  }
}

/** The separator of a header line: the most frequent of `,` `;` and tab outside quotes (`,` on a tie). */
export function detectDelimiter(headerLine: string): ',' | ';' | '\t' {
  let commas = 0;
  let semicolons = 0;
  let tabs = 0;
  let quoted = false;
  for (let i = 0; i < headerLine.length; i++) {
    const c = headerLine[i];
    if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === ',') commas++;
    else if (c === ';') semicolons++;
    else if (c === '\t') tabs++;
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

/** Splits quote-free complete lines in text[from, to) into records; returns the next line number. */
function splitLines(text: string, from: number, to: number, line: number, delimiter: string, builder: TableBuilder): number {
  let start = from;
  while (start < to) {
    let end = text.indexOf('\n', start);
    if (end === -1 || end >= to) end = to;
    if (end > start) builder.record(text.slice(start, end).split(delimiter), line);
    line++;
    start = end + 1;
  }
  return line;
}

function write(parser: Parser, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (parser.destroyed || parser.write(text)) return resolve();
    // Wait for room; a parser that failed meanwhile is closed and will never drain.
    const done = () => {
      parser.off('drain', done);
      parser.off('close', done);
      resolve();
    };
    parser.on('drain', done);
    parser.on('close', done);
  });
}

function end(parser: Parser): Promise<void> {
  return new Promise((resolve) => {
    if (parser.destroyed) return resolve();
    parser.once('end', resolve);
    parser.once('close', resolve);
    parser.end();
  });
}

/** Takes the file's text chunk by chunk; splits quote-free lines itself, hands the rest to csv-parse. */
class CsvReader {
  readonly builder = new TableBuilder();
  failed = false;
  private pending = '';
  private line = 1;
  private delimiter: ',' | ';' | '\t' | undefined;
  private parser: Parser | undefined;

  get table(): CsvTable {
    return this.builder.table;
  }

  async push(chunk: string): Promise<void> {
    if (this.parser) return write(this.parser, chunk);
    let text = this.pending + chunk;
    if (this.delimiter === undefined) {
      if (text.indexOf('\n') === -1) {
        this.pending = text;
        return;
      }
      text = this.begin(text);
      if (this.parser) return write(this.parser, text);
    }
    return this.split(text, false);
  }

  async finish(): Promise<void> {
    if (!this.parser) {
      let text = this.pending;
      this.pending = '';
      if (this.delimiter === undefined) text = this.begin(text);
      if (this.parser) await write(this.parser, text);
      else await this.split(text, true);
    }
    if (this.parser) await end(this.parser);
  }

  /** The header line decides the separator; a lone CR (old Mac line ends) is left to csv-parse. */
  private begin(text: string): string {
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const headerEnd = text.indexOf('\n');
    const header = headerEnd === -1 ? text : text.slice(0, headerEnd);
    this.delimiter = detectDelimiter(header);
    this.table.delimiter = this.delimiter;
    const cr = header.indexOf('\r');
    if (cr !== -1 && cr < header.length - 1) this.parser = this.csvParser();
    return text;
  }

  private async split(text: string, final: boolean): Promise<void> {
    const quote = text.indexOf('"');
    if (quote !== -1) {
      const from = text.lastIndexOf('\n', quote) + 1;
      this.line = splitLines(text, 0, from, this.line, this.delimiter!, this.builder);
      this.pending = '';
      this.parser = this.csvParser();
      return write(this.parser, text.slice(from));
    }
    const to = final ? text.length : text.lastIndexOf('\n') + 1;
    this.line = splitLines(text, 0, to, this.line, this.delimiter!, this.builder);
    this.pending = text.slice(to);
  }

  /**
   * csv-parse from the current line on, numbering its records by the lines they start on (a record
   * spans one line plus the line breaks inside its quoted fields).
   */
  private csvParser(): Parser {
    let line = this.line;
    const parser = parse({ delimiter: this.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: false });
    parser.on('data', (values: string[]) => {
      this.builder.record(values, line);
      line++;
      for (const value of values) {
        for (let at = value.indexOf('\n'); at !== -1; at = value.indexOf('\n', at + 1)) line++;
      }
    });
    parser.on('error', (error: Error) => {
      // Reported on the row where the broken record starts (where an unclosed quote opens).
      this.failed = true;
      this.table.error ??= { line, message: error.message.replace(/\s+at line \d+.*$/s, '') };
    });
    return parser;
  }
}

/** Reads a CSV file. Rejects only when the file cannot be read; a malformed CSV gives `table.error`. */
export async function readCsvFile(file: string): Promise<CsvTable> {
  const reader = new CsvReader();
  // 64 KB reads: 1 MB buffers stay in the C allocator's arena once freed (glibc raises its mmap
  // threshold), which cost a 100,000-row send about 8 MB of peak memory (`npm run bench`).
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 16 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      await reader.push(chunk);
      if (reader.failed) break;
    }
    if (!reader.failed) await reader.finish();
  } finally {
    stream.destroy();
  }
  return reader.table;
}
