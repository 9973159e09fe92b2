// Compaction keeps a completed mailing's journal small: a 1M mailing journals ~3M lines (~100 MB),
// which every reader without a checkpoint folds, and which Stop, Start, status and the bounce poller
// would otherwise carry for as long as the mailing is kept. Compacting moves every line into an
// archive (state/journalArchive.ts: gzip, ~10x smaller, named by its content) and replaces the
// journal by one `archived` line naming it; the checkpoint of the whole fold is written next, so
// status reads it and nothing else. The journal stays the record: the archive holds its lines as they
// were, so the per-recipient log (status --csv) and a fold without a checkpoint read them from there.
//
// Crash-safe by order: the archive is durable before the journal that names it replaces the old one
// (writeFileAtomic), and the old archive goes only after that. Killed anywhere, the journal is the
// old one (an archive nobody names is removed by the next compaction) or the new one, whole.
// Exclusive: the caller holds the mailing's lease (no run writes), and the journal lock keeps out
// the writers that append without it (appendJournalBeside: the bounce poller).
import { createReadStream, promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { writeFileAtomic } from './atomicWrite';
import { withExclusive } from './exclusive';
import { archiveBytes, readArchivedHead, removeArchivesBut, writeArchive } from './journalArchive';
import { writeCheckpoint } from './journalCheckpoint';
import { encodeEvent, type ArchivedEvent } from './journalEvents';
import { foldJournalAndPlace } from './journalReader';
import { JOURNAL_FILE, JOURNAL_LOCK_DIR } from './paths';

/** A completed run compacts a journal with at least this many bytes after its `archived` line (~40k events). */
export const COMPACT_AFTER_BYTES = 4 << 20;

export interface CompactionResult {
  /** The journal's size before and after. */
  before: number;
  after: number;
  /** The archive's name and size; the lines and uncompressed bytes it holds. */
  archive: string;
  archiveBytes: number;
  lines: number;
  bytes: number;
}

/**
 * Compacts the journal of `stateDir` when it has at least `minBytes` (default: any) not yet archived;
 * undefined when there is nothing to compact. The caller holds the mailing's lease.
 */
export async function compactJournal(stateDir: string, owner: string, options: { minBytes?: number } = {}): Promise<CompactionResult | undefined> {
  const file = path.join(stateDir, JOURNAL_FILE);
  return withExclusive(
    path.join(stateDir, JOURNAL_LOCK_DIR),
    owner,
    async () => {
      const loaded = await foldJournalAndPlace(stateDir);
      if (!loaded) return undefined;
      const handle = await fs.open(file, 'r');
      let size: number;
      let head: Awaited<ReturnType<typeof readArchivedHead>>;
      const lastByte = Buffer.alloc(1);
      try {
        const stat = await handle.stat();
        if (stat.ino !== loaded.place.ino) return undefined; // replaced under both locks: not ours to touch
        size = stat.size;
        head = await readArchivedHead(handle);
        if (size > 0) await handle.read(lastByte, 0, 1, size - 1);
      } finally {
        await handle.close();
      }
      const liveFrom = head?.length ?? 0;
      if (size === liveFrom || size - liveFrom < (options.minBytes ?? 0)) return undefined;
      const sources: Readable[] = [];
      if (head) sources.push(archiveBytes(stateDir, head.event));
      sources.push(createReadStream(file, { start: liveFrom, end: size - 1 }));
      // A torn last line (a crash) is kept as the ignored line it is, ended so nothing glues onto it.
      if (lastByte[0] !== 0x0a) sources.push(Readable.from([Buffer.from('\n')]));
      const archive = await writeArchive(stateDir, sources);
      const event: ArchivedEvent = { e: 'archived', t: Date.now(), ...archive };
      await writeFileAtomic(file, encodeEvent(event));
      const { fold } = loaded;
      if (size > loaded.place.offset) fold.ignoredLines++;
      fold.apply(event);
      const now = statSync(file);
      // A checkpoint that cannot be written costs the next reader one read of the archive, nothing else.
      await writeCheckpoint(stateDir, fold, { ino: now.ino, offset: now.size }).catch(() => undefined);
      await removeArchivesBut(stateDir, archive.file);
      const archiveSize = (await fs.stat(path.join(stateDir, archive.file))).size;
      return { before: size, after: now.size, archive: archive.file, archiveBytes: archiveSize, lines: archive.lines, bytes: archive.bytes };
    },
    { timeoutMs: 60_000, heartbeat: true },
  );
}
