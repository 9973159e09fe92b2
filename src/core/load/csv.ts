// Reads a target-list CSV file, streaming, into the recipients it holds: a header row (any column
// order; every named column becomes a merge field; the `email` column, in any case, is the address),
// `,` `;` or tab separators detected from the header line, a BOM, CRLF, quoted fields with separators,
// quotes and line breaks inside. Rows are numbered as lines of the file (the header is row 1), which is
// what a spreadsheet and an editor show.
//
// A record scanner finds where each record ends, looking at every character of the file once (only
// for quotes and line ends, with indexOf): it follows csv-parse's own rules for quotes (a quote opens
// a field only at its start; `""` inside one is a quote) and record delimiters (the first line end
// outside quotes decides: CRLF, LF or CR). A record without a quote — every record of most exported
// lists — is split at the separator by hand, which is exactly what csv-parse would do and several times
// faster; the records of a chunk from its first quoted one on go to csv-parse in one call. So the
// reading is linear in the file, and a record is held in memory only up to the size limit: a longer
// one is skipped (and reported) while the scanner looks for its end.
//
// Bytes are decoded as UTF-8 with every invalid sequence found (encoding.ts) and the control
// characters located; the rows they are in are reported (`csv-encoding`).
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Recipient } from '../types';
import { addressKey, isValidEmail } from './addresses';
import { CONTROL_CHARACTERS, controlLineOffsets, isUtf16, Utf8Stream, type DecodedText } from './encoding';

/** A record (one row, with the line breaks inside its quoted fields) longer than this is skipped. */
export const CSV_MAX_RECORD_BYTES = 1024 * 1024;
/** A header or row with more columns than this is refused (the header) or skipped (a row). */
export const CSV_MAX_COLUMNS = 1000;

export interface CsvLimits {
  /** Bytes (UTF-8) of one record, separators, quotes and its line end included. */
  maxRecordBytes: number;
  maxColumns: number;
}

export const CSV_LIMITS: Readonly<CsvLimits> = { maxRecordBytes: CSV_MAX_RECORD_BYTES, maxColumns: CSV_MAX_COLUMNS };

/** Work done by one read, for tests and benchmarks: what "linear in the file" is measured by. */
export interface CsvCounters {
  /** Characters looked at while searching for quotes and line ends. */
  scanned: number;
  /** Characters copied to put records that span chunks together. */
  copied: number;
  /** The most characters of one unfinished record held at a time. */
  held: number;
}

/** What stopped a CSV from being read on (from its row on, nothing more is taken). */
export type CsvFatal =
  | { kind: 'header-too-wide'; columns: number; max: number }
  | { kind: 'header-too-long'; max: number }
  | { kind: 'unclosed-quote' }
  | { kind: 'parser'; text: string }
  | { kind: 'utf16' };

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
  /** Rows over the record size limit, and rows with more columns than the limit: skipped. */
  oversized: number[];
  tooWide: number[];
  /** Rows holding bytes that are not UTF-8 (read as U+FFFD). */
  notUtf8: number[];
  /** Rows whose control characters (NUL, …) were removed from their values. */
  controlStripped: number[];
  /** A fatal problem (an unclosed quote, a header that cannot be read …) and its row; rows before it are kept. */
  error?: { line: number; problem: CsvFatal };
}

