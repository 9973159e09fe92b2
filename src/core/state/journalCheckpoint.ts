// A journal's checkpoint (journal.checkpoint): the fold of its first `offset` bytes, so status, the
// Mailings view, Statistics and a resume read the checkpoint plus the lines after it instead of
// folding every line again (a completed 1M mailing has ~3M of them). It is a cache, never the truth:
// written atomically, and trusted only when it still describes this journal — same inode, at least
// `offset` bytes long, and the same bytes just before `offset` (lines carry their epoch-ms times, so a
// journal replaced by another one of the same length does not match) — and when it was written for
// this fold's shape (a fold with other fields, from another version, is ignored). Anything else, and
// any damage, means folding the whole journal, as without a checkpoint.
//
// Layout: MAGIC, the header's length (uint32 LE), the header (JSON: the fold's scalars, maps, sets and
// the place of each typed array), padding to 8 bytes, the typed arrays' bytes (little-endian), and the
// sha256 of everything before it. A 1M-recipient fold is ~16 MB of arrays: read in one go.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from './atomicWrite';
import { JournalFold } from './journalFold';
import { CHECKPOINT_FILE, JOURNAL_FILE } from './paths';

const MAGIC = Buffer.from('MLCKPT01', 'latin1');
/** Bytes of the journal just before `offset` that the checkpoint keeps to recognise its journal. */
const TAIL_BYTES = 64;
const VERSION = 1;

type TypedArray = Uint8Array | Uint16Array | Float64Array;
const ARRAY_TYPES = { Uint8Array, Uint16Array, Float64Array } as const;
type ArrayType = keyof typeof ARRAY_TYPES;

/** Where a checkpoint's fold ends in its journal. */
export interface JournalPlace {
  ino: number;
  /** Bytes of the journal folded: the offset after its last complete line. */
  offset: number;
}

interface Header {
  v: number;
  shape: string;
  ino: number;
  offset: number;
  /** base64 of the journal's bytes [offset - TAIL_BYTES, offset). */
  tail: string;
  values: Record<string, unknown>;
  maps: Record<string, [unknown, unknown][]>;
  sets: Record<string, unknown[]>;
  arrays: { key: string; type: ArrayType; length: number; at: number }[];
  bodyBytes: number;
}

const DIGEST_BYTES = 32;

type Field = 'value' | 'map' | 'set' | ArrayType;

/** How a fold's own fields are kept: decided from a fresh fold, so a field added later is kept too. */
function fieldsOf(fold: JournalFold): [string, Field][] {
  return Object.keys(fold)
    .sort()
    .map((key) => {
      const value = (fold as unknown as Record<string, unknown>)[key];
      if (value instanceof Map) return [key, 'map'];
      if (value instanceof Set) return [key, 'set'];
      for (const type of Object.keys(ARRAY_TYPES) as ArrayType[]) if (value instanceof ARRAY_TYPES[type]) return [key, type];
      return [key, 'value'];
    });
}

let fields: [string, Field][] | undefined;
function foldFields(): [string, Field][] {
  return (fields ??= fieldsOf(new JournalFold()));
}

/** Changes whenever JournalFold's fields change: a checkpoint of another shape is not read. */
function shape(): string {
  return foldFields()
    .map(([key, field]) => `${key}:${field}`)
    .join(',');
}

/**
 * Writes the checkpoint of `fold`, which is the fold of the journal's bytes up to `place.offset`. The
 * fold is copied before the first await: a reader may advance it meanwhile.
 */
