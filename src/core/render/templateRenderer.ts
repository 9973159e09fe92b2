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
import type { PreparedMailing } from './prepared';
import type { PersonalizeOptions } from './recipientHeaders';
import { recipientHeaders } from './recipientHeaders';
import type { MessageRenderer, RenderedMessage } from './renderer';

type RenderOptions = PersonalizeOptions & { date?: Date };

const escapeHtmlUrl = (value: string) => escapeHtml(encodeURIComponent(value));
const asIs = (value: string) => value;
const NON_ASCII = /[^\x00-\x7f]/;

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
    head += `${this.fromLine}\r\n${this.line('To', { name: '', address: headers.to.email })}\r\n`;
    if (this.replyToLine) head += `${this.replyToLine}\r\n`;
    if (headers.subject) head += `${this.line('Subject', headers.subject)}\r\n`;
    head += `${this.line('Message-ID', headers.messageId)}\r\n${this.date(options.date ?? new Date())}\r\n`;
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
      envelope: { from: this.prepared.envelopeFrom, to: [headers.to.email] },
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
