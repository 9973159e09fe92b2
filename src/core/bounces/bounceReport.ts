// One message from the bounce mailbox, read for what it reports: a bounce or delay (RFC 3464
// delivery status notification, or the plain text of an MTA that writes none), a complaint (RFC
// 5965 ARF), an automatic reply (no bounce), or something else. Also gathered: everything that can
// tie the report to the message it is about — the addresses it was sent to (a VERP return path) and
// the Message-IDs of the returned original. Which mailing and recipient that is, attribution.ts
// decides. mailparser reads the MIME structure; the report parts are read by their own modules.
import type { Attachment } from 'mailparser';
import type * as Mailparser from 'mailparser';
import { isAutoReply } from './autoReply';
import { parseDeliveryStatus, type ReportedRecipient } from './deliveryStatus';
import { isComplaint, parseFeedbackReport, type Complaint } from './feedbackReport';
import { HeaderFields, headerBlock, messageIdsIn } from './headerFields';
import { parsePlainBounce, type PlainFormat } from './plainBounce';

export type ReportKind = 'bounce' | 'delay' | 'complaint' | 'auto-reply' | 'other';
export type ReportFormat = 'rfc3464' | 'rfc5965' | PlainFormat | 'auto-reply' | 'unrecognised';

export interface OriginalMessage {
  messageId?: string;
  returnPath?: string;
  from?: string;
  to?: string;
  subject?: string;
}

export interface BounceReport {
  kind: ReportKind;
  format: ReportFormat;
  /** The report's own Message-ID, Date, From and Subject. */
  messageId?: string;
  date?: string;
  from?: string;
  subject?: string;
  /** Each recipient the report speaks of (bounces and delays). */
  recipients: ReportedRecipient[];
  /** The ARF fields (complaints and other feedback reports). */
  complaint?: Complaint;
  /** The returned message's identity, when the report includes it or its headers. */
  original?: OriginalMessage;
  /** Addresses the report was sent to or names as the envelope sender: where a VERP address shows. */
  returnPaths: string[];
  /** Message-IDs of the reported message, most reliable first. */
  originalMessageIds: string[];
}

const DSN_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const FEEDBACK_TYPES = new Set(['message/feedback-report']);
const MESSAGE_TYPES = new Set(['message/rfc822', 'message/global']);
const HEADERS_TYPES = new Set(['text/rfc822-headers', 'message/global-headers']);

const ADDRESSES = /[^\s<>()"',;:[\]]+@[^\s<>()"',;:[\]]+/g;
const DAEMON_FROM = /\b(mailer-daemon|mailer_daemon|maildaemon|mail-daemon|postmaster)@|mail delivery (system|subsystem)|microsoftexchange[0-9a-f]{32}@/i;
const BOUNCE_SUBJECT =
  /undeliver|undelivered|delivery (status notification|failure|failed|has failed|problem|notification)|mail delivery failed|returned mail|failure notice|could not be delivered|non remis|unzustellbar|onbestelbaar|niet bezorgd|warning: message .* delayed|delayed mail/i;

function addressesIn(values: string[]): string[] {
  return values.flatMap((value) => [...value.matchAll(ADDRESSES)].map((match) => match[0].toLowerCase()));
}

function originalOf(fields: HeaderFields): OriginalMessage {
  const original: OriginalMessage = {};
  const messageId = messageIdsIn(fields.get('message-id'))[0];
  if (messageId) original.messageId = messageId;
  const returnPath = addressesIn(fields.all('return-path'))[0];
  if (returnPath) original.returnPath = returnPath;
  for (const key of ['from', 'to', 'subject'] as const) {
    const value = fields.get(key);
    if (value) original[key] = value;
  }
  return original;
}

function unique(values: (string | undefined)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    if (!value || seen.has(value)) continue;
    seen.add(value);
    out.push(value);
  }
  return out;
}

function kindOf(recipients: ReportedRecipient[]): ReportKind {
  if (recipients.some((r) => r.action === 'failed')) return 'bounce';
  if (recipients.some((r) => r.action === 'delayed')) return 'delay';
  return 'other';
}

function textOf(attachment: Attachment): string {
  return attachment.content.toString('utf8');
}

let mailparser: typeof Mailparser | undefined;

/** mailparser, loaded on first use: it and its MIME libraries are bundled apart (esbuild.mjs: LAZY_MODULES), not parsed by every start-up. */
function loadMailparser(): typeof Mailparser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above)
  mailparser ??= require('mailparser') as typeof Mailparser;
  return mailparser;
}

