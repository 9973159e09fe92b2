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
import { forEachArchivedEvent, readArchivedHead } from './journalArchive';

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
  const handle = await openJournal(file);
  if (!handle) return undefined;
  try {
    return await readLinesFrom(handle, from, onEvent);
  } finally {
    await handle.close();
  }
}

async function openJournal(file: string): Promise<import('node:fs/promises').FileHandle | undefined> {
  try {
    return await fs.open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readLinesFrom(handle: import('node:fs/promises').FileHandle, from: number, onEvent: (event: JournalEvent) => void): Promise<{ offset: number; ignored: number; ino: number }> {
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
}

/** The journal was compacted again while it was read (its archive replaced): read it again. */
class JournalReplacedError extends Error {}

/**
 * Every event of a journal from its first byte: those of its archive first when it is a compacted
 * one (state/journalArchive.ts), then its lines. `archived`: the archive was read.
 */
async function readWholeJournal(file: string, onEvent: (event: JournalEvent) => void): Promise<{ offset: number; ignored: number; ino: number; archived: boolean } | undefined> {
  const handle = await openJournal(file);
  if (!handle) return undefined;
  try {
    const head = await readArchivedHead(handle);
    let ignored = 0;
    if (head) {
      try {
        ignored = (await forEachArchivedEvent(path.dirname(file), head.event, onEvent)).ignored;
      } catch (error) {
        // A compaction after a resend replaces the archive once the new journal names the new one.
        if (statSync(file, { throwIfNoEntry: false })?.ino !== (await handle.stat()).ino) throw new JournalReplacedError();
        throw error;
      }
    }
    const result = await readLinesFrom(handle, 0, onEvent);
    return { ...result, ignored: result.ignored + ignored, archived: head !== undefined };
  } finally {
    await handle.close();
  }
}

/** Streams every event of a journal (nothing when there is none). */
export async function forEachJournalEvent(stateDir: string, onEvent: (event: JournalEvent) => void): Promise<void> {
  try {
    await readWholeJournal(path.join(stateDir, JOURNAL_FILE), onEvent);
  } catch (error) {
    if (error instanceof JournalReplacedError) throw new Error(`${path.join(stateDir, JOURNAL_FILE)} was compacted while it was read: read it again`);
    throw error;
  }
}

/**
 * Folds a whole journal afresh (the engine uses its own fold, kept current as it writes): from its
 * checkpoint when that still describes it, then the lines after it.
 */
export async function foldJournal(stateDir: string): Promise<JournalFold> {
  return (await loadFold(path.join(stateDir, JOURNAL_FILE)))?.fold ?? new JournalFold();
}

/** A fresh fold of a whole journal and where in the file it ends (undefined: there is no journal). */
export async function foldJournalAndPlace(stateDir: string): Promise<{ fold: JournalFold; place: JournalPlace } | undefined> {
  const loaded = await loadFold(path.join(stateDir, JOURNAL_FILE));
  return loaded && { fold: loaded.fold, place: { ino: loaded.ino, offset: loaded.offset } };
}

/** Bytes folded past the last checkpoint beyond which a reader writes a new one (~40k events). */
const CHECKPOINT_AFTER_BYTES = 4 << 20;

interface LoadedFold extends JournalPlace {
  fold: JournalFold;
  /** Where the journal's checkpoint ends (0: none; below 0: none, and the fold read an archive). */
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
  if (from === 0) return foldWhole(file, fold);
  const result = await readJournalFrom(file, from, (event) => fold.apply(event));
  if (!result) return undefined;
  fold.ignoredLines += result.ignored;
  return { fold, ino: result.ino, offset: result.offset, checkpointed: from };
}

/** The fold of a whole journal, its archive included; a fold that read an archive is checkpointed. */
async function foldWhole(file: string, fold: JournalFold): Promise<LoadedFold | undefined> {
  for (let round = 0; ; round++) {
    try {
      const result = await readWholeJournal(file, (event) => fold.apply(event));
      if (!result) return undefined;
      fold.ignoredLines += result.ignored;
      // After an archive, the next reader should not gunzip it again: below any checkpoint, so one is written.
      return { fold, ino: result.ino, offset: result.offset, checkpointed: result.archived ? -CHECKPOINT_AFTER_BYTES : 0 };
    } catch (error) {
      if (!(error instanceof JournalReplacedError) || round >= 3) throw error;
      fold = new JournalFold();
    }
  }
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
  } else if (entry.offset === 0 && stat.size > 0) {
    // A first line now: it may be a compacted journal's `archived` line, read with its archive.
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
