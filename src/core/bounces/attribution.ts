// Which mailing and recipient a report is about. First by a VERP return path (the address the report
// was sent to names the mailing's tag and the recipient's index), else by the Message-ID of the
// returned original (`<token.index@domain>`, render/messageId.ts). Both give a mailing and an index;
// the lookup passed in — the caller knows the mailings of the workspace — confirms them and names
// the recipient. Nothing here reads the state on disk.
//
// Our messages have one recipient each, so a report names that recipient — or, when the receiving
// server forwarded or expanded an alias, the addresses the mail went on to. Each failed or delayed
// entry is therefore given to: the anchored recipient when its address (or Original-Recipient) is
// that recipient's; else another recipient of the same mailing with that address (a report about
// a message sent to several); else the anchored recipient when the entry is the report's only one
// (an address changed on the way). What is left is returned as unattributed. A recipient whose mail
// went to several destinations counts as the least severe of them: an alias is not dead while one
// of its mailboxes takes mail.
import { parseMessageId } from '../render/messageId';
import type { BounceReport } from './bounceReport';
import type { RecipientOutcome, ReportedRecipient } from './deliveryStatus';
import { mailingTag, parseVerpAddress, type VerpOptions } from './verp';

/** A recipient of a mailing, as the lookup names it. */
export interface RecipientRef {
  /** The caller's name for the mailing (its id, its file). */
  mailing: string;
  index: number;
  email: string;
}

/** What the lookup is asked: a mailing by its tag (and token when known), and a recipient by index or address. */
export interface LookupKey {
  tag: string;
  /** The Message-ID token, when the report quoted the Message-ID (VERP carries only the tag). */
  token?: string;
  index?: number;
  /** Asked instead of `index` for a report entry that names another address of the same mailing. */
  email?: string;
}

export type RecipientLookup = (key: LookupKey) => RecipientRef | undefined | Promise<RecipientRef | undefined>;

export type BounceOutcome = Exclude<RecipientOutcome, 'delivered'> | 'complaint' | 'auto-reply';

export interface BounceEvent {
  recipient: RecipientRef;
  outcome: BounceOutcome;
  /** The status and the server's reply, or the feedback report's type: one line, at most 300 characters. */
  detail: string;
  via: 'verp' | 'message-id';
  /** The report's entries this rests on (none for complaints and automatic replies). */
  entries: ReportedRecipient[];
}

export interface Attribution {
  events: BounceEvent[];
  /** Failed or delayed entries that belong to no recipient. */
  unattributed: ReportedRecipient[];
  /** How the report was tied to its message; undefined when it was not. */
  via?: 'verp' | 'message-id';
}

const SEVERITY: Record<RecipientOutcome, number> = { delivered: 0, delayed: 1, failed: 2, 'soft-bounce': 3, 'hard-bounce': 4 };
export const DETAIL_LENGTH = 300;

function same(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

export function oneLine(text: string, max = DETAIL_LENGTH): string {
  const line = text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function entryDetail(entries: ReportedRecipient[]): string {
  return oneLine(entries.map((entry) => [entry.status, entry.diagnostic].filter(Boolean).join(' ')).filter(Boolean).join(' | '));
}

interface Anchor {
  recipient: RecipientRef;
  tag: string;
  token?: string;
  via: 'verp' | 'message-id';
}

async function anchorOf(report: BounceReport, lookup: RecipientLookup, options: VerpOptions): Promise<Anchor | undefined> {
  for (const address of report.returnPaths) {
    const verp = parseVerpAddress(address, options);
    if (!verp) continue;
    const recipient = await lookup({ tag: verp.tag, index: verp.index });
    if (recipient) return { recipient, tag: verp.tag, via: 'verp' };
  }
  for (const id of report.originalMessageIds) {
    const parts = parseMessageId(id);
    if (!parts) continue;
    const tag = mailingTag(parts.token);
    const recipient = await lookup({ tag, token: parts.token, index: parts.index });
    if (recipient) return { recipient, tag, token: parts.token, via: 'message-id' };
  }
  return undefined;
}

/** Ties a parsed report to the recipients it is about. */
export async function attributeReport(report: BounceReport, lookup: RecipientLookup, options: VerpOptions = {}): Promise<Attribution> {
  const anchor = await anchorOf(report, lookup, options);
  const via = anchor?.via;
  if (report.kind === 'complaint' || report.kind === 'auto-reply') {
    if (!anchor) return { events: [], unattributed: [] };
    const detail =
      report.kind === 'complaint' && report.complaint
        ? oneLine(`Feedback-Type: ${report.complaint.feedbackType}${report.complaint.userAgent ? `; User-Agent: ${report.complaint.userAgent}` : ''}`)
        : oneLine(report.subject ?? '');
    return { events: [{ recipient: anchor.recipient, outcome: report.kind, detail, via: anchor.via, entries: [] }], unattributed: [], via };
  }
  const entries = report.recipients.filter((entry) => entry.action === 'failed' || entry.action === 'delayed');
  if (!anchor || entries.length === 0) return { events: [], unattributed: anchor ? [] : entries, via };

  const byRecipient = new Map<string, { recipient: RecipientRef; entries: ReportedRecipient[] }>();
  const give = (recipient: RecipientRef, entry: ReportedRecipient) => {
    const key = `${recipient.mailing}\u0000${recipient.index}`;
    const group = byRecipient.get(key) ?? { recipient, entries: [] };
    group.entries.push(entry);
    byRecipient.set(key, group);
  };
  const unattributed: ReportedRecipient[] = [];
  for (const entry of entries) {
    const anchored = anchor.recipient;
    if (same(entry.address, anchored.email) || same(entry.originalRecipient, anchored.email)) {
      give(anchored, entry);
      continue;
    }
    let other: RecipientRef | undefined;
    for (const email of [entry.originalRecipient, entry.address]) {
      if (!email) continue;
      other = await lookup({ tag: anchor.tag, token: anchor.token, email });
      if (other) break;
    }
    if (other) give(other, entry);
    else if (entries.length === 1) give(anchored, entry);
    else unattributed.push(entry);
  }

  const events: BounceEvent[] = [];
  for (const { recipient, entries: given } of byRecipient.values()) {
    let outcome = given[0].outcome;
    for (const entry of given) if (SEVERITY[entry.outcome] < SEVERITY[outcome]) outcome = entry.outcome;
    if (outcome === 'delivered') continue;
    events.push({ recipient, outcome, detail: entryDetail(given), via: anchor.via, entries: given });
  }
  return { events, unattributed, via };
}
