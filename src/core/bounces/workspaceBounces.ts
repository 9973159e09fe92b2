// Bounce reports for the mailings of one workspace: the lookup the mailbox poller attributes with (a
// mailing by its VERP tag or Message-ID token, from every snapshot under `<stateRoot>/mailings/`;
// a recipient by index or address, from its send list) and what a report does once attributed —
// the same as a send-time bounce (sendTime.ts): a hard bounce or a complaint suppresses the address,
// a soft bounce is counted (SoftBounces), and each is journaled in its mailing (`bounced` /
// `complained`, one O_APPEND line beside a sender that may be running). The suppression list comes
// first: killed in between, the next poll hands the message over again, and both steps are
// idempotent per address and mailing.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { addressKey } from '../load/addresses';
import type { Recipient } from '../types';
import { appendJournalBeside } from '../state/journal';
import type { BouncedEvent, ComplainedEvent } from '../state/journalEvents';
import { foldJournal } from '../state/journalReader';
import { readSendList } from '../state/sendList';
import { readSnapshot } from '../state/snapshot';
import { SoftBounces } from '../suppression/softBounces';
import { SuppressionList } from '../suppression/suppressionList';
import type { BounceEvent, LookupKey, RecipientLookup, RecipientRef } from './attribution';
import type { BounceNotice } from './mailboxPoller';
import { mailingTag } from '../render/verp';

interface KnownMailing {
  /** Its state folder's name: the mailing's id in the suppression list and in RecipientRef. */
  id: string;
  token: string;
  tag: string;
  recipients: () => Promise<Recipient[]>;
}

/** Every confirmed mailing of the state root (those with a readable snapshot). */
async function knownMailings(stateRoot: string): Promise<KnownMailing[]> {
  const root = path.join(stateRoot, 'mailings');
  let names: string[];
  try {
    names = await fs.readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found: KnownMailing[] = [];
  for (const id of names) {
    const stateDir = path.join(root, id);
    let snapshot: Awaited<ReturnType<typeof readSnapshot>>;
    try {
      snapshot = await readSnapshot(stateDir);
    } catch {
      continue; // never confirmed (a test only), or unreadable: no report can be about it
    }
    let list: Promise<Recipient[]> | undefined;
    const recipients = () => (list ??= foldJournal(stateDir).then((fold) => readSendList(stateDir, snapshot, fold)));
    found.push({ id, token: snapshot.messageIdToken, tag: mailingTag(snapshot.messageIdToken), recipients });
  }
  return found;
}

/** The poller's lookup over the workspace's mailings. */
export async function workspaceLookup(stateRoot: string): Promise<RecipientLookup> {
  const mailings = await knownMailings(stateRoot);
  return async (key: LookupKey): Promise<RecipientRef | undefined> => {
    const mailing = mailings.find((m) => (key.token !== undefined ? m.token === key.token : m.tag === key.tag));
    if (!mailing) return undefined;
    const recipients = await mailing.recipients();
    if (key.index !== undefined) {
      const recipient = recipients[key.index];
      return recipient ? { mailing: mailing.id, index: key.index, email: recipient.email } : undefined;
    }
    if (key.email === undefined) return undefined;
    const wanted = addressKey(key.email);
    const index = recipients.findIndex((r) => addressKey(r.email) === wanted);
    return index < 0 ? undefined : { mailing: mailing.id, index, email: recipients[index].email };
  };
}

export interface AppliedCounts {
  suppressed: number;
  softCounted: number;
  journaled: number;
}

/** Applies one attributed report: suppression (or soft-bounce count) first, then its journal line. */
export interface ApplyOptions {
  now?: () => number;
  /** Soft bounces, in as many mailings, that suppress an address (default 5). */
  softBounceLimit?: number;
}

export async function applyBounceNotice(stateRoot: string, notice: BounceNotice, counts: AppliedCounts, options: ApplyOptions = {}): Promise<void> {
  const now = options.now ?? Date.now;
  const suppression = new SuppressionList(stateRoot);
  const softBounces = new SoftBounces(stateRoot, suppression, { limit: options.softBounceLimit });
  for (const event of notice.attribution.events) await applyEvent(stateRoot, event, suppression, softBounces, counts, now);
}

async function applyEvent(stateRoot: string, event: BounceEvent, suppression: SuppressionList, softBounces: SoftBounces, counts: AppliedCounts, now: () => number): Promise<void> {
  const { recipient, detail, via } = event;
  const stateDir = path.join(stateRoot, 'mailings', recipient.mailing);
  let line: BouncedEvent | ComplainedEvent | undefined;
  switch (event.outcome) {
    case 'hard-bounce':
      counts.suppressed += (await suppression.add([{ address: recipient.email, reason: 'hard-bounce', mailing: recipient.mailing, detail }])).added.length;
      line = { e: 'bounced', t: now(), i: recipient.index, k: 'hard', r: detail, via };
      break;
    case 'soft-bounce':
      await softBounces.record({ address: recipient.email, mailing: recipient.mailing, detail });
      counts.softCounted++;
      line = { e: 'bounced', t: now(), i: recipient.index, k: 'soft', r: detail, via };
      break;
    case 'failed':
      line = { e: 'bounced', t: now(), i: recipient.index, k: 'failed', r: detail, via };
      break;
    case 'complaint':
      counts.suppressed += (await suppression.add([{ address: recipient.email, reason: 'complaint', mailing: recipient.mailing, detail }])).added.length;
      line = { e: 'complained', t: now(), i: recipient.index, r: detail, via };
      break;
    default:
      return; // a delay or an automatic reply: nothing about the address to act on
  }
  await appendJournalBeside(stateDir, `bounce poller (pid ${process.pid})`, line);
  counts.journaled++;
}
