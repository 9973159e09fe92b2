// Appending to a mailing's journal. Two promises per append: WRITTEN (the bytes are in the file: a
// killed process loses nothing written) and DURABLE (fdatasync'd: a power cut loses nothing either).
// Writes and syncs are each group-committed: lines appended in the same turn of the event loop go
// out in one write (flushed from setImmediate, after the turn's I/O callbacks: the replies of several
// SMTP connections read together share it, where a microtask wrote each reply's line apart; a send
// of small messages measured about 5% faster), and one fdatasync covers every batch written before it began, so durability costs one sync per
// batch, not per event, and a sync never holds up a write. The write itself is a plain synchronous
// write(2) of a few hundred bytes into the page cache (microseconds; far cheaper than a round trip
// through the thread pool, and a few hundred thousand of them make a big mailing); only the
// fdatasync, which waits for the disk, runs in the background.
import * as fsCallback from 'node:fs';
import { promisify } from 'node:util';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { JOURNAL_FILE, JOURNAL_LOCK_DIR } from './paths';
import { withExclusive } from './exclusive';
import { makeFolderDurably, syncFolder } from './atomicWrite';
import { encodeEvent, type JournalEvent } from './journalEvents';

export interface JournalWriterOptions {
  /** fdatasync for durable appends (default true); without it `append` resolves once written. */
  sync?: boolean;
}

interface Waiter {
  /** Sequence number of the batch the events went out in. */
  batch: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class JournalWriter {
  private queue: string[] = [];
  private queuedWritten: Waiter[] = [];
  private queuedDurable: Waiter[] = [];
  private writeScheduled = false;
  private syncing?: Promise<void>;
  /** Batches written so far (sequence numbers are 1-based). */
  private writtenBatches = 0;
  /** Durable waiters whose batch has been written, waiting for a sync. */
  private awaitingSync: Waiter[] = [];
  private failure?: unknown;
  private closed = false;
  /** Statistics: write batches, syncs and events written (group commit at work). */
  batches = 0;
  syncs = 0;
  written = 0;

  private constructor(
    readonly file: string,
    private readonly handle: import('node:fs/promises').FileHandle,
    private readonly sync: boolean,
  ) {}

  /**
   * Opens (creating) the journal of a state folder for appending. A last line torn by a crash gets
   * its newline first, so it stays one ignored line and never glues onto the next event.
   */
  static async open(stateDir: string, options: JournalWriterOptions = {}): Promise<JournalWriter> {
    await makeFolderDurably(stateDir);
    const file = path.join(stateDir, JOURNAL_FILE);
    const handle = await fs.open(file, 'a+');
    try {
      const { size } = await handle.stat();
      // A journal just created must be listed in its folder after a power cut, like its lines.
      if (size === 0) await syncFolder(stateDir);
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) await handle.write('\n');
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    return new JournalWriter(file, handle, options.sync ?? true);
  }

  /** Appends events; resolves once they (and everything appended before them) are durable. */
  append(...events: JournalEvent[]): Promise<void> {
    return this.enqueue(events, this.sync ? this.queuedDurable : this.queuedWritten);
  }

  /** Appends events; resolves once they are written (a killed process keeps them; not yet synced). */
  write(...events: JournalEvent[]): Promise<void> {
    return this.enqueue(events, this.queuedWritten);
  }

  private enqueue(events: JournalEvent[], waiters: Waiter[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error(`journal ${this.file} is closed`));
    for (const event of events) this.queue.push(encodeEvent(event));
    const done = new Promise<void>((resolve, reject) => waiters.push({ batch: 0, resolve, reject }));
    if (!this.writeScheduled) {
      this.writeScheduled = true;
      setImmediate(() => this.flushWrites());
    }
    return done;
  }

  /** Writes everything queued in one write(2). */
  private flushWrites(): void {
    this.writeScheduled = false;
    if (this.failure || (this.queue.length === 0 && this.queuedWritten.length === 0 && this.queuedDurable.length === 0)) return;
    const lines = this.queue;
    const written = this.queuedWritten;
    const durable = this.queuedDurable;
    this.queue = [];
    this.queuedWritten = [];
    this.queuedDurable = [];
    // An append of no events waits for what came before it: the last batch (written already).
    if (lines.length > 0) {
      try {
        writeAllSync(this.handle.fd, Buffer.from(lines.join(''), 'utf8'));
      } catch (error) {
        this.fail(error, [...written, ...durable]);
        return;
      }
      this.writtenBatches++;
      this.batches++;
      this.written += lines.length;
    }
    const batch = this.writtenBatches;
    for (const waiter of written) waiter.resolve();
    if (durable.length > 0) {
      for (const waiter of durable) waiter.batch = batch;
      this.awaitingSync.push(...durable);
      this.syncing ??= this.syncLoop();
    }
  }

  private async syncLoop(): Promise<void> {
    try {
      while (this.awaitingSync.length > 0 && !this.failure) {
        // Covers every batch whose write completed before this call.
        const covered = this.writtenBatches;
        try {
          await fdatasync(this.handle.fd);
        } catch (error) {
          this.fail(error, []);
          return;
        }
        this.syncs++;
        const still: Waiter[] = [];
        for (const waiter of this.awaitingSync) {
          if (waiter.batch <= covered) waiter.resolve();
          else still.push(waiter);
        }
        this.awaitingSync = still;
      }
    } finally {
      this.syncing = undefined;
    }
  }

  private fail(error: unknown, waiters: Waiter[]): void {
    this.failure = error;
    for (const waiter of [...waiters, ...this.queuedWritten, ...this.queuedDurable, ...this.awaitingSync]) waiter.reject(error);
    this.queue = [];
    this.queuedWritten = [];
    this.queuedDurable = [];
    this.awaitingSync = [];
  }

  /** Waits for queued events (written and synced), then closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flushWrites();
    while (this.syncing) await this.syncing;
    if (!this.failure && this.sync) await this.handle.datasync().catch(() => undefined);
    await this.handle.close();
  }
}

const fdatasync = promisify(fsCallback.fdatasync);

/** write(2) until every byte is out (a write may be partial). */
function writeAllSync(fd: number, data: Buffer): void {
  for (let offset = 0; offset < data.length; ) offset += fsCallback.writeSync(fd, data, offset, data.length - offset);
}

/** Appends events to a journal and closes it (single state transitions: schedule, stop, missed). */
export async function appendJournal(stateDir: string, ...events: JournalEvent[]): Promise<void> {
  const writer = await JournalWriter.open(stateDir);
  try {
    await writer.append(...events);
  } finally {
    await writer.close();
  }
}

/**
 * Appends events without holding the mailing's lease (the bounce poller, beside a run or after it):
 * under the journal lock, so a compaction (state/journalCompaction.ts), which replaces the file, never
 * drops them. It waits for one as long as a 1M mailing's takes.
 */
export async function appendJournalBeside(stateDir: string, owner: string, ...events: JournalEvent[]): Promise<void> {
  await withExclusive(path.join(stateDir, JOURNAL_LOCK_DIR), owner, () => appendJournal(stateDir, ...events), { timeoutMs: 10 * 60_000 });
}
