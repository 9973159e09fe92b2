// The fast renderer (issue 7): a mailing is one message with small per-recipient differences, so its
// MIME structure (boundaries, part headers, attachments in base64, the static headers) is composed
// ONCE and each body is split into literal chunks encoded once and merge-field slots. Per recipient
// only what differs is encoded and joined: To, Subject, Message-ID, Date, List-Unsubscribe and the
// merge-field values, each with the encoding nodemailer would give it (header values through
// nodemailer's own encoder; bodies by nodemailer's choice of 7bit, quoted-printable or base64).
// The result parses to the same headers and decoded bodies as nodemailerRenderer's (the byte-level
// tests check it), at a small fraction of its CPU.
//
// A recipient for whom a text or html part comes out empty (a body made only of merge fields, all
// empty) would get a different structure from MailComposer (the empty part left out): such rare
// messages are composed by nodemailerRenderer itself.
import { foldLines } from 'nodemailer/lib/mime-funcs';
import MimeNode from 'nodemailer/lib/mime-node';
import type { Recipient } from '../types';
import { BodyTemplate, type EncodedBody } from './bodyTemplate';
import { escapeHtml, escapeLinkStart } from './merge';
import { buildSkeleton, type MimeSkeleton, type PartName } from './mimeSkeleton';
import { nodemailerRenderer } from './nodemailerRenderer';
import { safeTextLink } from './textPart';
import { envelopeFromFor, type PreparedMailing } from './prepared';
import type { PersonalizeOptions } from './recipientHeaders';
import { recipientHeaders } from './recipientHeaders';
import type { MessageRenderer, RenderedMessage } from './renderer';

type RenderOptions = PersonalizeOptions & { date?: Date };

const escapeHtmlUrl = (value: string) => escapeHtml(encodeURIComponent(value));
const asIs = (value: string) => value;
const NON_ASCII = /[^\x00-\x7f]/;
/** A subject nodemailer's encoder leaves as it is: printable ASCII without a quote (which it encodes) or `=?`. */
const PRINTABLE_ASCII = /^[\x20\x21\x23-\x7e]*$/;
/** A msg-id already in its angle brackets, without anything the encoder would drop or add. */
const MSG_ID = /^<[\x21-\x3d\x3f-\x7e]+>$/;
/** A dot-atom local part (RFC 5322 atext) and a lowercase LDH domain: nodemailer keeps such an address as it is. */
const PLAIN_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const PLAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

type RecipientHeaderKey = 'To' | 'Subject' | 'Message-ID';

/**
 * The header line of a recipient's To (an address without a name), Subject or Message-ID when its
 * value is one nodemailer's encoder returns unchanged — a plain ASCII address, a printable ASCII
 * subject, an ASCII msg-id: the common case, which then skips the encoder's parse and normalisation
 * (a third of a small message's rendering). Undefined otherwise: the encoder writes it. The unit test
 * headerFastPath.test.ts checks every line against the encoder's on random values.
 */
export function plainHeaderLine(key: RecipientHeaderKey, value: string): string | undefined {
  const plain = key === 'To' ? isPlainAddress(value) : key === 'Subject' ? PRINTABLE_ASCII.test(value) && !value.includes('=?') : MSG_ID.test(value);
  if (!plain) return undefined;
  const line = `${key}: ${value}`;
  // foldLines leaves a line shorter than its length as it is.
  return line.length < 76 ? line : foldLines(line, 76);
}

/** True for an address nodemailer writes into To unchanged (no name, no punycode, no quoting). */
export function isPlainAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0 || address.length > 254 || !PLAIN_LOCAL.test(address.slice(0, at))) return false;
  const labels = address.slice(at + 1).split('.');
  // An A-label (xn--) is decoded and checked by the encoder's punycode step: left to it.
  return labels.length >= 2 && labels.every((label) => PLAIN_LABEL.test(label) && !label.startsWith('xn--'));
}

/** The header block before the per-recipient headers: custom headers as nodemailer's MimeNode writes them. */
function customHeaderBlock(headers: Record<string, string>): string {
  const node = new MimeNode('multipart/mixed').createChild(false);
  node.addHeader(headers);
  return node.buildHeaders();
}

class TemplateComposer {
  private readonly skeleton: MimeSkeleton;
  private readonly bodies: Partial<Record<PartName, BodyTemplate>> = {};
  /** nodemailer's header encoder: address headers, encoded words, msg-ids exactly as it writes them. */
  private readonly encoder = new MimeNode(false);
  private readonly constantHeaders: string;
  private readonly oneClickLine: string;
  private readonly fromLine: string;
  private readonly replyToLine?: string;
  private dateSecond = NaN;
  private dateLine = '';
  private fallback?: MessageRenderer;

