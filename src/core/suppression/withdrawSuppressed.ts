// The suppression list when a run begins: a mailing confirmed some time ago (scheduled for next week,
// stopped and resumed, resent) may have recipients who were suppressed since — a hard bounce or a
// complaint in another mailing, an unsubscribe imported. Each one still to be sent is taken out
// (`withdrawn`, durable before the engine starts) and counted as suppressed: never mailed.
import type { Recipient } from '../types';
import type { JournalWriter } from '../state/journal';
import type { WithdrawnEvent } from '../state/journalEvents';
import { Progress, type JournalFold } from '../state/journalFold';
import type { SuppressionSet } from './suppressionList';

/** Withdraws the pending and deferred recipients on the suppression list; returns how many. */
export async function withdrawSuppressed(fold: JournalFold, recipients: readonly Recipient[], suppression: SuppressionSet, journal: JournalWriter, now = Date.now()): Promise<number> {
  if (suppression.size === 0) return 0;
  const events: WithdrawnEvent[] = [];
  for (let i = 0; i < fold.total; i++) {
    const progress = fold.progress[i];
    if (progress !== Progress.Pending && progress !== Progress.Deferred) continue;
    const entry = suppression.get(recipients[i].email);
    if (entry) events.push({ e: 'withdrawn', t: now, i, r: `suppressed: ${entry.reason}${entry.mailing ? ` (${entry.mailing})` : ''}` });
  }
  if (events.length === 0) return 0;
  for (const event of events) fold.apply(event);
  await journal.append(...events);
  return events.length;
}
