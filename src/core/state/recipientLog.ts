// The per-recipient log (address, outcome, attempts, last SMTP reply, time, Message-ID, bounce,
// complaint, run, why left out) from the snapshot, the resends' added rows and one pass over the
// journal, and its CSV export.
import { createWriteStream } from 'node:fs';
import type { RecipientLogEntry, RecipientOutcome } from '../types';
import { addressDomain } from '../render/headerText';
import { messageIdFor } from '../render/messageId';
import { isRecipientEvent } from './journalEvents';
import { forEachJournalEvent } from './journalReader';
import { JournalFold, Progress, Report } from './journalFold';
import { readSendList } from './sendList';
import { readSnapshot } from './snapshot';

const OUTCOMES: Record<number, RecipientOutcome> = {
  [Progress.Pending]: 'pending',
  [Progress.InFlight]: 'pending',
  [Progress.Sent]: 'sent',
  [Progress.Deferred]: 'deferred',
  [Progress.Failed]: 'failed',
  [Progress.Withdrawn]: 'suppressed',
};

/** What `outcome` a filter names, or one of the reports (`status --csv --status bounced`). */
export type RecipientLogFilter = RecipientOutcome | 'bounced' | 'complained';
export const RECIPIENT_LOG_FILTERS: readonly RecipientLogFilter[] = ['sent', 'failed', 'bounced', 'complained', 'suppressed', 'pending', 'deferred', 'skipped', 'uncertain'];

export function matchesFilter(entry: RecipientLogEntry, filter: RecipientLogFilter): boolean {
  if (filter === 'bounced') return entry.bounce !== undefined;
  if (filter === 'complained') return entry.complained === true;
  return entry.outcome === filter;
}

/**
 * One entry per recipient of the confirmed mailing — the snapshot's, then the rows each resend added
 * — in that order, then the rows of the target list that were left out (skipped: invalid,
 * duplicate, excluded; suppressed), so the log accounts for every row. A recipient that was in
 * flight when its run ended without an outcome (a crash) shows as `uncertain` until it is resent; one
 * taken out before its hand-off (suppressed since confirmation) as `suppressed`.
 */
export async function readRecipientLog(stateDir: string, options: { crashed?: boolean } = {}): Promise<RecipientLogEntry[]> {
  const snapshot = await readSnapshot(stateDir);
  const fold = new JournalFold();
  const replies: (string | undefined)[] = [];
  const reports: (string | undefined)[] = [];
  await forEachJournalEvent(stateDir, (event) => {
    fold.apply(event);
    if (event.e === 'confirmed') {
      replies.length = 0;
      reports.length = 0;
    } else if (isRecipientEvent(event) && 'r' in event && event.e !== 'released') replies[event.i] = event.r;
    else if (event.e === 'bounced' || event.e === 'complained' || event.e === 'withdrawn') reports[event.i] = event.r;
  });
  // The resends' added rows are recipients too; a snapshot the journal did not confirm has only its own.
  const recipients = await readSendList(stateDir, snapshot, fold).catch(() => snapshot.mailing.targetList.recipients);
  const domain = addressDomain(snapshot.mailing.from.email);
  const entries: RecipientLogEntry[] = [];
  for (let i = 0; i < recipients.length; i++) {
    const known = i < fold.total;
    const progress = known ? fold.progress[i] : Progress.Pending;
    let outcome = OUTCOMES[progress] ?? 'pending';
    if (progress === Progress.InFlight && options.crashed) outcome = 'uncertain';
    const entry: RecipientLogEntry = { email: recipients[i].email, outcome, attempts: known ? fold.attempts[i] : 0, index: i };
    if (replies[i] !== undefined) entry.reply = replies[i];
    if (known && fold.recipientAt[i]) entry.at = new Date(fold.recipientAt[i]).toISOString();
    if (entry.attempts > 0) entry.messageId = messageIdFor(snapshot.messageIdToken, i, domain);
    if (known && fold.runOf[i] > 0) entry.run = fold.runOf[i];
    const bits = known ? fold.reports[i] : 0;
    const bounce = bits & Report.Hard ? 'hard' : bits & Report.Soft ? 'soft' : bits & Report.Failed ? 'failed' : undefined;
    if (bounce) entry.bounce = bounce;
    if (bits & Report.Complaint) entry.complained = true;
    if (reports[i] !== undefined && (bounce || bits & Report.Complaint || progress === Progress.Withdrawn)) entry.report = reports[i];
    if (progress === Progress.Withdrawn) entry.reason = 'suppressed';
    if (known && fold.uncertainFlags[i]) entry.uncertain = true;
    entries.push(entry);
  }
  for (const row of snapshot.mailing.targetList.leftOut ?? []) {
    entries.push({ email: row.email, outcome: row.reason === 'suppressed' ? 'suppressed' : 'skipped', attempts: 0, reason: row.reason });
  }
  return entries;
}

// The first six as they always were (scripts read them by position); what bounces, complaints, resends and left-out rows add, after them.
export const RECIPIENT_LOG_COLUMNS = ['email', 'outcome', 'attempts', 'reply', 'at', 'messageId', 'bounce', 'complained', 'report', 'run', 'reason'] as const;

/** A CSV cell: quoted when needed; a leading = + - @ is neutralised so spreadsheets show text, not a formula. */
export function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function recipientLogCsvLines(entries: Iterable<RecipientLogEntry>): Iterable<string> {
  return (function* () {
    yield RECIPIENT_LOG_COLUMNS.join(',') + '\r\n';
    for (const entry of entries) yield RECIPIENT_LOG_COLUMNS.map((column) => csvCell(column === 'complained' ? (entry.complained ? 'yes' : undefined) : entry[column])).join(',') + '\r\n';
  })();
}

/** Writes the log as CSV (RFC 4180, CRLF) to a stream or a file path. */
export async function writeRecipientLogCsv(entries: Iterable<RecipientLogEntry>, target: NodeJS.WritableStream | string): Promise<void> {
  const stream: NodeJS.WritableStream = typeof target === 'string' ? createWriteStream(target) : target;
  for (const line of recipientLogCsvLines(entries)) {
    if (!stream.write(line)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
  if (typeof target === 'string') {
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
  }
}