/** Reads one message of the bounce mailbox (its raw RFC 5322 source). */
export async function parseBounceMessage(source: Buffer | string): Promise<BounceReport> {
  const parsed = await loadMailparser().simpleParser(source, {
    keepDeliveryStatus: true, // the delivery-status part as a part of its own, not folded into the text
    ignoreEmbedded: true, // the returned message as a part, not merged into the report's text
    skipHtmlToText: false,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
  });
  const headers = HeaderFields.parse(parsed.headerLines.map((header) => header.line).join('\n'));
  const subject = parsed.subject ?? '';
  const text = parsed.text ?? '';

  let dsnText: string | undefined;
  let feedbackText: string | undefined;
  let originalHeaders: string | undefined;
  for (const attachment of parsed.attachments) {
    const type = attachment.contentType.toLowerCase();
    if (DSN_TYPES.has(type)) dsnText ??= textOf(attachment);
    else if (FEEDBACK_TYPES.has(type)) feedbackText ??= textOf(attachment);
    else if (MESSAGE_TYPES.has(type) || HEADERS_TYPES.has(type)) originalHeaders ??= headerBlock(textOf(attachment));
  }

  let kind: ReportKind = 'other';
  let format: ReportFormat = 'unrecognised';
  let recipients: ReportedRecipient[] = [];
  let complaint: Complaint | undefined;
  let dsnMessageId: string | undefined;
  let dsnSender: string | undefined;
  const failedHeader = headers.all('x-failed-recipients').flatMap((value) => value.split(','));

  if (dsnText !== undefined) {
    const status = parseDeliveryStatus(dsnText);
    recipients = status.recipients;
    dsnMessageId = messageIdsIn(status.originalMessageId)[0];
    dsnSender = HeaderFields.parse(dsnText).get('x-postfix-sender');
    format = 'rfc3464';
    if (recipients.length === 0) {
      // A delivery-status part that names nobody: the text may.
      const plain = parsePlainBounce(text, failedHeader);
      if (plain) {
        recipients = plain.recipients;
        originalHeaders ??= plain.quotedHeaders;
      }
    }
    kind = kindOf(recipients);
  } else if (feedbackText !== undefined) {
    complaint = parseFeedbackReport(feedbackText);
    format = 'rfc5965';
    kind = isComplaint(complaint) ? 'complaint' : 'other';
  } else {
    const from = headers.get('from') ?? '';
    const looksLikeBounce = DAEMON_FROM.test(from) || failedHeader.length > 0 || BOUNCE_SUBJECT.test(subject);
    const plain = looksLikeBounce ? parsePlainBounce(text, failedHeader) : undefined;
    if (plain && plain.recipients.length > 0) {
      recipients = plain.recipients;
      originalHeaders ??= plain.quotedHeaders;
      format = plain.format;
      kind = kindOf(recipients);
    } else if (isAutoReply(headers, subject)) {
      format = 'auto-reply';
      kind = 'auto-reply';
    }
  }

  const originalFields = originalHeaders !== undefined ? HeaderFields.parse(originalHeaders) : undefined;
  const original = originalFields ? originalOf(originalFields) : undefined;
  // Message-IDs quoted in the text: the returned headers of a plain bounce, when no marker set them apart.
  const quotedIds = [...text.matchAll(/^\s*Message-ID:\s*(<[^<>\s]+@[^<>\s]+>)/gim)].map((match) => match[1]);

  const report: BounceReport = {
    kind,
    format,
    recipients,
    returnPaths: unique([
      ...addressesIn([
        ...headers.all('x-original-to'),
        ...headers.all('delivered-to'),
        ...headers.all('envelope-to'),
        ...headers.all('x-envelope-to'),
        ...headers.all('to'),
      ]),
      ...addressesIn(complaint?.originalMailFrom ? [complaint.originalMailFrom] : []),
      ...addressesIn(dsnSender ? [dsnSender] : []),
      original?.returnPath,
    ]),
    originalMessageIds: unique([
      original?.messageId,
      dsnMessageId,
      // An automatic reply's In-Reply-To is the message it answers; so is an NDR's (Exchange sets it).
      ...messageIdsIn(headers.get('in-reply-to')),
      ...messageIdsIn(headers.get('references')).reverse(),
      ...quotedIds,
    ]),
  };
  const messageId = messageIdsIn(headers.get('message-id'))[0];
  if (messageId) report.messageId = messageId;
  if (parsed.date) report.date = parsed.date.toISOString();
  const from = parsed.from?.value[0]?.address;
  if (from) report.from = from;
  if (subject) report.subject = subject;
  if (complaint) report.complaint = complaint;
  if (original && Object.keys(original).length > 0) report.original = original;
  return report;
}
