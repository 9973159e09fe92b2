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
  /**
   * The last confirmation (Send now, Schedule): what was confirmed and when. Lets a copy or a
   * renamed file of this mailing be recognised before it is sent again (state/earlierSends.ts).
   */
  confirmed?: { hash: string; at: string };
}

/** Records which file a state folder belongs to, and (at a confirmation) what was confirmed. */
export async function writeMailingRecord(stateDir: string, file: string, confirmed?: MailingRecord['confirmed']): Promise<void> {
  const target = path.join(stateDir, MAILING_RECORD_FILE);
  const current = await readMailingRecord(stateDir);
  if (current?.file === file && (!confirmed || (current.confirmed?.hash === confirmed.hash && current.confirmed.at === confirmed.at))) return;
  const record: MailingRecord = { version: 1, file };
  const kept = confirmed ?? (current?.file === file ? current.confirmed : undefined);
  if (kept) record.confirmed = kept;
  await writeFileAtomic(target, JSON.stringify(record) + '\n');
}

export async function readMailingRecord(stateDir: string): Promise<MailingRecord | undefined> {
  try {
    return parseMailingRecord(await fs.readFile(path.join(stateDir, MAILING_RECORD_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

export function parseMailingRecord(text: string): MailingRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<MailingRecord>;
    if (typeof value.file !== 'string') return undefined;
    const record: MailingRecord = { version: 1, file: value.file };
    const confirmed = value.confirmed;
    if (confirmed && typeof confirmed.hash === 'string' && typeof confirmed.at === 'string') record.confirmed = { hash: confirmed.hash, at: confirmed.at };
    return record;
  } catch {
    return undefined;
  }
}
