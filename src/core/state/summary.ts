// The send state of one mailing as the confirm model needs it: a fold over journal.jsonl (cached and
// advanced incrementally) plus the lease, which tells a live run from a crashed one.
import type { SendStateSummary, Statistics } from '../types';
import { readJournalFold } from './journalReader';
import { readLiveLease } from './lease';
import { readPacePlan } from '../pace/pacePlan';
import { statisticsFromFold, summaryFromFold } from './statistics';

/** `{ status: 'draft' }` when the mailing has no journal (never confirmed). */
export async function readSendStateSummary(stateDir: string): Promise<SendStateSummary> {
  const fold = await readJournalFold(stateDir);
  if (fold.status === 'draft') return { status: 'draft' };
  return summaryFromFold(fold, await readLiveLease(stateDir));
}

/** Full statistics of one mailing's state folder. */
export async function readStatistics(stateDir: string, now = Date.now()): Promise<Statistics> {
  const fold = await readJournalFold(stateDir);
  const [sender, facts] = await Promise.all([readLiveLease(stateDir), fold.status === 'draft' ? undefined : readPacePlan(stateDir)]);
  return statisticsFromFold(fold, sender, now, facts);
}
