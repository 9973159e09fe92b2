// A CSV file that several processes add to at once and one at a time rewrites, losing nothing: the
// suppression list and the soft-bounce log (several VS Code windows, the CLI, a bounce poller).
//
// Adding appends whole lines with O_APPEND in one write(2) per chunk: the kernel puts each write at
// the end of the file, so two appenders never interleave or overwrite each other. Removing rewrites
// the file under an exclusive lease (state/exclusive.ts): the kept lines go to a temp file that is
// renamed over the original. An appender may have the old file open while that happens, so both
// sides check:
//   - the rewriter keeps the old file open and, after the rename, copies over every complete line
//     that was appended to it after it last read it;
//   - an appender, after its write, checks that the path still names the file it wrote to; if a
//     rename replaced it, it appends its lines again to the new file.
// Whichever of the two sees a late line carries it over, so none is lost; when both do, the line
// is there twice, which the readers tolerate (the same address listed twice is one address).
//
// The file stays a CSV that a person can open and edit: a header row, `,` separated, quoted where
// needed. A header a person rewrote (another column order, `;` separators, as a spreadsheet saves
// it) is respected when reading and when appending; a row with fewer fields than the header gets
// empty ones. Lines that do not parse (a quote torn by a crash, a stray edit) are skipped and
// reported by number; an unfinished last line is read once it has its end.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { detectDelimiter } from '../load/csv';
import { syncFolder } from '../state/atomicWrite';
import { withExclusive, type ExclusiveOptions } from '../state/exclusive';

export type CsvRecord = Record<string, string>;

export interface CsvLogContent {
  records: CsvRecord[];
  /** 1-based line numbers of lines that could not be read. */
  ignoredLines: number[];
}

export interface CsvLogOptions extends ExclusiveOptions {
  /** The folder of the lease that serialises rewrites. */
  lockDir: string;
  /** Who holds the lease while rewriting (shown to a process that waits). */
  owner?: string;
  /** fdatasync after every append (default true). */
  sync?: boolean;
}

interface Layout {
  delimiter: ',' | ';' | '\t';
  /** The file's columns in its order, lower-cased. */
  columns: string[];
  /** The header line as written, when the file has one. */
  header?: string;
}

/** Appends are written in chunks of whole lines of at most this many bytes, each one write(2). */
const CHUNK = 32 * 1024;

/** Splits one CSV line into fields; undefined when its quotes do not close (a torn line). */
export function parseCsvLine(line: string, delimiter: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"' && !wasQuoted && field.trim() === '') {
      quoted = true;
      wasQuoted = true;
      field = '';
    } else if (c === delimiter) {
      fields.push(wasQuoted ? field : field.trim());
      field = '';
      wasQuoted = false;
    } else field += c;
  }
  if (quoted) return undefined;
  fields.push(wasQuoted ? field : field.trim());
  return fields;
}

