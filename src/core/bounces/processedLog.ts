// The messages of the bounce mailbox already handed over, remembered in the state root
// (`<stateRoot>/bounces/processed.jsonl`), so that none is handed over twice. Moving a handled
// message out of the folder is what normally keeps it from coming back; this log covers the moment
// between handing it over and moving it (a crash, a kill, a lost connection) and a message put back
// into the folder later. A message is known by its mailbox, UIDVALIDITY and UID (IMAP's identity of
// a message in a folder), and by its own Message-ID when it has one (the same report appended
// again gets a new UID). Only the poller holding the bounce lease writes it; a line is synced
// before the message is moved. A line torn by a crash is ignored.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { makeFolderDurably, writeFileAtomic } from '../state/atomicWrite';

export interface ProcessedKey {
  /** `user@host:port/folder`. */
  mailbox: string;
  uidValidity: string;
  uid: number;
}

export interface ProcessedEntry extends ProcessedKey {
  messageId?: string;
  /** ISO instant it was handed over. */
  at: string;
}

/** Entries older than this are dropped when the log is compacted (their messages were moved long ago). */
const KEEP_DAYS = 180;
const COMPACT_BYTES = 1 << 20;

function uidKey(key: ProcessedKey): string {
  return `${key.mailbox}\u0000${key.uidValidity}\u0000${key.uid}`;
}

export class ProcessedLog {
  private readonly uids = new Set<string>();
  private readonly messageIds = new Set<string>();

  private constructor(
    readonly file: string,
    private entries: ProcessedEntry[],
  ) {
    for (const entry of entries) this.remember(entry);
  }

  static async open(file: string): Promise<ProcessedLog> {
    let text = '';
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const entries: ProcessedEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const value = JSON.parse(line) as Partial<ProcessedEntry>;
        if (typeof value.mailbox === 'string' && typeof value.uidValidity === 'string' && typeof value.uid === 'number' && typeof value.at === 'string') {
          entries.push(value as ProcessedEntry);
        }
      } catch {
        // Torn by a crash while appending.
      }
    }
    return new ProcessedLog(file, entries);
  }

  private remember(entry: ProcessedEntry): void {
    this.uids.add(uidKey(entry));
    if (entry.messageId) this.messageIds.add(entry.messageId);
  }

  has(key: ProcessedKey): boolean {
    return this.uids.has(uidKey(key));
  }

  hasMessageId(messageId: string | undefined): boolean {
    return messageId !== undefined && this.messageIds.has(messageId);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Appends an entry; resolves once it is on disk. */
  async add(entry: ProcessedEntry): Promise<void> {
    await makeFolderDurably(path.dirname(this.file));
    const handle = await fs.open(this.file, 'a');
    try {
      await handle.write(JSON.stringify(entry) + '\n');
      await handle.datasync();
    } finally {
      await handle.close();
    }
    this.entries.push(entry);
    this.remember(entry);
  }

  /** Drops entries older than KEEP_DAYS once the file is large (call while holding the bounce lease). */
  async compact(now: Date): Promise<void> {
    const size = await fs.stat(this.file).then((stat) => stat.size, () => 0);
    if (size < COMPACT_BYTES) return;
    const cutoff = now.getTime() - KEEP_DAYS * 86_400_000;
    const kept = this.entries.filter((entry) => Date.parse(entry.at) >= cutoff);
    await writeFileAtomic(this.file, kept.map((entry) => JSON.stringify(entry) + '\n'));
    this.entries = kept;
  }
}
