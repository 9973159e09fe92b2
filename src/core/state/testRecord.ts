// The test record: what was last sent as a test, so `test-not-sent` / `test-outdated` can be checked.
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import type { TestRecord } from '../types';
import { parseDestination } from '../send/destination';
import { TEST_RECORD_FILE } from './paths';
import { writeFileAtomic } from './atomicWrite';

// Every validation asks for the record (each keystroke in the editor): it is read again only when
// its file changed. A synchronous stat, because the usual answer is "no such file", and the async
// call's rejection costs ten times a stat.
const known = new Map<string, { mtimeMs: number; size: number; ino: number; record: Promise<TestRecord | undefined> }>();

/** Reads the test record of a mailing's state folder; undefined when none was written (or unreadable). */
export function readTestRecord(stateDir: string): Promise<TestRecord | undefined> {
  const file = path.join(stateDir, TEST_RECORD_FILE);
  let stat: import('node:fs').Stats | undefined;
  try {
    stat = statSync(file, { throwIfNoEntry: false });
  } catch {
    stat = undefined;
  }
  if (!stat) {
    known.delete(file);
    return Promise.resolve(undefined);
  }
  const cached = known.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size && cached.ino === stat.ino) return cached.record;
  const record = readRecordFile(file);
  known.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, ino: stat.ino, record });
  return record;
}

async function readRecordFile(file: string): Promise<TestRecord | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<TestRecord>;
    if (value.version !== 1 || typeof value.at !== 'string' || typeof value.hash !== 'string' || !Array.isArray(value.to)) {
      return undefined;
    }
    const record: TestRecord = { version: 1, at: value.at, hash: value.hash, to: value.to.map(String), messageIds: (value.messageIds ?? []).map(String) };
    const destination = parseDestination(value.destination);
    if (destination) record.destination = destination;
    return record;
  } catch {
    return undefined;
  }
}

export async function writeTestRecord(stateDir: string, record: TestRecord): Promise<void> {
  await writeFileAtomic(path.join(stateDir, TEST_RECORD_FILE), JSON.stringify(record, null, 2) + '\n');
}
