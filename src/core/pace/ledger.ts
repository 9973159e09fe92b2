// The hand-off ledger of one SMTP server (host:port:user), shared by every mailing and process that
// sends through it: what the quotas and the warm-up count. It lives in the state root,
// `servers/<server>/handoffs.log`, so a restart, a second mailing or another process sees exactly
// what was handed to the server, and nothing is reset.
//
// The file is append-only text, one event a line:
//   # mailings hand-offs v1 since <ms>    the header: the server's first hand-off (warm-up day 0)
//   +<ms>                                 a message handed to the server at that instant
//   -<ms>                                 that hand-off did not happen after all (a 4xx reply)
// A line that is not one of these (torn by a power cut) is ignored. Every process keeps the ledger
// folded in memory and reads only the bytes appended since its last look (as journalReader does).
//
// The read-decide-record step of a quota runs under the ledger's lease (`servers/<server>/lease`,
// core/state/lease, not synced: it is held for a millisecond), so two processes never both take the
// last slot. Mailings without a quota or warm-up record their hand-offs too — in batches, without
// deciding — so a mailing with a quota counts what they sent. Compaction rewrites the file (temp file
// and rename, under the lease) when most of it is older than a day, the longest window any limit
// looks back; readers see the new inode and read it afresh. Appends are written before the hand-off
// they record and synced in the background within a second: a killed process loses nothing; a power
// cut may lose the last second.
import { createHash } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../state/atomicWrite';
import { acquireLease, LeaseContendedError, LeaseHeldError, type Lease } from '../state/lease';
import { DAY_MS, HandoffLog, type LimitDecision, type PaceLimits } from './handoffLog';

export const LEDGER_FILE = 'handoffs.log';
const HEADER = '# mailings hand-offs v1 since ';
/** Kept in memory and in the file: a day (the longest window) and some slack for other clocks. */
const RETENTION_MS = DAY_MS + 60 * 60_000;
/** The lease is held for one decision: one older than this belongs to a process that hung. */
const LOCK_STALE_MS = 5_000;
const NOTE_FLUSH_MS = 200;
const SYNC_DELAY_MS = 1_000;
/** Compaction once the file holds this many lines more than it needs. */
const COMPACT_SLACK_LINES = 5_000;

/** What identifies an SMTP server for its quota: host, port and user (the outbox has one ledger of its own). */
export function serverKey(server: { host: string; port: number; user?: string } | 'outbox'): string {
  return server === 'outbox' ? 'outbox' : `${server.host.toLowerCase()}:${server.port}:${server.user ?? ''}`;
}

export function ledgerDir(stateRoot: string, key: string): string {
  const slug = key.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'server';
  return path.join(stateRoot, 'servers', `${slug}-${createHash('sha1').update(key).digest('hex').slice(0, 8)}`);
}

export type Reservation = { ok: true; at: number } | Extract<LimitDecision, { ok: false }>;

const ledgers = new Map<string, HandoffLedger>();

export class HandoffLedger {
  readonly file: string;
  private readonly log = new HandoffLog();
  private offset = 0;
  private ino = 0;
  private lines = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private notes: string[] = [];
  private noteTimer?: NodeJS.Timeout;
  private syncTimer?: NodeJS.Timeout;
  private users = 0;
  private requests: { limits: PaceLimits; now: number; resolve: (reservation: Reservation) => void; reject: (error: unknown) => void }[] = [];
  private deciding = false;

  private constructor(
    readonly dir: string,
    readonly key: string,
  ) {
    this.file = path.join(dir, LEDGER_FILE);
  }

  /** The ledger of `key` under `stateRoot`, shared by everything in this process that sends through it. */
  static open(stateRoot: string, key: string): HandoffLedger {
    const dir = ledgerDir(stateRoot, key);
    let ledger = ledgers.get(dir);
    if (!ledger) ledgers.set(dir, (ledger = new HandoffLedger(dir, key)));
    ledger.users++;
    return ledger;
  }

  /** Ends one user's share: flushes what it noted; the last one lets the ledger go. */
  async close(): Promise<void> {
    await this.flushNotes();
    if (--this.users <= 0) {
      ledgers.delete(this.dir);
      if (this.syncTimer) {
        clearTimeout(this.syncTimer);
        this.syncTimer = undefined;
        await this.sync();
      }
    }
  }

  /**
   * Records a hand-off at `now` if `limits` allow one; otherwise says from when on they may. The
   * decision and the record are one step under the ledger's lease.
   */
  reserve(limits: PaceLimits, now: number): Promise<Reservation> {
    return new Promise((resolve, reject) => {
      this.requests.push({ limits, now, resolve, reject });
      if (!this.deciding) {
        this.deciding = true;
        void this.serial(() => this.decideRequests());
      }
    });
  }

  /**
   * One turn of the lease for every reservation asked for meanwhile (the engine's connections ask at
   * about the same time): each is decided in order over the log, the accepted ones written at once.
   */
  private async decideRequests(): Promise<void> {
    let batch: typeof this.requests = [];
    try {
      await this.locked(async () => {
        await this.refresh();
        batch = this.requests.splice(0);
        this.deciding = false;
        const lines: string[] = [];
        const answers = batch.map(({ limits, now }): Reservation => {
          const decision = this.log.decide(limits, now);
          if (!decision.ok) return decision;
          this.log.add(now);
          lines.push(`+${now}`);
          return { ok: true, at: now };
        });
        if (lines.length > 0) await this.append(lines, batch[batch.length - 1].now, false);
        batch.forEach((request, k) => request.resolve(answers[k]));
      });
    } catch (error) {
      this.deciding = false;
      for (const request of [...batch, ...this.requests.splice(0)]) request.reject(error);
    }
    if (this.requests.length > 0 && !this.deciding) {
      this.deciding = true;
      void this.serial(() => this.decideRequests());
    }
  }