/** What the scanner found in a record's bytes. */
const NOT_UTF8 = 1;
const CONTROL = 2;

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
    oversized: [],
    tooWide: [],
    notUtf8: [],
    controlStripped: [],
  };
  private header = false;
  /** The field name each column fills, or undefined for an unnamed or repeated column. */
  private names: (string | undefined)[] = [];

  constructor(private readonly limits: CsvLimits) {}

  get failed(): boolean {
    return this.table.error !== undefined;
  }

  /** A fatal problem: the first one is kept, and reading stops. */
  fail(line: number, problem: CsvFatal): void {
    this.table.error ??= { line, problem };
  }

  record(values: string[], line: number, found: number): void {
    const table = this.table;
    if (found & NOT_UTF8) table.notUtf8.push(line);
    if (found & CONTROL) {
      table.controlStripped.push(line);
      for (let i = 0; i < values.length; i++) values[i] = values[i].replace(CONTROL_CHARACTERS, '');
    }
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
    if (values.length > this.limits.maxColumns) {
      if (!this.header) this.fail(line, { kind: 'header-too-wide', columns: values.length, max: this.limits.maxColumns });
      else {
        table.rows++;
        table.tooWide.push(line);
      }
      return;
    }
    if (!this.header) {
      this.setHeader(values);
      return;
    }
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

  /** A record over the size limit: skipped (the header cannot be: then nothing can be read). */
  oversized(line: number): void {
    if (!this.header) this.fail(line, { kind: 'header-too-long', max: this.limits.maxRecordBytes });
    else {
      this.table.rows++;
      this.table.oversized.push(line);
    }
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


/** "1 MB", "64 KB", "100 bytes": a limit as a message states it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes.toLocaleString('en')} bytes`;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** indexOf found nothing: past any offset. */
const NONE = Number.POSITIVE_INFINITY;

type RecordDelimiter = '' | '\n' | '\r\n' | '\r';


/**
 * Takes the decoded text chunk by chunk. Looks at each chunk once for record ends; holds only the
 * unfinished record (up to the size limit) between chunks.
 */
class CsvReader {
  readonly builder: TableBuilder;
  private delimiter = '';
  private delimiterCode = 0;
  /** Text before the header line's end was seen (the separator is not known yet), from offset `headAt`. */
  private head: string[] = [];
  private headBytes = 0;
  private headAt = 0;
  /** Offset, in the whole decoded text, of the next chunk's first character. */
  private offset = 0;
  private started = false;

  // The scanner: csv-parse's state at the end of the text seen so far.
  private recordDelimiter: RecordDelimiter = '';
  private quoting = false;
  /** The last character seen was a quote inside a quoted field: its meaning depends on the next one. */
  private quoteAtEnd = false;
  /** The last character seen was a CR before the record delimiter is known. */
  private crAtEnd = false;
  private lastChar = -1;

  // The record being read: the parts of it in earlier chunks, and what the scanner saw in it.
  private parts: string[] = [];
  private partsBytes = 0;
  private partsChars = 0;
  private quoted = false;
  /** Line feeds outside quotes that do not end the record (values of a CR LF or CR file). */
  private innerLineFeeds = 0;
  /** Over the size limit: its characters are looked at, not kept. */
  private skipping = false;
  private skippedLineFeeds = 0;
  /** Row number (line) where the current record starts. */
  private line = 1;

  // Records with quotes, waiting for one csv-parse call, with their end offsets.
  private batch: string[] = [];
  private batchEnds: number[] = [];

  // Offsets of invalid bytes and control characters not yet assigned to a row.
  private readonly notUtf8 = new OffsetQueue();
  private readonly control = new OffsetQueue();

  constructor(
    private readonly limits: CsvLimits,
    private readonly counters: CsvCounters,
  ) {
    this.builder = new TableBuilder(limits);
  }

  get table(): CsvTable {
    return this.builder.table;
  }

  push(decoded: DecodedText, final: boolean): void {
    if (this.builder.failed) return;
    let text = decoded.text;
    let at = this.offset;
    this.offset += text.length;
    this.notUtf8.add(decoded.invalid);
    this.control.add(controlLineOffsets(text, at));
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
        at++;
      }
    }
    if (!this.delimiter) {
      // The header line decides the separator: wait for its end (but not beyond the size limit).
      if (this.head.length === 0) this.headAt = at;
      const end = Math.min(this.find(text, '\n', 0), this.find(text, '\r', 0));
      if (end === NONE && !final) {
        this.head.push(text);
        this.headBytes += Buffer.byteLength(text);
        if (this.headBytes > this.limits.maxRecordBytes) this.builder.oversized(1);
        return;
      }
      if (this.head.length > 0) {
        this.counters.copied += this.head.reduce((sum, part) => sum + part.length, 0) + text.length;
        text = this.head.join('') + text;
        this.head = [];
        at = this.headAt;
      }
      const lineFeed = text.indexOf('\n');
      const carriageReturn = text.indexOf('\r');
      const headerEnd = Math.min(lineFeed === -1 ? text.length : lineFeed, carriageReturn === -1 ? text.length : carriageReturn);
      this.delimiter = detectDelimiter(text.slice(0, headerEnd));
      this.delimiterCode = this.delimiter.charCodeAt(0);
      this.table.delimiter = this.delimiter as CsvTable['delimiter'];
    }
    this.scan(text, at, final);
  }

  /** Finds the record ends in `text` (whose first character is at offset `base` of the whole text). */
  private scan(t: string, base: number, final: boolean): void {
    let pos = 0;
    /** Where the current record's part in `t` begins. */
    let start = 0;
    if (this.crAtEnd) {
      this.crAtEnd = false;
      if (t.charCodeAt(0) === LF) {
        this.recordDelimiter = '\r\n';
        this.endRecord(t, 0, 1, base, 2);
        start = pos = 1;
      } else if (t.length > 0 || final) {
        this.recordDelimiter = '\r';
        this.endRecord(t, 0, 0, base, 1);
      } else {
        this.crAtEnd = true;
      }
    } else if (this.quoteAtEnd && (t.length > 0 || final)) {
      this.quoteAtEnd = false;
      if (t.charCodeAt(0) === QUOTE) pos = 1;
      else this.quoting = false;
    }
    let quote = -1;
    let lineFeed = -1;
    let carriageReturn = -1;
    while (pos < t.length && !this.builder.failed) {
      if (quote < pos) quote = this.find(t, '"', pos);
      if (this.quoting) {
        if (quote === NONE) {
          pos = t.length;
          break;
        }
        if (quote + 1 >= t.length) {
          // `"` then the chunk ends: an escaped quote or the closing one, the next chunk tells.
          if (final) this.quoting = false;
          else this.quoteAtEnd = true;
          pos = t.length;
          break;
        }
        if (t.charCodeAt(quote + 1) === QUOTE) pos = quote + 2;
        else {
          this.quoting = false;
          pos = quote + 1;
        }
        continue;
      }
      if (lineFeed < pos) lineFeed = this.find(t, '\n', pos);
      const lookForCr = this.recordDelimiter === '' || this.recordDelimiter === '\r';
      if (lookForCr && carriageReturn < pos) carriageReturn = this.find(t, '\r', pos);
      const cr = lookForCr ? carriageReturn : NONE;
      const next = Math.min(quote, lineFeed, cr);
      if (next === NONE) {
        pos = t.length;
        break;
      }
      if (next === quote) {
        this.quoted = true;
        // A quote opens a quoted field only at the field's start; elsewhere it is a character.
        const fieldStart = quote === start && this.parts.length === 0 && !this.skipping ? true : this.charBefore(t, quote) === this.delimiterCode;
        if (fieldStart) this.quoting = true;
        pos = quote + 1;
        continue;
      }
      if (next === cr) {
        if (this.recordDelimiter === '') {
          if (cr + 1 >= t.length && !final) {
            this.crAtEnd = true;
            pos = t.length;
            break;
          }
          this.recordDelimiter = t.charCodeAt(cr + 1) === LF ? '\r\n' : '\r';
        }
        const end = cr + this.recordDelimiter.length;
        this.endRecord(t, start, end, base, this.recordDelimiter.length);
        start = pos = end;
        continue;
      }
      if (this.recordDelimiter === '') this.recordDelimiter = '\n';
      if (this.recordDelimiter === '\n' || (this.recordDelimiter === '\r\n' && this.charBefore(t, lineFeed) === CR)) {
        this.endRecord(t, start, lineFeed + 1, base, this.recordDelimiter.length);
        start = pos = lineFeed + 1;
        continue;
      }
      // A line feed in a value: the records end in CR LF or CR.
      this.innerLineFeeds++;
      pos = lineFeed + 1;
    }
    if (this.builder.failed) return;
    if (t.length > 0) this.lastChar = t.charCodeAt(t.length - 1);
    if (!final) {
      this.keep(t, start);
      this.flush();
      return;
    }
    if (this.quoting) {
      this.flush();
      this.builder.fail(this.line, { kind: 'unclosed-quote' });
      return;
    }
    if (start < t.length || this.parts.length > 0 || this.skipping) this.endRecord(t, start, t.length, base, 0);
    this.flush();
  }

  private charBefore(t: string, at: number): number {
    return at > 0 ? t.charCodeAt(at - 1) : this.lastChar;
  }

  /** indexOf, counted; NONE when absent. */
  private find(t: string, char: string, from: number): number {
    const at = t.indexOf(char, from);
    this.counters.scanned += (at === -1 ? t.length : at + 1) - from;
    return at === -1 ? NONE : at;
  }

  private countLineFeeds(t: string, from: number, to: number): number {
    let count = 0;
    for (let at = t.indexOf('\n', from); at !== -1 && at < to; at = t.indexOf('\n', at + 1)) count++;
    this.counters.scanned += to - from;
    return count;
  }

  /** The unfinished record's part in this chunk, kept for the next one (or only counted, when too long). */
  private keep(t: string, from: number): void {
    if (from >= t.length) return;
    if (this.skipping) {
      this.skippedLineFeeds += this.countLineFeeds(t, from, t.length);
      return;
    }
    const part = from === 0 ? t : t.slice(from);
    this.parts.push(part);
    this.partsChars += part.length;
    this.partsBytes += Buffer.byteLength(part);
    this.counters.held = Math.max(this.counters.held, this.partsChars);
    if (this.partsBytes > this.limits.maxRecordBytes) {
      this.skipping = true;
      for (const kept of this.parts) this.skippedLineFeeds += this.countLineFeeds(kept, 0, kept.length);
      this.parts = [];
      this.partsBytes = this.partsChars = 0;
    }
  }

  /** The record that ends at `t[to]` (its record delimiter, `delimiterLength` characters, included). */
  private endRecord(t: string, from: number, to: number, base: number, delimiterLength: number): void {
    const end = base + to;
    if (!this.skipping && this.parts.length === 0 && (to - from) * 3 <= this.limits.maxRecordBytes) {
      this.take(t, from, to, end, delimiterLength);
      return;
    }
    if (!this.skipping && this.partsBytes + Buffer.byteLength(from === 0 && to === t.length ? t : t.slice(from, to)) <= this.limits.maxRecordBytes) {
      if (this.parts.length === 0) {
        this.take(t, from, to, end, delimiterLength);
        return;
      }
      this.counters.copied += this.partsChars + (to - from);
      const whole = this.parts.join('') + t.slice(from, to);
      this.parts = [];
      this.partsBytes = this.partsChars = 0;
      this.take(whole, 0, whole.length, end, delimiterLength);
      return;
    }
    // Over the limit: the row is reported and skipped; its line feeds still count for the rows after it.
    this.flush();
    let lineFeeds = this.skippedLineFeeds + this.countLineFeeds(t, from, to);
    for (const kept of this.parts) lineFeeds += this.countLineFeeds(kept, 0, kept.length);
    this.builder.oversized(this.line);
    this.notUtf8.before(end);
    this.control.before(end);
    this.line += this.recordDelimiter.includes('\n') ? lineFeeds : lineFeeds + 1;
    this.parts = [];
    this.partsBytes = this.partsChars = 0;
    this.skipping = false;
    this.skippedLineFeeds = 0;
    this.quoted = false;
    this.innerLineFeeds = 0;
  }

  /** A whole record, `text[from, to)`: split by hand when it has no quote, else on to csv-parse. */
  private take(text: string, from: number, to: number, end: number, delimiterLength: number): void {
    if (this.quoted || this.batch.length > 0) {
      this.batch.push(from === 0 && to === text.length ? text : text.slice(from, to));
      this.batchEnds.push(end);
    } else {
      const values = text.slice(from, to - delimiterLength).split(this.delimiter);
      this.builder.record(values, this.line, this.found(end));
      this.line += 1 + this.innerLineFeeds;
    }
    this.quoted = false;
    this.innerLineFeeds = 0;
  }

  /** What was found in the bytes of the record ending at `end`. */
  private found(end: number): number {
    return (this.notUtf8.before(end) ? NOT_UTF8 : 0) | (this.control.before(end) ? CONTROL : 0);
  }

  /** csv-parse reads the waiting records (whole ones: it never holds state between calls). */
  private flush(): void {
    if (this.batch.length === 0) return;
    const text = this.batch.join('');
    const ends = this.batchEnds;
    this.counters.copied += text.length;
    this.batch = [];
    this.batchEnds = [];
    let records: string[][];
    try {
      records = parse(text, {
        delimiter: this.delimiter,
        record_delimiter: this.recordDelimiter || undefined,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: false,
        bom: false,
        max_record_size: this.limits.maxRecordBytes,
      }) as string[][];
    } catch (error) {
      this.builder.fail(this.line, { kind: 'parser', text: (error instanceof Error ? error.message : String(error)).replace(/\s+at line \d+.*$/s, '') });
      return;
    }
    for (let i = 0; i < records.length; i++) {
      const values = records[i];
      this.builder.record(values, this.line, this.found(ends[Math.min(i, ends.length - 1)]));
      // A record spans one line plus the line breaks inside its values.
      this.line++;
      for (const value of values) {
        for (let at = value.indexOf('\n'); at !== -1; at = value.indexOf('\n', at + 1)) this.line++;
      }
    }
  }
}

