// Gmail clips a message whose HTML is over 102 KB: the rest, often the unsubscribe link, hides behind
// "View entire message". The size that matters is the largest recipient's, computed without
// rendering anyone: the template's literal bytes once, plus for each recipient the bytes of their
// escaped values (each distinct field-and-escaping measured once per recipient), exactly as
// personalize() fills them (render/prepared.ts). Local images go as separate parts and do not count;
// their `cid:` addresses do.
import type { LoadedMailing } from '../load/loadMailing';
import { scanMergeFields } from '../load/mergeFields';
import { compileTemplate, escapeHtml, escapeLinkStart, fieldValue, urlFieldPlaces, type CompiledTemplate } from '../render/merge';
import { htmlModelKey, htmlWithCidImages } from '../render/inlineImages';
import type { Recipient } from '../types';
import type { InboxFinding } from '../facts/inboxFindings';
import type { InboxHtml } from '../load/html/htmlSource';

/** Gmail's clipping limit, in bytes of HTML. */
export const GMAIL_CLIP_BYTES = 102 * 1024;

interface Measured {
  template: CompiledTemplate;
  /** UTF-8 bytes of the literals, and the escaping of each field. */
  literalBytes: number;
  escapes: ((value: string) => string)[];
}

const escapeHtmlUrl = (value: string) => escapeHtml(encodeURIComponent(value));

let lastTemplate: { text: string; images: unknown; measured: Measured } | undefined;

function measure(loaded: LoadedMailing, html: InboxHtml): Measured {
  if (lastTemplate && lastTemplate.text === html.text && lastTemplate.images === loaded.images) return lastTemplate.measured;
  const source = htmlWithCidImages(html.text, htmlModelKey(loaded.file, html.file), loaded.images);
  const template = compileTemplate(source);
  const places = urlFieldPlaces(source, template);
  const escapes = template.fields.map((_, k) => (places.start.has(k) ? escapeLinkStart : places.inside.has(k) ? escapeHtmlUrl : escapeHtml));
  let literalBytes = 0;
  for (const literal of template.literals) literalBytes += Buffer.byteLength(literal, 'utf8');
  const measured = { template, literalBytes, escapes };
  lastTemplate = { text: html.text, images: loaded.images, measured };
  return measured;
}

/** The UTF-8 bytes of the HTML each recipient would get, and who gets the most. */
/**
 * The last answer per list (by identity: a loaded list is read-only) and HTML: re-validating after an
 * edit elsewhere in the YAML does not walk a 1M list again.
 */
const largest = new WeakMap<readonly Recipient[], { key: Measured; result: { bytes: number; recipient?: Recipient } }>();

/** The same answer for any list: the literal bytes, and each field with its default and escaping (the literals' text does not count). */
function sameMeasure(a: Measured, b: Measured): boolean {
  if (a === b) return true;
  if (a.literalBytes !== b.literalBytes || a.template.fields.length !== b.template.fields.length) return false;
  return a.template.fields.every((field, k) => field.name === b.template.fields[k].name && field.default === b.template.fields[k].default && a.escapes[k] === b.escapes[k]);
}

export function largestHtml(loaded: LoadedMailing, html: InboxHtml): { bytes: number; recipient?: Recipient } {
  const measured = measure(loaded, html);
  const recipients = loaded.targetList.recipients;
  if (measured.template.fields.length === 0 || recipients.length === 0) return { bytes: measured.literalBytes, recipient: recipients[0] };
  const known = largest.get(recipients);
  if (known && sameMeasure(known.key, measured)) return known.result;
  const result = walkLargest(recipients, measured);
  largest.set(recipients, { key: measured, result });
  return result;
}

function walkLargest(recipients: readonly Recipient[], { template, literalBytes, escapes }: Measured): { bytes: number; recipient?: Recipient } {
  // Distinct (field, default, escaping) uses and how often each occurs.
  const uses: { k: number; times: number }[] = [];
  template.fields.forEach((field, k) => {
    const same = uses.find((u) => template.fields[u.k].name === field.name && template.fields[u.k].default === field.default && escapes[u.k] === escapes[k]);
    if (same) same.times++;
    else uses.push({ k, times: 1 });
  });
  let best = -1;
  let who: Recipient | undefined;
  for (const recipient of recipients) {
    let bytes = literalBytes;
    for (const use of uses) bytes += use.times * Buffer.byteLength(escapes[use.k](fieldValue(template.fields[use.k], recipient.fields)), 'utf8');
    if (bytes > best) {
      best = bytes;
      who = recipient;
    }
  }
  return { bytes: best, recipient: who };
}

/**
 * Where in the HTML (an offset of the text as written) the bytes for `recipient` pass `limit`:
 * walked over the template as written (the few bytes `cid:` rewriting adds are left out of the place).
 */
function clipOffset(html: InboxHtml, recipient: Recipient, limit: number): number {
  const template = compileTemplate(html.text);
  const places = urlFieldPlaces(html.text, template);
  const ends = scanMergeFields(html.text).uses.map((use) => use.end);
  let bytes = 0;
  for (let k = 0; k < template.literals.length; k++) {
    const literal = template.literals[k];
    const start = k === 0 ? 0 : ends[k - 1];
    const literalBytes = Buffer.byteLength(literal, 'utf8');
    if (bytes + literalBytes > limit) {
      let i = 0;
      while (i < literal.length && bytes + Buffer.byteLength(literal[i], 'utf8') <= limit) bytes += Buffer.byteLength(literal[i++], 'utf8');
      return start + i;
    }
    bytes += literalBytes;
    if (k < template.fields.length) {
      const escape = places.start.has(k) ? escapeLinkStart : places.inside.has(k) ? escapeHtmlUrl : escapeHtml;
      bytes += Buffer.byteLength(escape(fieldValue(template.fields[k], recipient.fields)), 'utf8');
      if (bytes > limit) return template.fields[k].offset;
    }
  }
  return html.text.length;
}

/** Who is mailed at `recipient`: the CSV and row it comes from, when it comes from a CSV. */
function whereFrom(loaded: LoadedMailing, recipient: Recipient): { email: string; file?: string; row?: number } {
  for (const source of loaded.includes) {
    const table = source.table;
    if (!table || !source.file) continue;
    const i = table.recipients.indexOf(recipient);
    if (i >= 0) return { email: recipient.email, file: source.file, row: table.lines[i] };
  }
  return { email: recipient.email };
}

/** `message-clipped` when the largest recipient's HTML (largestHtml, given when already measured) is over `limit`. */
export function findClipping(loaded: LoadedMailing, html: InboxHtml, limit = GMAIL_CLIP_BYTES, largest = largestHtml(loaded, html)): InboxFinding[] {
  const { bytes: total, recipient } = largest;
  if (total <= limit) return [];
  const at = clipOffset(html, recipient ?? { email: '', fields: {} }, limit);
  const line = html.model.lines.positionAt(at).line;
  const unsubscribe = html.model.unsubscribe;
  return [
    {
      kind: 'message-clipped',
      ...html.locate(at, Math.max(at, html.model.lines.lineEnd(line))),
      bytes: total,
      limit,
      recipient: recipient ? whereFrom(loaded, recipient) : { email: '' },
      unsubscribeHidden: !!unsubscribe && unsubscribe.start >= at,
    },
  ];
}