  /** A reserved hand-off that did not reach the server (refused with a 4xx, or never sent): its slot is free again. */
  cancel(at: number): Promise<void> {
    const noted = this.notes.lastIndexOf(`+${at}`);
    if (noted >= 0) {
      this.notes.splice(noted, 1); // not written yet: never counted
      return Promise.resolve();
    }
    return this.serial(async () =>
      this.locked(async () => {
        await this.refresh();
        if (this.log.remove(at)) await this.append([`-${at}`], at);
      }),
    );
  }

  /** Records a hand-off without a decision (a mailing without limits), in the next batch. */
  note(at: number): void {
    this.notes.push(`+${at}`);
    this.noteTimer ??= setTimeout(() => void this.flushNotes().catch(() => undefined), NOTE_FLUSH_MS);
  }

  /** Writes the noted hand-offs now. */
  flushNotes(): Promise<void> {
    if (this.noteTimer) clearTimeout(this.noteTimer);
    this.noteTimer = undefined;
    if (this.notes.length === 0) return Promise.resolve();
    const lines = this.notes;
    this.notes = [];
    const first = Number(lines[0].slice(1));
    return this.serial(() =>
      this.locked(async () => {
        await this.refresh();
        for (const line of lines) this.log.add(Number(line.slice(1)));
        await this.append(lines, first, false);
      }),
    );
  }

  /** The ledger as it is on disk now: the hand-offs of the last day and the start of the history (read-only). */
  async read(): Promise<{ since?: number; times: readonly number[] }> {
    await this.serial(() => this.refresh());
    return { since: this.log.since, times: this.log.all };
  }

  /** Calls run one at a time in this process: the lease is then contended once per process. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    const lease = await takeLease(this.dir);
    try {
      return await fn();
    } finally {
      await lease.release();
    }
  }

  /** Folds what was appended since the last look (or the whole file when it was replaced). */
  private async refresh(): Promise<void> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.log.clear();
      this.offset = this.ino = this.lines = 0;
      return;
    }
    try {
      const { ino, size } = await handle.stat();
      if (ino !== this.ino || size < this.offset) {
        this.log.clear();
        this.offset = this.lines = 0;
        this.ino = ino;
      }
      if (size <= this.offset) return;
      const buffer = Buffer.allocUnsafe(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      const text = buffer.toString('utf8', 0, bytesRead);
      const end = text.lastIndexOf('\n') + 1; // a line still being written waits for the next look
      for (const line of text.slice(0, end).split('\n')) this.apply(line);
      this.offset += Buffer.byteLength(text.slice(0, end));
    } finally {
      await handle.close();
    }
  }

  private apply(line: string): void {
    if (!line) return;
    this.lines++;
    const first = line.charCodeAt(0);
    if (first === 43 /* + */ || first === 45 /* - */) {
      const at = Number(line.slice(1));
      if (!Number.isSafeInteger(at) || at <= 0) return;
      if (first === 43) this.log.add(at);
      else this.log.remove(at);
    } else if (line.startsWith(HEADER)) {
      const since = Number(line.slice(HEADER.length));
      if (Number.isSafeInteger(since) && since > 0) this.log.since = since;
    }
  }

  /** Appends lines (holding the lease), creating the file with its header first; compacts when due. */
  private async append(lines: string[], now: number, fold = true): Promise<void> {
    if (fold) for (const line of lines) this.apply(line);
    else this.lines += lines.length;
    const exists = this.ino !== 0;
    let text = lines.join('\n') + '\n';
    if (!exists) {
      await fs.mkdir(this.dir, { recursive: true });
      this.log.since ??= now;
      text = `${HEADER}${this.log.since}\n${text}`;
    }
    const handle = await fs.open(this.file, fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT);
    try {
      await handle.write(text);
      const { ino, size } = await handle.stat();
      this.ino = ino;
      this.offset = size;
    } finally {
      await handle.close();
    }
    this.syncSoon();
    this.log.prune(now - RETENTION_MS);
    if (this.lines > this.log.size + COMPACT_SLACK_LINES) await this.compact();
  }

  /** Rewrites the file with only what a limit may still look at (holding the lease). */
  private async compact(): Promise<void> {
    const body = this.log.all.map((at) => `+${at}\n`).join('');
    await writeFileAtomic(this.file, `${HEADER}${this.log.since ?? Date.now()}\n${body}`);
    const stat = await fs.stat(this.file);
    this.ino = stat.ino;
    this.offset = stat.size;
    this.lines = this.log.size + 1;
  }

  private syncSoon(): void {
    if (this.syncTimer) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      void this.sync();
    }, SYNC_DELAY_MS);
    this.syncTimer.unref();
  }

  private async sync(): Promise<void> {
    try {
      const handle = await fs.open(this.file, 'r');
      try {
        await handle.datasync();
      } finally {
        await handle.close();
      }
    } catch {
      // Gone (compacted meanwhile: the rename was synced) or unreadable: the next append syncs again.
    }
  }
}

/** Takes the ledger's lease, waiting while another process holds it (it does for a millisecond). */
async function takeLease(dir: string): Promise<Lease> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await acquireLease(dir, `quota ledger (pid ${process.pid})`, { staleMs: LOCK_STALE_MS, durable: false });
    } catch (error) {
      // Held, or taken and released by others faster than this process got a turn (many senders,
      // each holding it for one decision, on a loaded machine): it frees in a moment either way.
      if (!(error instanceof LeaseHeldError || error instanceof LeaseContendedError) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 3));
    }
  }
}
