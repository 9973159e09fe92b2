// A mailing prepared for rendering: templates compiled, the text part derived, attachments read and the
// headers that are the same for everyone built ONCE; then `personalize` fills in one recipient.
// Both the nodemailer renderer and a faster one (issue 7) start from this.
import { promises as fs } from 'node:fs';
import type { Address, Recipient, ResolvedMailing } from '../types';
import { addressDomain, cleanAddress, headerText, headerUrl, slug } from './headerText';
import { htmlModelKey, htmlWithCidImages } from './inlineImages';
import { compileTemplate, escapeHtml, escapeLinkStart, fillTemplate, urlFieldPlaces, urlTemplateEncodedIndexes, type CompiledTemplate } from './merge';
import { recipientHeaders, type PersonalizeOptions } from './recipientHeaders';
import { htmlToTextTemplate, safeTextLink, type TextTemplate } from './textPart';

export interface PreparedAttachment {
  filename: string;
  content: Buffer;
}

/** A local image of the HTML as an inline part: its Content-ID (without brackets) beside its bytes. */
export interface PreparedInlineImage extends PreparedAttachment {
  cid: string;
}

export interface PreparedMailing {
  mailing: ResolvedMailing;
  from: Address;
  replyTo?: Address;
  /** ASCII domain of the From address (Message-IDs, List-Id). */
  domain: string;
  /** MAIL FROM: the bounce address, or the From address. */
  envelopeFrom: string;
  messageIdToken: string;
  subject: CompiledTemplate;
  /** `urlFields` inside URLs (URL-encoded), `linkStarts` at the start of one (safe links only: merge.ts). */
  html?: { template: CompiledTemplate; urlFields: Set<number>; linkStarts: Set<number> };
  text: TextTemplate;
  unsubscribeUrl?: { template: CompiledTemplate; encoded: Set<number> };
  unsubscribeMailto?: string;
  attachments: PreparedAttachment[];
  /** The HTML's local images, each in every message as an inline part of a multipart/related (only with an HTML part). */
  inlineImages: PreparedInlineImage[];
  /** Headers every message carries (List-Id, Feedback-ID, Precedence…), values already safe. */
  constantHeaders: Record<string, string>;
}

export interface PrepareOptions {
  /** Message-ID token of the confirmed snapshot (a test send makes its own). */
  messageIdToken: string;
}

/** Fields of a plain-text template that stand inside a URL (`https://…{{email}}`, `mailto:…`). */
function textUrlFields(text: string, template: CompiledTemplate): Set<number> {
  const inUrl = new Set<number>();
  template.fields.forEach((field, k) => {
    const before = text.slice(Math.max(0, field.offset - 2000), field.offset);
    const word = before.slice(Math.max(before.lastIndexOf(' '), before.lastIndexOf('\n'), before.lastIndexOf('\t'), before.lastIndexOf('<'), before.lastIndexOf('(')) + 1);
    if (/^(https?:\/\/|mailto:)\S/i.test(word)) inUrl.add(k);
  });
  return inUrl;
}

