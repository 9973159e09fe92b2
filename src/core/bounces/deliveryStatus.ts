// The machine-readable part of a delivery status notification (RFC 3464 `message/delivery-status`,
// or RFC 6533 `message/global-delivery-status`): one group of per-message fields, then a group per
// recipient with its Final-Recipient, Action, Status and (often) the remote server's reply.
//
// What MTAs really write differs from the RFC in ways that matter here: Exim reports every failure
// as `Status: 5.0.0` and puts the meaning only in the Diagnostic-Code; Gmail writes the diagnostic
// without its code; Postfix writes `X-Postfix;` diagnostics for local failures. So the status used
// for classification is the more specific of the two.
import { HeaderFields, parseFieldGroups } from './headerFields';
import { classifySmtpReply, finalOutcome, parseSmtpReply, type ReplyClassification } from './smtpReply';

export type RecipientAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';

/** What a report says happened to one recipient. */
export type RecipientOutcome = 'hard-bounce' | 'soft-bounce' | 'failed' | 'delayed' | 'delivered';

export interface ReportedRecipient {
  /** The address the report names (Final-Recipient, or the address a plain-text bounce lists). */
  address: string;
  /** Original-Recipient: the address as it was sent to, when forwarding or an alias changed it. */
  originalRecipient?: string;
  action: RecipientAction;
  /** The enhanced status (5.1.1), when the report gives one. */
  status?: string;
  /** The remote server's reply or the MTA's explanation, one line. */
  diagnostic?: string;
  remoteMta?: string;
  /** How the status and diagnostic read (failed and delayed recipients only). */
  classification?: ReplyClassification;
  outcome: RecipientOutcome;
}

export interface DeliveryStatus {
  reportingMta?: string;
  arrivalDate?: string;
  /** Gmail writes the original's Message-ID into the per-message fields. */
  originalMessageId?: string;
  recipients: ReportedRecipient[];
}

const ACTIONS = new Set<RecipientAction>(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);

/** `rfc822; Jan@Example.NL` -> `Jan@Example.NL`; `<a@b>` -> `a@b`. */
export function addressOfField(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let address = value.replace(/^[\w-]+\s*;\s*/, '').trim();
  const angle = /<([^<>]+)>/.exec(address);
  if (angle) address = angle[1].trim();
  address = address.replace(/\s*\(.*\)$/, '').trim();
  return address.includes('@') ? address : undefined;
}

/** The status field without comments: `5.1.1 (bad destination mailbox address)` -> `5.1.1`. */
function statusOf(value: string | undefined): string | undefined {
  const match = value ? /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(value) : null;
  return match ? `${match[1]}.${Number(match[2])}.${Number(match[3])}` : undefined;
}

function isGeneric(status: string | undefined): boolean {
  return status === undefined || /^\d\.0\.0$/.test(status);
}

/** Classifies one recipient's Action, Status and diagnostic. */
export function recipientOutcome(action: RecipientAction, status: string | undefined, diagnostic: string | undefined): Pick<ReportedRecipient, 'classification' | 'outcome'> {
  if (action !== 'failed' && action !== 'delayed') return { outcome: 'delivered' };
  const reply = parseSmtpReply(diagnostic ?? '');
  const enhanced = isGeneric(status) && !isGeneric(reply.enhanced) ? reply.enhanced : (status ?? reply.enhanced);
  const classification = classifySmtpReply({ ...reply, enhanced }, { severity: action === 'failed' ? 'permanent' : 'temporary' });
  if (action === 'delayed') return { classification, outcome: 'delayed' };
  // A failed recipient whose reply was temporary: the MTA retried until it gave up (4xx exhausted).
  return { classification, outcome: finalOutcome(classification) };
}

/** Reads the body of a delivery-status part. */
export function parseDeliveryStatus(text: string): DeliveryStatus {
  const groups = parseFieldGroups(text);
  const result: DeliveryStatus = { recipients: [] };
  for (const group of groups) {
    if (!group.has('final-recipient') && !group.has('original-recipient')) {
      result.reportingMta ??= group.get('reporting-mta')?.replace(/^dns\s*;\s*/i, '');
      result.arrivalDate ??= group.get('arrival-date');
      result.originalMessageId ??= group.get('x-original-message-id');
      continue;
    }
    const recipient = recipientOf(group);
    if (recipient) result.recipients.push(recipient);
  }
  return result;
}

function recipientOf(group: HeaderFields): ReportedRecipient | undefined {
  const final = addressOfField(group.get('final-recipient'));
  const original = addressOfField(group.get('original-recipient'));
  const address = final ?? original;
  if (!address) return undefined;
  const actionText = (group.get('action') ?? '').toLowerCase().split(/[\s(;]/)[0];
  const status = statusOf(group.get('status'));
  // No Action: a failure when the status says so (a careless report), else unknown → delayed.
  const action: RecipientAction = ACTIONS.has(actionText as RecipientAction)
    ? (actionText as RecipientAction)
    : status?.startsWith('5')
      ? 'failed'
      : status?.startsWith('2')
        ? 'delivered'
        : 'delayed';
  const diagnostic = group.get('diagnostic-code');
  const recipient: ReportedRecipient = { address, action, ...recipientOutcome(action, status, diagnostic) };
  if (original && original.toLowerCase() !== address.toLowerCase()) recipient.originalRecipient = original;
  if (status) recipient.status = status;
  if (diagnostic) recipient.diagnostic = diagnostic;
  const remote = group.get('remote-mta')?.replace(/^dns\s*;\s*/i, '');
  if (remote) recipient.remoteMta = remote;
  return recipient;
}
