// The files a mailing references (content, attachments, CSV lists), read once and kept while they do
// not change: an entry is valid for the (mtimeMs, size, inode) it was read at. One validation stats
// each file once (FileAccess); re-validating after an edit of the YAML re-reads nothing that did not
// change, so a 100,000-row list costs its stat. The extension keeps one FileCache per workspace and the
// CLI one per run; pass the same instance to every buildConfirmModel call.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, statSync, type Stats } from 'node:fs';
import { readCsvFile, type CsvTable } from './csv';
import { decodeUtf8, type DecodedText } from './encoding';

export interface FileStamp {
  mtimeMs: number;
  size: number;
  ino: number;
}

/** Why a referenced file could not be used: it does not exist, cannot be read, or lies outside the workspace (load/pathPolicy.ts). */
export type FileProblem =
  | { kind: 'missing' }
  | { kind: 'unreadable'; reason: 'folder' | 'permission' | 'other'; detail?: string }
  /** Outside the workspace (load/pathPolicy.ts): nothing is read from it. */
  | { kind: 'outside'; workspace: string; leadsTo?: string };

export type FileResult<T> = { ok: true; value: T; stamp: FileStamp } | { ok: false; problem: FileProblem };

interface Entry {
  stamp: FileStamp;
  text?: Promise<DecodedText>;
  csv?: Promise<CsvTable>;
  sha256?: Promise<string>;
}

/** Counts of real reads, for tests and benchmarks (a cached answer counts nothing). */
export interface FileCacheCounters {
  stats: number;
  textReads: number;
  csvReads: number;
  hashReads: number;
  /** YAML parses of mailing texts (an unchanged text is parsed once). */
  parses: number;
  /** Loads of a mailing reused because neither its text nor any file it refers to changed. */
  reusedLoads: number;
  /** Content compilations run (MJML, Markdown, CSS inlining): an unchanged content version compiles once. */
  compilations: number;
}

export class FileCache {
  readonly counters: FileCacheCounters = { stats: 0, textReads: 0, csvReads: 0, hashReads: 0, parses: 0, reusedLoads: 0, compilations: 0 };
  private readonly entries = new Map<string, Entry>();
  private readonly parses = new Map<string, { text: string; value: unknown }>();
  private readonly loads = new Map<string, { text: string; files: string[]; stamps: string[]; value: unknown }>();
  private readonly derivations = new Map<string, { inputs: readonly unknown[]; value: Promise<unknown> }>();

  /**
   * A view for one validation: each file is stat'ed at most once through it. `edited`: the unsaved
   * text of files open in an editor (absolute path to text), read instead of the file's own.
   */
  access(edited?: ReadonlyMap<string, string>): FileAccess {
    return new FileAccess(this, edited);
  }

  /** Forgets a file (e.g. when the editor reports it deleted); the next access reads it again. */
  delete(file: string): void {
    this.entries.delete(file);
    this.parses.delete(file);
    this.loads.delete(file);
    this.derivations.delete(file);
  }

  clear(): void {
    this.entries.clear();
    this.parses.clear();
    this.loads.clear();
    this.derivations.clear();
  }

  /**
   * What was made from a file's inputs (the HTML compiled from an .mjml file and its includes), kept
   * for the latest inputs only: equal inputs (texts compared by value; a text the cache kept by
   * stamp is the very same string), the same result. A failed making is not kept. Counted as a
   * compilation.
   */
  derived<T>(file: string, inputs: readonly unknown[], make: () => Promise<T>): Promise<T> {
    return this.remembered(file, inputs, () => {
      this.counters.compilations++;
      return make();
    });
  }

  /**
   * As `derived`, for what is no compilation (a mailing's target list, assembled from its tables;
   * key: the mailing's file and what was made): the last inputs' result, or `make()`'s, which
   * replaces it, so what the files no longer hold is let go.
   */
  remembered<T>(key: string, inputs: readonly unknown[], make: () => Promise<T>): Promise<T> {
    const known = this.derivations.get(key);
    if (known && known.inputs.length === inputs.length && known.inputs.every((input, i) => input === inputs[i])) return known.value as Promise<T>;
    const value = make();
    const entry = { inputs, value };
    this.derivations.set(key, entry);
    value.catch(() => {
      if (this.derivations.get(key) === entry) this.derivations.delete(key);
    });
    return value;
  }

  /**
   * What was loaded from a mailing file's latest text, while that text and every file it refers to
   * (by stamp, through `files`) are unchanged; otherwise `load()` runs and its result is kept, unless
   * `keep` says not to (a file that could not be read is tried again next time).
   */
  async loaded<T>(file: string, text: string, files: FileAccess, load: () => Promise<T>, referenced: (value: T) => string[], keep: (value: T) => boolean): Promise<T> {
    const known = this.loads.get(file);
    if (known && known.text === text) {
      const stamps = await files.stampsOf(known.files);
      if (stamps.every((stamp, i) => stamp === known.stamps[i])) {
        this.counters.reusedLoads++;
        return known.value as T;
      }
    }
    const value = await load();
    if (keep(value)) {
      const names = referenced(value);
      this.loads.set(file, { text, files: names, stamps: await files.stampsOf(names), value });
    } else {
      this.loads.delete(file);
    }
    return value;
  }

  /**
   * The parse of a mailing file's text, kept for its latest text only (as yaml-language-server keeps
   * one parsed document per open document version): validating the same text again, because a CSV
   * or the send state changed, does not parse it again. The value is shared: treat it as read-only.
   */
  parsed<T>(file: string, text: string, parse: () => T): T {
    const known = this.parses.get(file);
    if (known && known.text === text) return known.value as T;
    this.counters.parses++;
    const value = parse();
    this.parses.set(file, { text, value });
    return value;
  }

