// Who another mailing reached, from its state: `targetList.exclude: - mailing: october.mailing.yaml`
// leaves out the recipients of October (with `status: sent`, the default: those it reached; `failed`:
// those it did not — failed, or bounced later; `any`: every recipient it has). Read from that
// mailing's journal (the outcomes) and snapshot plus resends (the addresses), and kept while their
// files are unchanged: the confirm model asks on every validation of a mailing that names it.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { addressKey } from '../load/addresses';
import type { ExcludeStatus, MailingRecipientsResult, OtherMailings } from '../load/targetList';
import type { Recipient } from '../types';
import { readJournalFold } from './journalReader';
import { Progress, Report } from './journalFold';
import { JOURNAL_FILE, SNAPSHOT_FILE, mailingStateDir } from './paths';
import { readSendList } from './sendList';
import { readSnapshot } from './snapshot';


/** The state files a result depends on: a face that watches them re-checks the mailing that excludes it. */
export function mailingStateFiles(stateRoot: string, mailingFile: string): string[] {
  const dir = mailingStateDir(stateRoot, mailingFile);
  return [path.join(dir, JOURNAL_FILE), path.join(dir, SNAPSHOT_FILE)];
}

function stampOf(file: string): string {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}` : '-';
}

interface Known {
  stamps: string;
  result: Promise<MailingRecipientsResult>;
}

/** The addresses (lower-cased) of one mailing, per status; the snapshot's list kept while it is unchanged. */
const known = new Map<string, Known>();
const lists = new Map<string, { stamp: string; recipients: Promise<Recipient[]> }>();

export async function readMailingRecipients(stateRoot: string, mailingFile: string, status: ExcludeStatus): Promise<MailingRecipientsResult> {
  const files = mailingStateFiles(stateRoot, mailingFile);
  const stamps = files.map(stampOf).join('|');
  const key = `${files[0]}\u0000${status}`;
  const cached = known.get(key);
  if (cached?.stamps === stamps) return cached.result;
  const result = compute(path.dirname(files[0]), files[1], status);
  if (known.size >= 200) known.clear();
  known.set(key, { stamps, result });
  return result;
}

async function compute(stateDir: string, snapshotFile: string, status: ExcludeStatus): Promise<MailingRecipientsResult> {
  try {
    const fold = await readJournalFold(stateDir);
    if (fold.confirmedHash === undefined) return { ok: false, problem: 'never-confirmed' };
    const stamp = `${stampOf(snapshotFile)}|${fold.total}`;
    let list = lists.get(stateDir);
    if (list?.stamp !== stamp) {
      list = { stamp, recipients: readSnapshot(stateDir).then((snapshot) => readSendList(stateDir, snapshot, fold)) };
      if (lists.size >= 50) lists.clear();
      lists.set(stateDir, list);
    }
    const recipients = await list.recipients;
    const keys = new Set<string>();
    for (let i = 0; i < recipients.length; i++) {
      const progress = fold.progress[i];
      const bounced = (fold.reports[i] & (Report.Hard | Report.Soft | Report.Failed)) !== 0;
      const reached = progress === Progress.Sent && !bounced;
      if (status === 'any' || (status === 'sent' && reached) || (status === 'failed' && (progress === Progress.Failed || bounced))) keys.add(addressKey(recipients[i].email));
    }
    return { ok: true, keys, count: keys.size };
  } catch (error) {
    lists.delete(stateDir);
    return { ok: false, problem: 'unreadable', detail: error instanceof Error ? error.message : String(error) };
  }
}

/** How the loader reads the mailings a target list excludes (LoadState.otherMailings): from their journals. */
export const OTHER_MAILINGS: OtherMailings = { stateFiles: mailingStateFiles, recipients: readMailingRecipients };
