// A compacted journal's archive: the gzip of every line a journal had when it was compacted
// (state/journalCompaction.ts), beside it as `journal.<16 hex of its sha256>.jsonl.gz`. The live
// journal's first line (`archived`) names it with its whole sha256, so an archive that is missing,
// damaged or another one is an error the reader reports — never a shorter history, which would show
// the recipients already sent as pending and let a Start mail them again. `zcat` reads it too.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { syncFolder } from './atomicWrite';
import { ARCHIVE_NAME, parseEventLine, type ArchivedEvent, type JournalEvent } from './journalEvents';

/** The archive a journal names cannot be read as that journal's history. */
export class JournalArchiveError extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: ${reason}; it holds the start of the mailing's journal (who was sent): restore it`);
    this.name = 'JournalArchiveError';
  }
}

/** The longest first line read when looking for an `archived` one (it is about 200 bytes). */
const HEAD_BYTES = 4096;

/** The journal's first line when it is an `archived` event, and its length with the newline. */
export async function readArchivedHead(handle: import('node:fs/promises').FileHandle): Promise<{ event: ArchivedEvent; length: number } | undefined> {
  const buffer = Buffer.alloc(HEAD_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
  const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
  if (newline === -1) return undefined;
  const event = parseEventLine(buffer.toString('utf8', 0, newline));
  return event?.e === 'archived' ? { event, length: newline + 1 } : undefined;
}

/** The archive's uncompressed bytes, checked against what `head` says of it once read whole. */
export function archiveBytes(stateDir: string, head: ArchivedEvent): Readable {
  const file = path.join(stateDir, head.file);
  const hash = createHash('sha256');
  let bytes = 0;
  const source = createReadStream(file);
  const hashed = hashing(hash);
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      const digest = hash.digest('hex');
      if (digest !== head.sha256) done(new JournalArchiveError(file, `its sha256 is ${digest}, not the ${head.sha256} the journal names`));
      else if (bytes !== head.bytes) done(new JournalArchiveError(file, `it holds ${bytes} bytes, not the ${head.bytes} the journal names`));
      else done();
    },
  });
  const fail = (error: NodeJS.ErrnoException) => {
    const reason = error.code === 'ENOENT' ? 'it is missing' : error instanceof JournalArchiveError ? undefined : `it cannot be read (${error.message})`;
    // Every stream of the chain goes, the file's descriptor with it (pipe() would leave it open).
    source.destroy();
    gunzip.destroy();
    counted.destroy(reason ? new JournalArchiveError(file, reason) : error);
  };
  const gunzip = createGunzip();
  source.on('error', fail);
  gunzip.on('error', fail);
  hashed.on('error', fail);
  source.pipe(hashed).pipe(gunzip).pipe(counted);
  return counted;
}

/** Passes bytes on unchanged, adding them to `hash`. */
function hashing(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

/** Calls `onEvent` for each event of the archive `head` names; lines that do not parse are counted. */
export async function forEachArchivedEvent(stateDir: string, head: ArchivedEvent, onEvent: (event: JournalEvent) => void): Promise<{ ignored: number }> {
  let ignored = 0;
  let lines = 0;
  const reader = createInterface({ input: archiveBytes(stateDir, head), crlfDelay: Infinity });
  for await (const line of reader) {
    lines++;
    if (line.length === 0) continue;
    const event = parseEventLine(line);
    if (event) onEvent(event);
    else ignored++;
  }
  if (lines !== head.lines) throw new JournalArchiveError(path.join(stateDir, head.file), `it holds ${lines} lines, not the ${head.lines} the journal names`);
  return { ignored };
}

/**
 * Writes `sources` (journal bytes, whole lines) as an archive beside the journal, durably: a temp file,
 * fsync'd, renamed to its content's name, the folder fsync'd. An archive of the same name is the same
 * content: it stays as it is.
 */
export async function writeArchive(stateDir: string, sources: Readable[]): Promise<Omit<ArchivedEvent, 'e' | 't'>> {
  const tmp = path.join(stateDir, `journal.archive.${process.pid}.${Date.now().toString(36)}.tmp`);
  const hash = createHash('sha256');
  let bytes = 0;
  let lines = 0;
  try {
    const gzip = createGzip();
    const output = createWriteStream(tmp);
    const written = pipeline(gzip, hashing(hash), output);
    for (const source of sources) {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines++;
        if (!gzip.write(chunk)) await new Promise<void>((resolve) => gzip.once('drain', () => resolve()));
      }
    }
    gzip.end();
    await written;
    const handle = await fs.open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const sha256 = hash.digest('hex');
    const file = `journal.${sha256.slice(0, 16)}.jsonl.gz`;
    await fs.rename(tmp, path.join(stateDir, file));
    await syncFolder(stateDir);
    return { file, sha256, lines, bytes };
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** Removes the archives (and leftover temp files of one) beside a journal but `keep`. */
export async function removeArchivesBut(stateDir: string, keep: string): Promise<void> {
  for (const name of await fs.readdir(stateDir)) {
    if (name === keep) continue;
    if (ARCHIVE_NAME.test(name) || /^journal\.archive\.\d+\.[0-9a-z]+\.tmp$/.test(name)) await fs.rm(path.join(stateDir, name), { force: true });
  }
}