export async function writeCheckpoint(stateDir: string, fold: JournalFold, place: JournalPlace): Promise<void> {
  // A field the fresh fold lacks (set only later) would be lost: write nothing rather than half a fold.
  if (Object.keys(fold).length !== foldFields().length) return;
  const { ino, offset } = place;
  const header: Omit<Header, 'tail'> = { v: VERSION, shape: shape(), ino, offset, values: {}, maps: {}, sets: {}, arrays: [], bodyBytes: 0 };
  const chunks: Buffer[] = [];
  let at = 0;
  const record = fold as unknown as Record<string, unknown>;
  for (const [key, field] of foldFields()) {
    const value = record[key];
    if (field === 'value') header.values[key] = value;
    else if (field === 'map') header.maps[key] = [...(value as Map<unknown, unknown>)];
    else if (field === 'set') header.sets[key] = [...(value as Set<unknown>)];
    else {
      const array = value as TypedArray;
      header.arrays.push({ key, type: field, length: array.length, at });
      chunks.push(Buffer.from(array.buffer, array.byteOffset, array.byteLength), Buffer.alloc(pad8(array.byteLength) - array.byteLength));
      at += pad8(array.byteLength);
    }
  }
  header.bodyBytes = at;
  // Serialised now, as the arrays are copied now: the runs and counts in it change as the fold goes on.
  const serialised = JSON.stringify(header);
  const body = Buffer.concat(chunks, at);
  const tail = await readTail(path.join(stateDir, JOURNAL_FILE), { ino, offset });
  if (!tail) return;
  const json = Buffer.from(`{"tail":${JSON.stringify(tail.toString('base64'))},${serialised.slice(1)}`, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const head = Buffer.concat([MAGIC, length, json]);
  const data = Buffer.concat([head, Buffer.alloc(pad8(head.length) - head.length), body]);
  await writeFileAtomic(path.join(stateDir, CHECKPOINT_FILE), Buffer.concat([data, createHash('sha256').update(data).digest()]));
}

/**
 * The checkpoint of the journal as it is now, and where it ends; undefined when there is none, or it
 * does not describe this journal (see the top of this file), or it is damaged.
 */
export async function readCheckpoint(stateDir: string): Promise<{ fold: JournalFold; place: JournalPlace } | undefined> {
  if (os.endianness() !== 'LE') return undefined;
  let data: Buffer;
  try {
    data = await fs.readFile(path.join(stateDir, CHECKPOINT_FILE));
  } catch {
    return undefined;
  }
  if (data.length < DIGEST_BYTES) return undefined;
  const digest = data.subarray(data.length - DIGEST_BYTES);
  data = data.subarray(0, data.length - DIGEST_BYTES);
  if (!createHash('sha256').update(data).digest().equals(digest)) return undefined;
  const header = parseHeader(data);
  if (!header) return undefined;
  const place = { ino: header.ino, offset: header.offset };
  const tail = await readTail(path.join(stateDir, JOURNAL_FILE), place).catch(() => undefined);
  if (!tail || tail.toString('base64') !== header.tail) return undefined;
  const bodyAt = pad8(MAGIC.length + 4 + data.readUInt32LE(MAGIC.length));
  const body = data.subarray(bodyAt);
  if (body.length !== header.bodyBytes) return undefined;
  const fold = new JournalFold();
  const record = fold as unknown as Record<string, unknown>;
  for (const [key, field] of foldFields()) {
    if (field === 'value') record[key] = header.values[key];
    else if (field === 'map') record[key] = new Map(header.maps[key] ?? []);
    else if (field === 'set') record[key] = new Set(header.sets[key] ?? []);
  }
  for (const { key, type, length, at } of header.arrays) {
    const array = new ARRAY_TYPES[type](length);
    if (at + array.byteLength > body.length) return undefined;
    new Uint8Array(array.buffer).set(body.subarray(at, at + array.byteLength));
    record[key] = array;
  }
  return { fold, place };
}

function parseHeader(data: Buffer): Header | undefined {
  if (data.length < MAGIC.length + 4 || !data.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const length = data.readUInt32LE(MAGIC.length);
  if (MAGIC.length + 4 + length > data.length) return undefined;
  let header: Header;
  try {
    header = JSON.parse(data.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + length)) as Header;
  } catch {
    return undefined;
  }
  if (typeof header !== 'object' || header === null || header.v !== VERSION || header.shape !== shape()) return undefined;
  if (!Number.isInteger(header.offset) || header.offset < 0 || typeof header.ino !== 'number' || typeof header.tail !== 'string') return undefined;
  const expected = foldFields().filter(([, field]) => field in ARRAY_TYPES);
  if (!Array.isArray(header.arrays) || header.arrays.length !== expected.length) return undefined;
  for (const [i, entry] of header.arrays.entries()) {
    if (entry.key !== expected[i][0] || entry.type !== expected[i][1] || !Number.isInteger(entry.length) || entry.length < 0 || !Number.isInteger(entry.at) || entry.at % 8 !== 0) return undefined;
  }
  if (typeof header.values !== 'object' || typeof header.maps !== 'object' || typeof header.sets !== 'object') return undefined;
  return header;
}

/** The journal's bytes just before `place.offset`, when the journal is still that file and that long. */
async function readTail(file: string, place: JournalPlace): Promise<Buffer | undefined> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = await handle.stat();
    if (stat.ino !== place.ino || stat.size < place.offset) return undefined;
    const start = Math.max(0, place.offset - TAIL_BYTES);
    const tail = Buffer.alloc(place.offset - start);
    const { bytesRead } = await handle.read(tail, 0, tail.length, start);
    return bytesRead === tail.length ? tail : undefined;
  } finally {
    await handle.close();
  }
}

function pad8(n: number): number {
  return (n + 7) & ~7;
}
