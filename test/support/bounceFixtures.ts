// The mailings the bounce samples in test/fixtures/bounces/ are about, a lookup over them (what
// the lead's wiring will build from the snapshots of a workspace), and what each sample must come
// out as. Shared by the unit tests of the parsers and the integration tests of the IMAP poller.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { LookupKey, RecipientLookup, RecipientRef } from '../../src/core/bounces/attribution';
import type { BounceOutcome } from '../../src/core/bounces/attribution';
import type { ReportFormat, ReportKind } from '../../src/core/bounces/bounceReport';
import { mailingTag } from '../../src/core/bounces/verp';

export const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'bounces');

interface TestMailing {
  id: string;
  token: string;
  recipients: Record<number, string>;
}

/** A: VERP through the company's Postfix relay. B: Google Workspace relay, C: Office 365, D: Outlook.com (no VERP). */
export const MAILINGS: TestMailing[] = [
  {
    id: 'november-newsletter',
    token: 'mi4x8k2p.3f9a1c7e2b4d',
    recipients: {
      17: 'piet@klant.example',
      42: 'sanne.deboer@gemeente-example.nl',
      61: 'klaas.dekker@yahoo.com',
      88: 'm.visser@oudeschool.example',
      230: 'info@shop.example',
      312: 'lotte@boekhuis-west.example',
      4021: 'jeroen@vereniging.example',
    },
  },
  { id: 'december-offers', token: 'mi5c0q7d.91b2e6f04a3c', recipients: { 9: 'hendrik@dorpshuis.example', 100: 'piet.jansen@gmail.com' } },
  { id: 'leesavond-december', token: 'mi6a2r9b.5c8d0e1f2a3b', recipients: { 0: 'jan.devries@fabrikam.example' } },
  { id: 'leesclub-december', token: 'mi7b3s1c.0d4e6f8a9b1c', recipients: { 3: 'fenna.smit@hotmail.com' } },
];

/** Answers as a workspace's lookup would: by tag (and token when given), then by index or address. */
export function makeLookup(mailings: TestMailing[] = MAILINGS, asked: LookupKey[] = []): RecipientLookup {
  return (key) => {
    asked.push(key);
    const mailing = mailings.find((m) => mailingTag(m.token) === key.tag && (key.token === undefined || key.token === m.token));
    if (!mailing) return undefined;
    const entries = Object.entries(mailing.recipients).map(([index, email]) => ({ index: Number(index), email }));
    const found =
      key.index !== undefined ? entries.find((e) => e.index === key.index) : key.email !== undefined ? entries.find((e) => e.email.toLowerCase() === key.email!.toLowerCase()) : undefined;
    return found ? ({ mailing: mailing.id, index: found.index, email: found.email } satisfies RecipientRef) : undefined;
  };
}

export interface ExpectedSample {
  file: string;
  kind: ReportKind;
  format: ReportFormat;
  /** How it is tied to its message; undefined: it is not. */
  via?: 'verp' | 'message-id';
  events: { mailing: string; index: number; outcome: BounceOutcome }[];
  /** The recipient addresses the report names, with each one's own outcome. */
  recipients: { address: string; outcome: string; status?: string }[];
}

