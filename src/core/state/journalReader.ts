// Reading a journal: stream its lines, and keep a fold per journal that is brought up to date by
// folding only the bytes appended since the last read (status reads of a 100k journal stay cheap).
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { JOURNAL_FILE } from './paths';
import { parseEventLine, type JournalEvent } from './journalEvents';
import { JournalFold } from './journalFold';

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Calls `onEvent` for each complete line from byte `from` to the end of the file; returns the offset
 * after the last complete line and how many lines did not parse. A trailing line without its newline
 * counts when it is a whole event (a crash lost only the newline): a proper prefix of a one-line JSON
 * object never parses, so it cannot be a line still being written. Otherwise — torn, or still being
 * written — it is left for the next read. Either way the fold agrees with what it will be once a
 * writer has ended that line (JournalWriter.open), so Start never judges one state and sends another.
 */
export async function readJournalFrom(
  file: string,
  from: number,
  onEvent: (event: JournalEvent) => void,
): Promise<{ offset: number; ignored: number; ino: number } | undefined> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const { ino } = await handle.stat();
    let offset = from;
    let ignored = 0;
    let carry: Buffer = Buffer.alloc(0);
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, offset + carry.length);
      if (bytesRead === 0) break;
      const data = carry.length ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(NEWLINE, start); nl !== -1; nl = data.indexOf(NEWLINE, start)) {
        if (nl > start) {
          const event = parseEventLine(data.toString('utf8', start, nl));
          if (event) onEvent(event);
          else ignored++;
        }
        start = nl + 1;
      }
      offset += start;
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length > 0) {
      const event = parseEventLine(carry.toString('utf8'));
      if (event) {
        onEvent(event);
        offset += carry.length;
      }
    }
    return { offset, ignored, ino };
  } finally {
    await handle.close();
  }
}

/** Streams every event of a journal (nothing when there is none). */
export async function forEachJournalEvent(stateDir: string, onEvent: (event: JournalEvent) => void): Promise<void> {
  await readJournalFrom(path.join(stateDir, JOURNAL_FILE), 0, onEvent);
}

/** Folds a whole journal afresh (the engine uses its own fold, kept current as it writes). */
export async function foldJournal(stateDir: string): Promise<JournalFold> {
  const fold = new JournalFold();
  const result = await readJournalFrom(path.join(stateDir, JOURNAL_FILE), 0, (event) => fold.apply(event));
  fold.ignoredLines = result?.ignored ?? 0;
  return fold;
}

interface CachedFold {
  ino: number;
  offset: number;
  fold: JournalFold;
  /** Readers wait for one refresh at a time per journal. */
  refreshing?: Promise<JournalFold>;
}

const cache = new Map<string, CachedFold>();

/**
 * The fold of a journal, current to its last complete line: cached per journal and advanced over
 * the appended bytes only. The result is shared: treat it as read-only.
 */
export async function readJournalFold(stateDir: string): Promise<JournalFold> {
  const file = path.resolve(stateDir, JOURNAL_FILE);
  const cached = cache.get(file);
  if (cached?.refreshing) {
    // A refresh that began before this call may have read the file before an append this caller
    // knows of (its own action's): wait for it, then refresh from where it ended.
    await cached.refreshing.catch(() => undefined);
    return readJournalFold(stateDir);
  }
  const refresh = refreshFold(file, cached);
  if (cached) cached.refreshing = refresh;
  try {
    return await refresh;
  } finally {
    if (cached) cached.refreshing = undefined;
  }
}

async function refreshFold(file: string, cached: CachedFold | undefined): Promise<JournalFold> {
  // Synchronous: a stat is microseconds, and most mailings being edited have no journal at all, which
  // the async call would report as a costly rejection on every validation.
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    cache.delete(file);
    return new JournalFold();
  }
  let entry = cached;
  if (!entry || entry.ino !== stat.ino || stat.size < entry.offset) {
    entry = { ino: stat.ino, offset: 0, fold: new JournalFold() };
  }
  if (stat.size > entry.offset) {
    const fold = entry.fold;
    const result = await readJournalFrom(file, entry.offset, (event) => fold.apply(event));
    if (!result) {
      cache.delete(file);
      return new JournalFold();
    }
    if (result.ino !== entry.ino) {
      // Replaced between stat and open: fold the new file from the start next time.
      cache.delete(file);
      return foldJournal(path.dirname(file));
    }
    fold.ignoredLines += result.ignored;
    entry.offset = result.offset;
  }
  cache.set(file, entry);
  return entry.fold;
}

/** Forgets cached folds (tests; or a journal removed on purpose). */
export function clearJournalCache(): void {
  cache.clear();
}
