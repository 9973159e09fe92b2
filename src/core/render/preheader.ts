// The preheader: the line an inbox shows beside the subject, taken from the first text of the body.
// `preheader:` is written into the top of the body as hidden text (the technique every client
// respects: display:none for the web and apps, mso-hide for Outlook, zero size and opacity for the
// rest), followed by invisible filler so that the body's own first words do not follow it into the
// preview. Merge fields stay fields: the renderer fills them, HTML-escaped, like any in the HTML.
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { maskMergeFields, scanMergeFields } from '../load/mergeFields';
import { escapeHtml } from './merge';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const HIDDEN = 'display:none;font-size:1px;line-height:1px;max-height:0;max-width:0;opacity:0;overflow:hidden;mso-hide:all;';
/** A zero-width non-joiner and a non-breaking space, many times: what stops the preview after the preheader. */
const FILLER = '&#847;&zwnj;&nbsp;'.repeat(80);

/** The hidden block that carries the preheader (literal text escaped, merge fields kept). */
export function preheaderBlock(preheader: string): string {
  const line = preheader.replace(/\s+/g, ' ').trim();
  let text = '';
  let last = 0;
  for (const use of scanMergeFields(line).uses) {
    text += escapeHtml(line.slice(last, use.start)) + line.slice(use.start, use.end);
    last = use.end;
  }
  text += escapeHtml(line.slice(last));
  return `<div style="${HIDDEN}" aria-hidden="true">${text}</div><div style="${HIDDEN}" aria-hidden="true">${FILLER}</div>`;
}

/** The HTML with the preheader as the first thing in its body (or at its start, without a <body>). */
export function insertPreheader(html: string, preheader: string): string {
  const block = preheaderBlock(preheader);
  const body = /<body\b[^>]*>/i.exec(maskMergeFields(html));
  const at = body ? body.index + body[0].length : 0;
  return html.slice(0, at) + block + html.slice(at);
}

export interface FirstText {
  /** The first text of the body that a reader sees, white space collapsed (at most 200 characters). */
  text: string;
  /** Offsets of it in the HTML. */
  start: number;
  end: number;
}

export interface BodyPreview {
  /** The body starts with hidden text (a preheader of the HTML's own, MJML's mj-preview). */
  hiddenPreview: boolean;
  first?: FirstText;
}

function isHidden(element: Element): boolean {
  if (element.attrs.some((a) => a.name === 'hidden' || (a.name === 'aria-hidden' && a.value === 'true'))) return true;
  const style = element.attrs.find((a) => a.name === 'style')?.value.toLowerCase().replace(/\s+/g, '') ?? '';
  return /display:none|mso-hide:all|visibility:hidden|max-height:0(px)?(;|$)/.test(style);
}

const SKIPPED = new Set(['head', 'style', 'script', 'title', 'template']);

/** Stands in for each character of a merge field while parsing (a private-use character no text has). */
const FIELD_MASK = '\ue000';

/** The HTML with each merge field masked, same length (parse5's offsets stay those of the HTML), and the fields in order. */
function maskedFields(html: string): { masked: string; fields: { start: number; text: string }[] } {
  const fields: { start: number; text: string }[] = [];
  if (!html.includes('{{')) return { masked: html, fields };
  let masked = '';
  let last = 0;
  for (const use of scanMergeFields(html).uses) {
    masked += html.slice(last, use.start) + FIELD_MASK.repeat(use.end - use.start);
    fields.push({ start: use.start, text: html.slice(use.start, use.end) });
    last = use.end;
  }
  return { masked: masked + html.slice(last), fields };
}

let last: { html: string; preview: BodyPreview } | undefined;

