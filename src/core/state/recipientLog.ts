// The per-recipient log (address, outcome, attempts, last SMTP reply, time, Message-ID) from the
// snapshot and one pass over the journal, and its CSV export.
import { createWriteStream } from 'node:fs';
import type { RecipientLogEntry, RecipientOutcome } from '../types';
import { addressDomain } from '../render/headerText';
import { messageIdFor } from '../render/messageId';
import { isRecipientEvent } from './journalEvents';
import { forEachJournalEvent } from './journalReader';
import { JournalFold, Progress } from './journalFold';
import { readSnapshot } from './snapshot';

const OUTCOMES: Record<number, RecipientOutcome> = {
  [Progress.Pending]: 'pending',
  [Progress.InFlight]: 'pending',
  [Progress.Sent]: 'sent',
  [Progress.Deferred]: 'deferred',
  [Progress.Failed]: 'failed',
};

/**
 * One entry per recipient of the confirmed snapshot, in target-list order. A recipient that was in
 * flight when its run ended without an outcome (a crash) shows as `uncertain` until it is resent.
 */
export async function readRecipientLog(stateDir: string, options: { crashed?: boolean } = {}): Promise<RecipientLogEntry[]> {
  const snapshot = await readSnapshot(stateDir);
  const fold = new JournalFold();
  const replies: (string | undefined)[] = [];
  await forEachJournalEvent(stateDir, (event) => {
    fold.apply(event);
    if (event.e === 'confirmed') replies.length = 0;
    else if (isRecipientEvent(event) && 'r' in event && event.e !== 'released') replies[event.i] = event.r;
  });
  const recipients = snapshot.mailing.targetList.recipients;
  const domain = addressDomain(snapshot.mailing.from.email);
  const entries: RecipientLogEntry[] = [];
  for (let i = 0; i < recipients.length; i++) {
    const progress = i < fold.total ? fold.progress[i] : Progress.Pending;
    let outcome = OUTCOMES[progress];
    if (progress === Progress.InFlight && options.crashed) outcome = 'uncertain';
    const entry: RecipientLogEntry = { email: recipients[i].email, outcome, attempts: i < fold.total ? fold.attempts[i] : 0 };
    if (replies[i] !== undefined) entry.reply = replies[i];
    if (i < fold.total && fold.recipientAt[i]) entry.at = new Date(fold.recipientAt[i]).toISOString();
    if (entry.attempts > 0) entry.messageId = messageIdFor(snapshot.messageIdToken, i, domain);
    entries.push(entry);
  }
  return entries;
}

export const RECIPIENT_LOG_COLUMNS = ['email', 'outcome', 'attempts', 'reply', 'at', 'messageId'] as const;

/** A CSV cell: quoted when needed; a leading = + - @ is neutralised so spreadsheets show text, not a formula. */
export function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function recipientLogCsvLines(entries: Iterable<RecipientLogEntry>): Iterable<string> {
  return (function* () {
    yield RECIPIENT_LOG_COLUMNS.join(',') + '\r\n';
    for (const entry of entries) yield RECIPIENT_LOG_COLUMNS.map((column) => csvCell(entry[column])).join(',') + '\r\n';
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
