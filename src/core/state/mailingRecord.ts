// mailing.json: which mailing file a state folder belongs to (the folder name is a slug + hash and
// cannot be turned back into a path). Written with the first state of a mailing (test record,
// confirmation) so the Mailings view and the scheduler can list every mailing with state.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomicWrite';

export const MAILING_RECORD_FILE = 'mailing.json';

export interface MailingRecord {
  version: 1;
  /** Absolute path of the mailing file. */
  file: string;
}

export async function writeMailingRecord(stateDir: string, file: string): Promise<void> {
  const target = path.join(stateDir, MAILING_RECORD_FILE);
  const current = await readMailingRecord(stateDir);
  if (current?.file === file) return;
  await writeFileAtomic(target, JSON.stringify({ version: 1, file } satisfies MailingRecord) + '\n');
}

export async function readMailingRecord(stateDir: string): Promise<MailingRecord | undefined> {
  try {
    const value = JSON.parse(await fs.readFile(path.join(stateDir, MAILING_RECORD_FILE), 'utf8')) as Partial<MailingRecord>;
    return typeof value.file === 'string' ? { version: 1, file: value.file } : undefined;
  } catch {
    return undefined;
  }
}