/** What an inbox takes its preview from: hidden text at the top, or the first visible text. */
export function bodyPreview(html: string): BodyPreview {
  if (last?.html === html) return last.preview;
  const { masked, fields } = maskedFields(html);
  const document = parse(masked, { sourceCodeLocationInfo: true });
  // The masked runs of a text from `start` on are its merge fields, in order: shown as written.
  const unmask = (text: string, start: number) => {
    let next = fields.findIndex((field) => field.start >= start);
    return text.replace(new RegExp(`${FIELD_MASK}+`, 'g'), (run) => {
      let written = '';
      while (next !== -1 && next < fields.length && written.length < run.length) written += fields[next++].text;
      return written;
    });
  };
  const preview: BodyPreview = { hiddenPreview: false };
  const walk = (node: Node, hidden: boolean): boolean => {
    if (node.nodeName === '#text') {
      const value = (node as DefaultTreeAdapterMap['textNode']).value.replace(/[\s\u00a0\u200b-\u200d\u034f\ufeff]+/g, ' ').trim();
      if (!value) return false;
      if (hidden) {
        preview.hiddenPreview = true;
        return true;
      }
      const location = (node as DefaultTreeAdapterMap['textNode']).sourceCodeLocation;
      const start = location?.startOffset ?? 0;
      const end = location?.endOffset ?? start;
      // The source's own words (merge fields as written), trimmed to the text.
      const written = html.slice(start, end);
      const lead = written.length - written.trimStart().length;
      preview.first = { text: unmask(value, start).slice(0, 200), start: start + lead, end: start + written.trimEnd().length };
      return true;
    }
    if (SKIPPED.has(node.nodeName)) return false;
    const element = node as Element;
    const hide = hidden || (!!element.attrs && isHidden(element));
    for (const child of (node as { childNodes?: Node[] }).childNodes ?? []) if (walk(child, hide)) return true;
    return false;
  };
  walk(document, false);
  last = { html, preview };
  return preview;
}

/** "View in browser" and its kin, in English, Dutch, German, French and Spanish. */
const VIEW_IN_BROWSER =
  /\b(view|read|open|see)\b.{0,30}\b(browser|online|web ?(page|version)?)\b|\bweb ?version\b|trouble (viewing|reading)|can'?t see (this|the) (e-?mail|message)|not displaying (correctly|properly)|bekijk.{0,30}\b(browser|online|webversie)\b|webversie|niet goed (weergegeven|getoond|zichtbaar)|im browser (ansehen|anzeigen|öffnen|lesen)|online (ansehen|lesen)|voir.{0,30}\b(navigateur|en ligne)\b|version en ligne|ver.{0,30}\bnavegador\b/i;

export function isViewInBrowser(text: string): boolean {
  return text.length <= 160 && VIEW_IN_BROWSER.test(text);
}

/** The invisible characters a preheader's filler is made of (and white space between them). */
const FILLER_RUN = /(?:[\u034f\u200b-\u200d\u00a0\ufeff]\s*){5,}/;

/**
 * The line an inbox list shows after the subject, as clients take it from a message: the body's
 * text from the top, hidden text included (that is what a preheader is), up to a run of filler, at
 * most `max` characters. For the finished HTML of one recipient (merge fields filled in).
 */
export function inboxSnippet(html: string, max = 140): string {
  const document = parse(html);
  const parts: string[] = [];
  let length = 0;
  const walk = (node: Node): boolean => {
    if (node.nodeName === '#text') {
      const value = (node as DefaultTreeAdapterMap['textNode']).value;
      parts.push(value);
      length += value.length;
      return length > max * 4 || FILLER_RUN.test(value);
    }
    if (SKIPPED.has(node.nodeName) || node.nodeName === '#comment') return false;
    for (const child of (node as { childNodes?: Node[] }).childNodes ?? []) if (walk(child)) return true;
    if (/^(p|div|td|tr|h[1-6]|li|br|table)$/.test(node.nodeName)) parts.push(' ');
    return false;
  };
  walk(document);
  const text = parts.join('');
  const filler = FILLER_RUN.exec(text);
  const line = (filler ? text.slice(0, filler.index) : text).replace(/[\s\u00a0\u200b-\u200d\u034f\ufeff]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}
