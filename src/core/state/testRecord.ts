// The test record: what was last sent as a test, so `test-not-sent` / `test-outdated` can be checked.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { TestRecord } from '../types';
import { TEST_RECORD_FILE } from './paths';
import { writeFileAtomic } from './atomicWrite';

/** Reads the test record of a mailing's state folder; undefined when none was written (or unreadable). */
export async function readTestRecord(stateDir: string): Promise<TestRecord | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(stateDir, TEST_RECORD_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<TestRecord>;
    if (value.version !== 1 || typeof value.at !== 'string' || typeof value.hash !== 'string' || !Array.isArray(value.to)) {
      return undefined;
    }
    return { version: 1, at: value.at, hash: value.hash, to: value.to.map(String), messageIds: (value.messageIds ?? []).map(String) };
  } catch {
    return undefined;
  }
}

export async function writeTestRecord(stateDir: string, record: TestRecord): Promise<void> {
  await writeFileAtomic(path.join(stateDir, TEST_RECORD_FILE), JSON.stringify(record, null, 2) + '\n');
}