  constructor(readonly prepared: PreparedMailing, parts: PartName[]) {
    this.skeleton = buildSkeleton(parts, prepared.attachments, parts.includes('html') ? prepared.inlineImages : []);
    const token = this.skeleton.boundaryToken;
    // The escaping of personalize() (prepared.ts): HTML-escaped in HTML, URL-encoded inside URLs.
    if (prepared.html) {
      const { urlFields, linkStarts } = prepared.html;
      this.bodies.html = new BodyTemplate(prepared.html.template, (k) => (linkStarts.has(k) ? escapeLinkStart : urlFields.has(k) ? escapeHtmlUrl : escapeHtml), token);
    }
    const { urlFields: textUrl, linkStarts: textLinks } = prepared.text;
    this.bodies.text = new BodyTemplate(prepared.text.template, (k) => (textLinks.has(k) ? safeTextLink : textUrl.has(k) ? encodeURIComponent : asIs), token);
    this.constantHeaders = customHeaderBlock(prepared.constantHeaders);
    this.oneClickLine = customHeaderBlock({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    this.fromLine = this.line('From', { name: prepared.from.name ?? '', address: prepared.from.email });
    if (prepared.replyTo) this.replyToLine = this.line('Reply-To', { name: prepared.replyTo.name ?? '', address: prepared.replyTo.email });
  }

  private line(key: string, value: string | { name: string; address: string }): string {
    return foldLines(`${key}: ${this.encoder.encodeHeaderValue(key, value)}`, 76);
  }

  /** To, Subject and Message-ID of one recipient, as `line` gives them (the common values without the encoder). */
  private recipientLine(key: RecipientHeaderKey, value: string): string {
    return plainHeaderLine(key, value) ?? this.line(key, key === 'To' ? { name: '', address: value } : value);
  }

  private date(date: Date): string {
    const second = Math.floor(date.getTime() / 1000);
    if (second !== this.dateSecond) {
      this.dateSecond = second;
      this.dateLine = `Date: ${date.toUTCString().replace(/GMT/, '+0000')}`;
    }
    return this.dateLine;
  }

  render(recipient: Recipient, index: number, options: RenderOptions): RenderedMessage | Promise<RenderedMessage> {
    const headers = recipientHeaders(this.prepared, recipient, index, options);
    const encoded: Partial<Record<PartName, EncodedBody>> = {};
    for (const segment of this.skeleton.segments) {
      if (typeof segment === 'string') continue;
      const body = this.bodies[segment.part]?.render(recipient.fields);
      if (!body) return (this.fallback ??= nodemailerRenderer(this.prepared)).render(recipient, index, options);
      encoded[segment.part] = body;
    }
    const { rootPart, rootContentType } = this.skeleton;

    let head = this.constantHeaders ? `${this.constantHeaders}\r\n` : '';
    if (headers.listUnsubscribe) {
      // Prepared as nodemailer's renderer hands it over: safe ASCII, folded only between entries.
      head += `${foldLines(`List-Unsubscribe: ${headers.listUnsubscribe}`)}\r\n`;
      if (headers.oneClick) head += `${this.oneClickLine}\r\n`;
    }
    head += `${this.fromLine}\r\n${this.recipientLine('To', headers.to.email)}\r\n`;
    if (this.replyToLine) head += `${this.replyToLine}\r\n`;
    if (headers.subject) head += `${this.recipientLine('Subject', headers.subject)}\r\n`;
    head += `${this.recipientLine('Message-ID', headers.messageId)}\r\n${this.date(options.date ?? new Date())}\r\n`;
    if (rootPart) head += `Content-Transfer-Encoding: ${encoded[rootPart]!.encoding}\r\n`;
    head += `MIME-Version: 1.0\r\n${rootContentType}\r\n\r\n`;

    let raw = head;
    for (const segment of this.skeleton.segments) {
      if (typeof segment === 'string') {
        raw += segment;
        continue;
      }
      const body = encoded[segment.part]!;
      raw += rootPart ? body.body : `${segment.headers[body.encoding]}\r\n\r\n${body.body}`;
    }
    // nodemailer ends every message with a line break.
    if (!raw.endsWith('\n')) raw += raw.endsWith('\r') ? '\n' : '\r\n';
    return {
      index,
      to: headers.to,
      messageId: headers.messageId,
      envelope: { from: envelopeFromFor(this.prepared, index), to: [headers.to.email] },
      // Encoded bodies are ASCII; only a header can hold UTF-8 (an SMTPUTF8 address).
      raw: Buffer.from(raw, NON_ASCII.test(head) ? 'utf8' : 'latin1'),
    };
  }
}

/**
 * The template renderer for a prepared mailing. A mailing without any text can only be composed by
 * nodemailer (MailComposer's structure for it depends on what else it holds): that one falls back.
 */
export function templateRenderer(prepared: PreparedMailing): MessageRenderer {
  const text = prepared.text.template;
  const parts: PartName[] = [];
  if (text.fields.length > 0 || text.literals.some((l) => l.length > 0)) parts.push('text');
  const html = prepared.html?.template;
  if (html && (html.fields.length > 0 || html.literals.some((l) => l.length > 0))) parts.push('html');
  if (parts.length === 0) return nodemailerRenderer(prepared);
  const composer = new TemplateComposer(prepared, parts);
  return {
    prepared,
    async render(recipient: Recipient, index: number, options: RenderOptions = {}): Promise<RenderedMessage> {
      return composer.render(recipient, index, options);
    },
  };
}