export async function prepareMailing(mailing: ResolvedMailing, options: PrepareOptions): Promise<PreparedMailing> {
  const fromEmail = cleanAddress(mailing.from.email);
  if (!fromEmail) throw new Error(`the From address '${mailing.from.email}' is not an address`);
  const from: Address = { name: mailing.from.name ? headerText(mailing.from.name) : undefined, email: fromEmail };
  let replyTo: Address | undefined;
  if (mailing.replyTo) {
    const email = cleanAddress(mailing.replyTo.email);
    if (email) replyTo = { name: mailing.replyTo.name ? headerText(mailing.replyTo.name) : undefined, email };
  }
  const bounce = mailing.sending.bounceAddress ? cleanAddress(mailing.sending.bounceAddress) : undefined;
  const domain = addressDomain(fromEmail);

  let html: PreparedMailing['html'];
  let inlineImages: PreparedInlineImage[] = [];
  // Local images are addressed by Content-ID in the HTML of every message.
  const htmlSource = mailing.html?.source ? htmlWithCidImages(mailing.html.source, htmlModelKey(mailing.file, mailing.html.file), mailing.images ?? []) : undefined;
  if (htmlSource) {
    const template = compileTemplate(htmlSource);
    const places = urlFieldPlaces(htmlSource, template);
    html = { template, urlFields: places.inside, linkStarts: places.start };
    inlineImages = await Promise.all(
      (mailing.images ?? []).map(async (image) => ({ filename: headerText(image.filename), content: await fs.readFile(image.path), cid: image.cid })),
    );
  }
  let text: TextTemplate;
  if (mailing.text?.source) {
    const template = compileTemplate(mailing.text.source);
    text = { template, urlFields: textUrlFields(mailing.text.source, template), linkStarts: new Set() };
  } else if (htmlSource) {
    text = htmlToTextTemplate(htmlSource);
  } else {
    text = { template: compileTemplate(''), urlFields: new Set(), linkStarts: new Set() };
  }

  let unsubscribeUrl: PreparedMailing['unsubscribeUrl'];
  if (mailing.unsubscribe.url) {
    const template = compileTemplate(mailing.unsubscribe.url.trim());
    unsubscribeUrl = { template, encoded: urlTemplateEncodedIndexes(template) };
  }
  let unsubscribeMailto: string | undefined;
  if (mailing.unsubscribe.mailto) {
    const raw = mailing.unsubscribe.mailto.trim().replace(/^mailto:/i, '');
    const [address, query] = [raw.split('?')[0], raw.includes('?') ? raw.slice(raw.indexOf('?')) : '?subject=unsubscribe'];
    const email = cleanAddress(address);
    if (email) unsubscribeMailto = headerUrl(`mailto:${email}${query}`);
  }

  const attachments = await Promise.all(
    mailing.attachments.map(async (a) => ({ filename: headerText(a.filename), content: await fs.readFile(a.path) })),
  );

  const listSlug = slug(mailing.name);
  const constantHeaders: Record<string, string> = {
    // RFC 3834: auto-responders (out-of-office, vacation) do not answer bulk mail; Gmail and the big
    // ESPs mark newsletters so. It says nothing about the content and costs no spam score.
    Precedence: 'bulk',
    // RFC 2919: lets receivers and filters group this newsletter's messages.
    'List-Id': `${quoteIfNeeded(headerText(mailing.name))} <${listSlug}.${domain}>`,
    // Gmail's feedback loop identifier (campaign:sender); no per-recipient data.
    'Feedback-ID': `${listSlug}:${domain}:mailings`,
  };
  return {
    mailing,
    from,
    replyTo,
    domain,
    envelopeFrom: bounce ?? fromEmail,
    messageIdToken: options.messageIdToken,
    subject: compileTemplate(mailing.subject),
    html,
    text,
    unsubscribeUrl,
    unsubscribeMailto,
    attachments,
    inlineImages,
    constantHeaders,
  };
}

function quoteIfNeeded(phrase: string): string {
  // Plain atoms stay as they are; anything else becomes a quoted string (non-ASCII: the composer
  // leaves prepared values alone, so fall back to an ASCII-only phrase).
  const ascii = phrase.replace(/[^\x20-\x7e]/g, '');
  return /^[A-Za-z0-9 !#$%&'*+\-/=?^_`{|}~]*$/.test(ascii) ? ascii.trim() : `"${ascii.replace(/["\\]/g, '\\$&')}"`;
}

/** What differs per recipient, filled and escaped for where each value lands. */
export interface PersonalizedMessage {
  index: number;
  to: Address;
  subject: string;
  html?: string;
  text: string;
  messageId: string;
  /** The List-Unsubscribe header value (`<https://…>, <mailto:…>`), if any. */
  listUnsubscribe?: string;
  /** True when List-Unsubscribe holds an https URL (RFC 8058 One-Click POST applies). */
  oneClick: boolean;
}

/** One recipient's message: the headers (recipientHeaders.ts, shared with the template renderer) and both bodies filled. */
export function personalize(prepared: PreparedMailing, recipient: Recipient, index: number, options: PersonalizeOptions = {}): PersonalizedMessage {
  const headers = recipientHeaders(prepared, recipient, index, options);
  const fields = recipient.fields;
  let html: string | undefined;
  if (prepared.html) {
    const { urlFields, linkStarts } = prepared.html;
    html = fillTemplate(prepared.html.template, fields, (value, k) => (linkStarts.has(k) ? escapeLinkStart(value) : escapeHtml(urlFields.has(k) ? encodeURIComponent(value) : value)));
  }
  const { urlFields: textUrl, linkStarts: textLinks } = prepared.text;
  const text = fillTemplate(prepared.text.template, fields, (value, k) => (textLinks.has(k) ? safeTextLink(value) : textUrl.has(k) ? encodeURIComponent(value) : value));
  return { index, to: headers.to, subject: headers.subject, html, text, messageId: headers.messageId, listUnsubscribe: headers.listUnsubscribe, oneClick: headers.oneClick };
}