/** One field for a CSV line: quoted when it holds the separator, a quote, a line break or edge spaces. */
export function encodeCsvField(value: string, delimiter: string): string {
  if (value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim()) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

export class CsvLog {
  private cache?: { ino: number; size: number; mtimeMs: number; content: CsvLogContent };

  constructor(
    readonly file: string,
    /** The columns, in the order a new file gets them. */
    readonly columns: readonly string[],
    private readonly options: CsvLogOptions,
  ) {}

  private encode(record: CsvRecord, layout: Layout): string {
    const columns = layout.columns.length > 0 ? layout.columns : this.columns;
    return columns.map((column) => encodeCsvField(record[column] ?? '', layout.delimiter)).join(layout.delimiter) + '\n';
  }

  private layoutOf(firstLine: string | undefined): Layout {
    if (firstLine !== undefined) {
      const delimiter = detectDelimiter(firstLine);
      const names = parseCsvLine(firstLine, delimiter)?.map((name) => name.trim().toLowerCase());
      if (names && names.includes(this.columns[0])) return { delimiter, columns: names, header: firstLine };
    }
    return { delimiter: ',', columns: [...this.columns] };
  }

  /** Creates the file with its header unless it exists: linked into place whole, so no appender sees it headerless. */
  private async ensureFile(): Promise<void> {
    try {
      await fs.access(this.file);
      return;
    } catch {
      // Missing: create it below.
    }
    const dir = path.dirname(this.file);
    await fs.mkdir(dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}.new`;
    await fs.writeFile(tmp, this.columns.join(',') + '\n');
    try {
      await fs.link(tmp, this.file);
      await syncFolder(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  /** Appends records (see the header comment); resolves once they are in the file (and synced). */
  async append(records: CsvRecord[]): Promise<void> {
    if (records.length === 0) return;
    for (let attempt = 0; ; attempt++) {
      await this.ensureFile();
      const handle = await fs.open(this.file, 'a+');
      let writtenIno: number;
      try {
        const stat = await handle.stat();
        writtenIno = stat.ino;
        const head = Buffer.alloc(Math.min(stat.size, 4096));
        if (head.length > 0) await handle.read(head, 0, head.length, 0);
        const headText = head.toString('utf8');
        const newline = headText.indexOf('\n');
        const layout = this.layoutOf(newline >= 0 ? headText.slice(0, newline).replace(/\r$/, '') : undefined);
        let text = records.map((record) => this.encode(record, layout)).join('');
        if (stat.size > 0) {
          // A last line torn by a crash gets its end first, so it stays one ignored line.
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, stat.size - 1);
          if (last[0] !== 0x0a) text = '\n' + text;
        }
        for (const chunk of chunksOfLines(text)) {
          const bytes = Buffer.from(chunk, 'utf8');
          const { bytesWritten } = await handle.write(bytes);
          if (bytesWritten !== bytes.length) throw new Error(`short write to ${this.file} (${bytesWritten} of ${bytes.length} bytes)`);
        }
        if (this.options.sync ?? true) await handle.datasync();
      } finally {
        await handle.close();
      }
      const now = await fs.stat(this.file).catch(() => undefined);
      if (now?.ino === writtenIno) return;
      // A rewrite replaced the file while we wrote: our lines may be only in the old one.
      if (attempt >= 20) throw new Error(`${this.file} keeps being replaced while appending`);
    }
  }

  /** The records, read again only when the file changed (inode, size or mtime). */
  async read(): Promise<CsvLogContent> {
    let handle: import('node:fs/promises').FileHandle;
    try {
      handle = await fs.open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], ignoredLines: [] };
      throw error;
    }
    try {
      const stat = await handle.stat();
      const cached = this.cache;
      if (cached && cached.ino === stat.ino && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.content;
      const bytes = await handle.readFile();
      const content = this.parse(bytes.toString('utf8'));
      this.cache = { ino: stat.ino, size: bytes.length, mtimeMs: stat.mtimeMs, content };
      return content;
    } finally {
      await handle.close();
    }
  }

  private parse(text: string): CsvLogContent {
    const lines = text.split('\n');
    // An unfinished last line (no newline yet) is being written, or was torn: not read.
    lines.pop();
    const content: CsvLogContent = { records: [], ignoredLines: [] };
    if (lines.length === 0) return content;
    const first = lines[0].replace(/\r$/, '').replace(/^\uFEFF/, '');
    const layout = this.layoutOf(first);
    lines.forEach((raw, index) => {
      if (index === 0 && layout.header !== undefined) return;
      const line = raw.replace(/\r$/, '');
      if (!line.trim()) return;
      const record = this.recordOf(line, layout);
      if (record) content.records.push(record);
      else content.ignoredLines.push(index + 1);
    });
    return content;
  }

  private recordOf(line: string, layout: Layout): CsvRecord | undefined {
    const fields = parseCsvLine(line, layout.delimiter);
    if (!fields) return undefined;
    // The header written again (two processes that created the file at once, before link() made that impossible).
    if (layout.header !== undefined && fields.map((f) => f.toLowerCase()).join('\u0000') === layout.columns.join('\u0000')) return undefined;
    const record: CsvRecord = {};
    for (const column of this.columns) {
      const at = layout.columns.indexOf(column);
      record[column] = at >= 0 && at < fields.length ? fields[at] : '';
    }
    return record;
  }

  /**
   * Rewrites the file without the records `keep` rejects, under the lease; returns those removed.
   * Records appended while it runs are kept whatever `keep` says: they came after the decision.
   */
  async rewrite(keep: (record: CsvRecord) => boolean): Promise<CsvRecord[]> {
    return withExclusive(this.options.lockDir, this.options.owner ?? `pid ${process.pid}`, () => this.rewriteLocked(keep), this.options);
  }

  private async rewriteLocked(keep: (record: CsvRecord) => boolean): Promise<CsvRecord[]> {
    let old: import('node:fs/promises').FileHandle;
    try {
      old = await fs.open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const removed: CsvRecord[] = [];
    const tmp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      let offset = 0;
      let layout: Layout | undefined;
      let lineNumber = 0;
      /** The complete lines appended to the old file since the last call. */
      const readOn = async (): Promise<string[]> => {
        const { size } = await old.stat();
        if (size <= offset) return [];
        const bytes = Buffer.alloc(size - offset);
        const { bytesRead } = await old.read(bytes, 0, bytes.length, offset);
        const text = bytes.subarray(0, bytesRead).toString('utf8');
        const end = text.lastIndexOf('\n');
        if (end < 0) return [];
        offset += Buffer.byteLength(text.slice(0, end + 1), 'utf8');
        return text.slice(0, end + 1).split('\n').slice(0, -1);
      };
      const out = await fs.open(tmp, 'w');
      try {
        const kept: string[] = [];
        for (const line of await readOn()) {
          lineNumber++;
          const clean = line.replace(/\r$/, '');
          if (lineNumber === 1) {
            layout = this.layoutOf(clean.replace(/^\uFEFF/, ''));
            if (layout.header !== undefined) {
              kept.push(line + '\n');
              continue;
            }
          }
          const record = clean.trim() ? this.recordOf(clean, layout!) : undefined;
          if (record && !keep(record)) removed.push(record);
          else kept.push(line + '\n');
        }
        if (lineNumber === 0) kept.push(this.columns.join(',') + '\n');
        await out.write(kept.join(''));
        // Lines appended while we filtered: kept as they are.
        for (let more = await readOn(); more.length > 0; more = await readOn()) await out.write(more.map((line) => line + '\n').join(''));
        await out.sync();
      } finally {
        await out.close();
      }
      if (removed.length === 0) {
        await fs.rm(tmp, { force: true });
        return removed;
      }
      await fs.rename(tmp, this.file);
      await syncFolder(path.dirname(this.file));
      // Lines that reached the old file after our last look: carried over as an appender would.
      const late = await readOn();
      if (late.length > 0) {
        const handle = await fs.open(this.file, 'a');
        try {
          await handle.write(late.map((line) => line + '\n').join(''));
          if (this.options.sync ?? true) await handle.datasync();
        } finally {
          await handle.close();
        }
      }
      return removed;
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    } finally {
      await old.close();
    }
  }
}

function* chunksOfLines(text: string): Generator<string> {
  let start = 0;
  while (start < text.length) {
    if (text.length - start <= CHUNK) {
      yield text.slice(start);
      return;
    }
    let end = text.lastIndexOf('\n', start + CHUNK);
    if (end < start) end = text.indexOf('\n', start + CHUNK);
    if (end < 0) end = text.length - 1;
    yield text.slice(start, end + 1);
    start = end + 1;
  }
}