export const SAMPLES: ExpectedSample[] = [
  {
    file: 'postfix-user-unknown-verp.eml',
    kind: 'bounce',
    format: 'rfc3464',
    via: 'verp',
    events: [{ mailing: 'november-newsletter', index: 17, outcome: 'hard-bounce' }],
    recipients: [{ address: 'piet@klant.example', outcome: 'hard-bounce', status: '5.1.1' }],
  },
  {
    file: 'postfix-alias-several-recipients.eml',
    kind: 'bounce',
    format: 'rfc3464',
    via: 'verp',
    // An alias whose three destinations failed, one of them only because its mailbox is full: the
    // alias itself is soft-bounced, not dead.
    events: [{ mailing: 'november-newsletter', index: 230, outcome: 'soft-bounce' }],
    recipients: [
      { address: 'anna@shop.example', outcome: 'hard-bounce', status: '5.1.1' },
      { address: 'bob@shop.example', outcome: 'soft-bounce', status: '5.2.2' },
      { address: 'carol@old-shop.example', outcome: 'hard-bounce', status: '5.1.1' },
    ],
  },
  {
    file: 'postfix-delayed.eml',
    kind: 'delay',
    format: 'rfc3464',
    via: 'verp',
    events: [{ mailing: 'november-newsletter', index: 312, outcome: 'delayed' }],
    recipients: [{ address: 'lotte@boekhuis-west.example', outcome: 'delayed', status: '4.4.1' }],
  },
  {
    file: 'exim-dsn-status-5.0.0.eml',
    kind: 'bounce',
    format: 'rfc3464',
    via: 'verp',
    events: [{ mailing: 'november-newsletter', index: 4021, outcome: 'hard-bounce' }],
    recipients: [{ address: 'jeroen@vereniging.example', outcome: 'hard-bounce', status: '5.0.0' }],
  },
  {
    file: 'qmail-no-mailbox.eml',
    kind: 'bounce',
    format: 'qmail',
    via: 'verp',
    events: [{ mailing: 'november-newsletter', index: 88, outcome: 'hard-bounce' }],
    recipients: [{ address: 'm.visser@oudeschool.example', outcome: 'hard-bounce', status: '5.1.1' }],
  },
  {
    file: 'arf-abuse-yahoo.eml',
    kind: 'complaint',
    format: 'rfc5965',
    via: 'verp',
    events: [{ mailing: 'november-newsletter', index: 61, outcome: 'complaint' }],
    recipients: [],
  },
  {
    file: 'out-of-office-exchange.eml',
    kind: 'auto-reply',
    format: 'auto-reply',
    via: 'verp',
    events: [{ mailing: 'november-newsletter', index: 42, outcome: 'auto-reply' }],
    recipients: [],
  },
  {
    file: 'gmail-address-not-found.eml',
    kind: 'bounce',
    format: 'rfc3464',
    via: 'message-id',
    events: [{ mailing: 'december-offers', index: 100, outcome: 'hard-bounce' }],
    recipients: [{ address: 'piet.jansen@gmail.com', outcome: 'hard-bounce', status: '5.1.1' }],
  },
  {
    file: 'exim-plain-message-id-only.eml',
    kind: 'bounce',
    format: 'exim',
    via: 'message-id',
    events: [{ mailing: 'december-offers', index: 9, outcome: 'hard-bounce' }],
    recipients: [{ address: 'hendrik@dorpshuis.example', outcome: 'hard-bounce', status: '5.1.1' }],
  },
  {
    file: 'office365-recipient-not-found.eml',
    kind: 'bounce',
    format: 'rfc3464',
    via: 'message-id',
    events: [{ mailing: 'leesavond-december', index: 0, outcome: 'hard-bounce' }],
    recipients: [{ address: 'jan.devries@fabrikam.example', outcome: 'hard-bounce', status: '5.1.10' }],
  },
  {
    file: 'outlook-com-mailbox-full.eml',
    kind: 'bounce',
    format: 'rfc3464',
    via: 'message-id',
    events: [{ mailing: 'leesclub-december', index: 3, outcome: 'soft-bounce' }],
    recipients: [{ address: 'fenna.smit@hotmail.com', outcome: 'soft-bounce', status: '5.2.2' }],
  },
  {
    // A bounce for a mailing of another workspace sharing the mailbox: VERP tag and Message-ID unknown here.
    file: 'unattributable-other-workspace.eml',
    kind: 'bounce',
    format: 'rfc3464',
    events: [],
    recipients: [{ address: 'wim@eenmanszaak.example', outcome: 'hard-bounce', status: '5.1.1' }],
  },
];

export async function readSample(file: string): Promise<Buffer> {
  return fs.readFile(path.join(FIXTURES, file));
}
