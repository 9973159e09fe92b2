// The machine-readable part of a complaint report (ARF, RFC 5965 `message/feedback-report`): a
// mailbox provider's feedback loop telling the sender that its user marked a message as spam. It
// names the complaint's type, and usually the address that complained (Original-Rcpt-To) and the
// envelope sender of the message (Original-Mail-From: our VERP address when VERP is on); some
// providers redact the recipient, which then only the original message's identity can give.
import { HeaderFields } from './headerFields';
import { addressOfField } from './deliveryStatus';

export interface Complaint {
  /** abuse, fraud, virus, other, not-spam, auth-failure (RFC 5965, RFC 6591). */
  feedbackType: string;
  userAgent?: string;
  /** The envelope sender of the reported message. */
  originalMailFrom?: string;
  /** The addresses that received it (and complained); empty when redacted. */
  originalRcptTo: string[];
  arrivalDate?: string;
  sourceIp?: string;
  reportedDomain?: string;
}

/** Feedback types that mean "this person does not want this mail". */
const COMPLAINT_TYPES = new Set(['abuse', 'fraud']);

export function isComplaint(complaint: Complaint): boolean {
  return COMPLAINT_TYPES.has(complaint.feedbackType);
}

/** Reads the body of a feedback-report part. */
export function parseFeedbackReport(text: string): Complaint {
  const fields = HeaderFields.parse(text);
  const complaint: Complaint = {
    feedbackType: (fields.get('feedback-type') ?? 'other').toLowerCase().split(/[\s;]/)[0],
    originalRcptTo: fields
      .all('original-rcpt-to')
      .map((value) => addressOfField(value))
      .filter((address): address is string => address !== undefined),
  };
  const from = addressOfField(fields.get('original-mail-from'));
  if (from) complaint.originalMailFrom = from;
  const userAgent = fields.get('user-agent');
  if (userAgent) complaint.userAgent = userAgent;
  const arrivalDate = fields.get('arrival-date') ?? fields.get('received-date');
  if (arrivalDate) complaint.arrivalDate = arrivalDate;
  const sourceIp = fields.get('source-ip');
  if (sourceIp) complaint.sourceIp = sourceIp;
  const reportedDomain = fields.get('reported-domain');
  if (reportedDomain) complaint.reportedDomain = reportedDomain;
  return complaint;
}