  /**
   * @internal used by FileAccess. Synchronous on purpose: a stat is a metadata lookup of a few
   * microseconds, while the thread-pool round trip of the async call costs ten times that, on every
   * keystroke's validation of every referenced file.
   */
  async stat(file: string): Promise<FileResult<Stats>> {
    this.counters.stats++;
    try {
      const stats = statSync(file, { throwIfNoEntry: false });
      if (!stats) return { ok: false, problem: { kind: 'missing' } };
      if (stats.isDirectory()) return { ok: false, problem: { kind: 'unreadable', reason: 'folder' } };
      return { ok: true, value: stats, stamp: { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino } };
    } catch (error) {
      return { ok: false, problem: problemOf(error) };
    }
  }

  /** @internal the cache entry for a file as it is now (`stamp`), emptied when the file changed. */
  entry(file: string, stamp: FileStamp): Entry {
    const known = this.entries.get(file);
    if (known && known.stamp.mtimeMs === stamp.mtimeMs && known.stamp.size === stamp.size && known.stamp.ino === stamp.ino) return known;
    const fresh: Entry = { stamp };
    this.entries.set(file, fresh);
    return fresh;
  }

  /** @internal */
  load<K extends 'text' | 'csv' | 'sha256'>(file: string, stamp: FileStamp, kind: K, read: () => NonNullable<Entry[K]>): NonNullable<Entry[K]> {
    const entry = this.entry(file, stamp);
    let pending = entry[kind];
    if (!pending) {
      pending = read();
      entry[kind] = pending;
      // A failed read is not remembered: the next validation tries again.
      pending.catch(() => {
        if (entry[kind] === pending) entry[kind] = undefined;
      });
    }
    return pending as NonNullable<Entry[K]>;
  }
}

/** The files of one validation: every file stat'ed once, contents from the shared FileCache. */
export class FileAccess {
  private readonly stats = new Map<string, Promise<FileResult<Stats>>>();

  constructor(
    readonly cache: FileCache,
    private readonly edited?: ReadonlyMap<string, string>,
  ) {}

  stat(file: string): Promise<FileResult<Stats>> {
    let pending = this.stats.get(file);
    if (!pending) {
      pending = this.cache.stat(file);
      this.stats.set(file, pending);
    }
    return pending;
  }

  /** Each file's stamp as text ("mtime:size:inode", or its problem): equal stamps, unchanged files. */
  async stampsOf(files: readonly string[]): Promise<string[]> {
    const stats = await Promise.all(files.map((file) => this.stat(file)));
    // An edited file's stamp is its text: what was loaded from one edit is not reused for another, nor for the saved file.
    return stats.map((stat, i) => this.edited?.get(files[i]) ?? (stat.ok ? `${stat.stamp.mtimeMs}:${stat.stamp.size}:${stat.stamp.ino}` : stat.problem.kind));
  }

  /**
   * The file's text (UTF-8, without a byte-order mark), with where it holds bytes that are not UTF-8
   * (read as U+FFFD): the checks report them (`file-encoding`), nothing is changed silently.
   */
  async text(file: string): Promise<FileResult<DecodedText>> {
    const edited = this.edited?.get(file);
    if (edited !== undefined) {
      // The editor's text is the file as the user sees it; it is never kept in the cache.
      const stat = await this.stat(file);
      return { ok: true, value: { text: edited, invalid: [] }, stamp: stat.ok ? stat.stamp : { mtimeMs: 0, size: edited.length, ino: 0 } };
    }
    return this.read(file, 'text', async () => {
      this.cache.counters.textReads++;
      const decoded = decodeUtf8(await fs.readFile(file));
      if (decoded.text.charCodeAt(0) !== 0xfeff) return decoded;
      return { ...decoded, text: decoded.text.slice(1), invalid: decoded.invalid.map((offset) => offset - 1) };
    });
  }

  csv(file: string): Promise<FileResult<CsvTable>> {
    return this.read(file, 'csv', () => {
      this.cache.counters.csvReads++;
      return readCsvFile(file);
    });
  }

  /** sha256 (hex) of the file's bytes, streamed. */
  sha256(file: string): Promise<FileResult<string>> {
    return this.read(file, 'sha256', () => {
      this.cache.counters.hashReads++;
      return new Promise<string>((resolve, reject) => {
        const hash = createHash('sha256');
        createReadStream(file)
          .on('data', (chunk) => hash.update(chunk))
          .on('error', reject)
          .on('end', () => resolve(hash.digest('hex')));
      });
    });
  }

  private async read<K extends 'text' | 'csv' | 'sha256'>(file: string, kind: K, read: () => NonNullable<Entry[K]>): Promise<FileResult<Awaited<NonNullable<Entry[K]>>>> {
    const stat = await this.stat(file);
    if (!stat.ok) return stat;
    try {
      const value = (await this.cache.load(file, stat.stamp, kind, read)) as Awaited<NonNullable<Entry[K]>>;
      return { ok: true, value, stamp: stat.stamp };
    } catch (error) {
      return { ok: false, problem: problemOf(error) };
    }
  }
}

function problemOf(error: unknown): FileProblem {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'unreadable', reason: 'permission' };
  if (code === 'EISDIR') return { kind: 'unreadable', reason: 'folder' };
  return { kind: 'unreadable', reason: 'other', detail: error instanceof Error ? error.message : String(error) };
}
