// Reading a journal: stream its lines, and keep a fold per journal that is brought up to date by
// folding only the bytes appended since the last read. A fold starts from the journal's checkpoint
// (state/journalCheckpoint.ts) when it has one that matches, so a status read of a completed 1M
// mailing costs what a 1k one does.
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { JOURNAL_FILE } from './paths';
import { parseEventLine, type JournalEvent } from './journalEvents';
import { JournalFold } from './journalFold';
import { readCheckpoint, writeCheckpoint, type JournalPlace } from './journalCheckpoint';

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

/**
 * Folds a whole journal afresh (the engine uses its own fold, kept current as it writes): from its
 * checkpoint when that still describes it, then the lines after it.
 */
export async function foldJournal(stateDir: string): Promise<JournalFold> {
  return (await loadFold(path.join(stateDir, JOURNAL_FILE)))?.fold ?? new JournalFold();
}

/** Bytes folded past the last checkpoint beyond which a reader writes a new one (~40k events). */
const CHECKPOINT_AFTER_BYTES = 4 << 20;

interface LoadedFold extends JournalPlace {
  fold: JournalFold;
  /** Where the journal's checkpoint ends (0: none). */
  checkpointed: number;
}

/** The fold of a journal (undefined: there is none): its checkpoint plus its tail, or every line. */
async function loadFold(file: string): Promise<LoadedFold | undefined> {
  const stateDir = path.dirname(file);
  const checkpoint = await readCheckpoint(stateDir);
  let loaded = await foldFrom(file, checkpoint?.fold ?? new JournalFold(), checkpoint?.place.offset ?? 0);
  // Replaced between the checkpoint's check and the read: fold the file now there from its start.
  if (loaded && checkpoint && loaded.ino !== checkpoint.place.ino) loaded = await foldFrom(file, new JournalFold(), 0);
  return loaded && keepCheckpointed(stateDir, loaded);
}

/** `fold` (the fold of the journal's first `from` bytes) brought to the journal's end. */
async function foldFrom(file: string, fold: JournalFold, from: number): Promise<LoadedFold | undefined> {
  const result = await readJournalFrom(file, from, (event) => fold.apply(event));
  if (!result) return undefined;
  fold.ignoredLines += result.ignored;
  return { fold, ino: result.ino, offset: result.offset, checkpointed: from };
}

/**
 * Writes a checkpoint when a reader folded much more than the last one covers (a journal written
 * before checkpoints existed, or by a run that was killed): the next reader folds only the rest.
 * Best effort: a read-only state folder, or a full disk, costs the next reader the fold, nothing else.
 */
async function keepCheckpointed(stateDir: string, loaded: LoadedFold): Promise<LoadedFold> {
  if (loaded.offset - loaded.checkpointed >= CHECKPOINT_AFTER_BYTES) {
    if (await writeCheckpoint(stateDir, loaded.fold, loaded).then(() => true, () => false)) loaded.checkpointed = loaded.offset;
  }
  return loaded;
}

interface CachedFold extends LoadedFold {
  /** Readers wait for one refresh at a time per journal. */
  refreshing?: Promise<unknown>;
}

const cache = new Map<string, CachedFold>();

/**
 * The fold of a journal, current to its last complete line: cached per journal and advanced over
 * the appended bytes only. The result is shared: treat it as read-only.
 */
export async function readJournalFold(stateDir: string): Promise<JournalFold> {
  return (await readCachedFold(stateDir))?.fold ?? new JournalFold();
}

async function readCachedFold(stateDir: string): Promise<CachedFold | undefined> {
  const file = path.resolve(stateDir, JOURNAL_FILE);
  const cached = cache.get(file);
  if (cached?.refreshing) {
    // A refresh that began before this call may have read the file before an append this caller
    // knows of (its own action's): wait for it, then refresh from where it ended.
    await cached.refreshing.catch(() => undefined);
    return readCachedFold(stateDir);
  }
  const refresh = refreshFold(file, cached);
  if (cached) cached.refreshing = refresh;
  try {
    return await refresh;
  } finally {
    if (cached) cached.refreshing = undefined;
  }
}

async function refreshFold(file: string, cached: CachedFold | undefined): Promise<CachedFold | undefined> {
  // Synchronous: a stat is microseconds, and most mailings being edited have no journal at all, which
  // the async call would report as a costly rejection on every validation.
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) {
    cache.delete(file);
    return undefined;
  }
  let entry: CachedFold | undefined = cached;
  if (!entry || entry.ino !== stat.ino || stat.size < entry.offset) {
    entry = await loadFold(file);
    if (!entry) {
      cache.delete(file);
      return undefined;
    }
  } else if (stat.size > entry.offset) {
    const fold = entry.fold;
    const result = await readJournalFrom(file, entry.offset, (event) => fold.apply(event));
    if (!result) {
      cache.delete(file);
      return undefined;
    }
    if (result.ino !== entry.ino) {
      // Replaced between stat and open: fold the new file from the start next time.
      cache.delete(file);
      return loadFold(file);
    }
    fold.ignoredLines += result.ignored;
    entry.offset = result.offset;
    entry = await keepCheckpointed(path.dirname(file), entry);
  }
  cache.set(file, entry);
  return entry;
}

/**
 * Writes the checkpoint of a journal as it is now (the engine, every few MB it journals and when a
 * run ends; compaction): its readers then fold only what comes after. Nothing when there is no
 * journal, or the checkpoint already ends where the journal does.
 */
export async function checkpointJournal(stateDir: string): Promise<void> {
  const entry = await readCachedFold(stateDir);
  if (!entry || entry.checkpointed === entry.offset) return;
  await writeCheckpoint(stateDir, entry.fold, entry);
  entry.checkpointed = entry.offset;
}

/** Forgets cached folds (tests; or a journal removed on purpose). */
export function clearJournalCache(): void {
  cache.clear();
}