/** Sorted offsets, taken from the front as the rows they are in are read. */
class OffsetQueue {
  private offsets: number[] = [];
  private next = 0;

  add(offsets: number[]): void {
    if (offsets.length === 0) return;
    if (this.next > 4096 && this.next * 2 > this.offsets.length) {
      this.offsets = this.offsets.slice(this.next);
      this.next = 0;
    }
    for (const offset of offsets) this.offsets.push(offset);
  }

  /** Takes the offsets before `end`: true when there were any. */
  before(end: number): boolean {
    const start = this.next;
    while (this.next < this.offsets.length && this.offsets[this.next] < end) this.next++;
    return this.next > start;
  }
}

/**
 * Reads a CSV file. Rejects only when the file cannot be read; a malformed CSV gives `table.error`
 * (fatal) or the rows it skipped.
 */
export async function readCsvFile(file: string, limits: CsvLimits = CSV_LIMITS, counters?: CsvCounters): Promise<CsvTable> {
  // 64 KB reads: 1 MB buffers stay in the C allocator's arena once freed (glibc raises its mmap
  // threshold), which cost a 100,000-row send about 8 MB of peak memory (`npm run bench`).
  const stream = createReadStream(file, { highWaterMark: 1 << 16 });
  try {
    return await readCsvChunks(stream as AsyncIterable<Buffer>, limits, counters);
  } finally {
    stream.destroy();
  }
}

/** Reads CSV bytes, in whatever chunks they come. */
export async function readCsvChunks(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, limits: CsvLimits = CSV_LIMITS, counters: CsvCounters = { scanned: 0, copied: 0, held: 0 }): Promise<CsvTable> {
  const reader = new CsvReader(limits, counters);
  const decoder = new Utf8Stream();
  let first = true;
  for await (const chunk of chunks) {
    if (first && chunk.length > 0) {
      first = false;
      if (isUtf16(chunk)) {
        reader.builder.fail(1, { kind: 'utf16' });
        return reader.table;
      }
    }
    reader.push(decoder.write(chunk), false);
    if (reader.builder.failed) return reader.table;
  }
  reader.push(decoder.end(), true);
  return reader.table;
}
