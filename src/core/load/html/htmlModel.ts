// The HTML part as the inbox checks see it: parsed ONCE per content version with parse5 (a spec-true
// HTML parser, with source offsets) into a small model — the links, the images, the styles, the
// elements and comments that client support is judged on, and the unsubscribe link. Merge fields are
// masked before parsing (load/mergeFields.ts maskMergeFields: `{{name | "you"}}` would otherwise end a
// quoted attribute early), so the model reads the markup as it will be once the fields are filled,
// at the offsets of the text as written; a reference records which fields its value holds.
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { LineIndex } from '../lineIndex';
import { maskMergeFields, scanMergeFields } from '../mergeFields';
import type { Range } from '../../types';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];
type Location = NonNullable<Element['sourceCodeLocation']>;

/** Where a value stands in the HTML text: offsets (UTF-16) and the 0-based range. */
export interface Span {
  start: number;
  end: number;
  range: Range;
}

/** A URL written in the HTML: an attribute value, a `srcset` candidate or a CSS `url()`. */
export interface UrlReference extends Span {
  /** The element it belongs to (`a`, `img`, `td` …; for CSS, the element holding the style). */
  element: string;
  /** `href`, `src`, `srcset`, `background`, `poster`, or `style` (a CSS `url()`). */
  attribute: string;
  /** As written in the file (entities and merge fields as they are), trimmed. */
  written: string;
  /** As a mail client reads it: entities decoded, merge fields masked with `x`, trimmed. */
  value: string;
  /** The merge fields inside the value, by name, and whether one stands at its very start. */
  fields: string[];
  fieldAtStart: boolean;
}

export interface LinkReference extends UrlReference {
  /** The text of the link (its descendants' text, white space collapsed), for messages and the unsubscribe link. */
  text: string;
}

export interface ImageReference extends UrlReference {
  /** `img`: an `<img src>`; `srcset`: a candidate of `srcset`; `background`: the `background` attribute; `css`: a CSS `url()`; `poster`: a video poster. */
  source: 'img' | 'srcset' | 'background' | 'css' | 'poster' | 'input';
  /** `<img>` only: `alt` missing, empty (`alt=""`, a deliberate choice) or given. */
  alt?: 'missing' | 'empty' | 'present';
  /** The whole start tag of the element (where `image-alt-missing` points). */
  tag: Span;
}

/** CSS text in the HTML: a `<style>` block's content or a `style` attribute's value (offsets 1:1 with the file). */
export interface StyleText extends Span {
  kind: 'block' | 'attribute';
  /** The CSS as written (merge fields masked). */
  css: string;
  /** The element a `style` attribute is on. */
  element?: string;
}

/** An element as client support judges it: its name and attributes (style apart), at its start tag. */
export interface ElementInfo {
  tag: string;
  attrs: { name: string; value: string }[];
  /** The tag name in the start tag (`<td` … : the `td`). */
  name: Span;
}

export interface HtmlModel {
  text: string;
  lines: LineIndex;
  links: LinkReference[];
  images: ImageReference[];
  styles: StyleText[];
  elements: ElementInfo[];
  comments: Span[];
  /** The link that unsubscribes, by its address or its text, if there is one. */
  unsubscribe?: LinkReference;
}

const UNSUBSCRIBE = /unsubscribe|opt[-_ ]?out|afmelden|uitschrijven|abmelden|abbestellen|d[ée]sinscri|desabonn|baja/i;

function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

/** The value part of an attribute's source span (`href="x"` -> `x`), offsets in the file. */
function valueSpan(text: string, location: { startOffset: number; endOffset: number }): { start: number; end: number } {
  const source = text.slice(location.startOffset, location.endOffset);
  const eq = source.indexOf('=');
  if (eq === -1) return { start: location.endOffset, end: location.endOffset };
  let start = eq + 1;
  while (start < source.length && /\s/.test(source[start])) start++;
  let end = source.length;
  if (source[start] === '"' || source[start] === "'") {
    const quote = source[start];
    start++;
    if (source[end - 1] === quote && end - 1 >= start) end--;
  }
  return { start: location.startOffset + start, end: location.startOffset + end };
}

class ModelBuilder {
  readonly model: HtmlModel;
  /** Merge-field uses of the text as written: [start, end, name]. */
  private readonly uses: { start: number; end: number; name: string }[];

  constructor(
    /** The text as written. */
    private readonly text: string,
  ) {
    this.uses = text.includes('{{') ? scanMergeFields(text).uses : [];
    this.model = { text, lines: new LineIndex(text), links: [], images: [], styles: [], elements: [], comments: [] };
  }

  span(start: number, end: number): Span {
    return { start, end, range: this.model.lines.range(start, end) };
  }

  private fieldsIn(start: number, end: number): { fields: string[]; fieldAtStart: boolean } {
    const fields: string[] = [];
    let fieldAtStart = false;
    for (const use of this.uses) {
      if (use.start >= end) break;
      if (use.start < start) continue;
      fields.push(use.name);
      // The value trimmed: a field after leading white space still begins the URL.
      if (!this.text.slice(start, use.start).trim()) fieldAtStart = true;
    }
    return { fields, fieldAtStart };
  }

  /** A URL reference from a span of the file; `value` is the decoded reading (masked). */
  private url(element: string, attribute: string, start: number, end: number, value: string): UrlReference {
    // Trimmed as browsers trim URLs; the span follows the trimmed written text.
    const raw = this.text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const written = raw.trim();
    const span = this.span(start + lead, start + lead + written.length);
    return { ...span, element, attribute, written, value: value.trim(), ...this.fieldsIn(start, end) };
  }

  private attributeUrl(element: Element, name: string): UrlReference | undefined {
    const value = attr(element, name);
    const location = element.sourceCodeLocation?.attrs?.[name];
    if (value === undefined || !location) return undefined;
    const { start, end } = valueSpan(this.text, location);
    return this.url(element.tagName, name, start, end, value);
  }

  private startTag(element: Element): Span {
    const location = element.sourceCodeLocation as Location;
    const tag = location.startTag ?? location;
    return this.span(tag.startOffset, tag.endOffset);
  }

  private cssUrls(element: string, css: string, offset: number, tag: Span): void {
    for (const match of css.matchAll(/url\(\s*(["']?)([^"')]*)\1\s*\)/gi)) {
      const start = offset + match.index + match[0].indexOf(match[2], 4);
      const reference = this.url(element, 'style', start, start + match[2].length, match[2]);
      this.model.images.push({ ...reference, source: 'css', tag });
    }
  }

  element(element: Element): void {
    const location = element.sourceCodeLocation;
    if (!location) return; // implied by the parser (`<tbody>`, `<head>`): nothing written
    const tag = element.tagName;
    const startTag = this.startTag(element);
    const nameStart = startTag.start + 1;
    this.model.elements.push({
      tag,
      attrs: element.attrs.filter((a) => a.name !== 'style').map((a) => ({ name: a.name, value: a.value })),
      name: this.span(nameStart, nameStart + tag.length),
    });

    if ((tag === 'a' || tag === 'area') && attr(element, 'href') !== undefined) {
      const href = this.attributeUrl(element, 'href');
      if (href) {
        const link: LinkReference = { ...href, text: textOf(element) };
        this.model.links.push(link);
        if (!this.model.unsubscribe && (UNSUBSCRIBE.test(link.value) || UNSUBSCRIBE.test(link.text))) this.model.unsubscribe = link;
      }
    }
    const image = (name: string, source: ImageReference['source']) => {
      const reference = this.attributeUrl(element, name);
      if (reference) this.model.images.push({ ...reference, source, tag: startTag });
      return reference;
    };
    if (tag === 'img') {
      const alt = attr(element, 'alt');
      const altState = alt === undefined ? 'missing' : alt.trim() ? 'present' : 'empty';
      // An <img> without `src` is an image with an empty address, at its start tag.
      const src = this.attributeUrl(element, 'src') ?? { ...startTag, element: 'img', attribute: 'src', written: '', value: '', fields: [], fieldAtStart: false };
      this.model.images.push({ ...src, source: 'img', alt: altState, tag: startTag });
    }
    if (tag === 'input' && attr(element, 'type')?.toLowerCase() === 'image') image('src', 'input');
    if (tag === 'video') image('poster', 'poster');
    if (attr(element, 'background') !== undefined) image('background', 'background');
    const srcset = location.attrs?.srcset;
    if (srcset && (tag === 'img' || tag === 'source')) {
      const { start, end } = valueSpan(this.text, srcset);
      const written = this.text.slice(start, end);
      // Candidates: a URL, then an optional descriptor, separated by commas (HTML's srcset rules, simplified).
      for (const match of maskMergeFields(written).matchAll(/\s*([^\s,][^\s]*?)(?:\s+[^,]*)?(?:,|$)/g)) {
        if (!match[1]) continue;
        const at = start + match.index + match[0].indexOf(match[1]);
        const url = this.url(tag, 'srcset', at, at + match[1].length, decodeEntities(match[1]));
        this.model.images.push({ ...url, source: 'srcset', tag: startTag });
      }
    }
    const style = location.attrs?.style;
    if (style) {
      const { start, end } = valueSpan(this.text, style);
      const css = maskMergeFields(this.text.slice(start, end));
      this.model.styles.push({ ...this.span(start, end), kind: 'attribute', css, element: tag });
      this.cssUrls(tag, css, start, startTag);
    }
    if (tag === 'style') {
      const child = element.childNodes[0];
      const at = child?.nodeName === '#text' ? child.sourceCodeLocation : undefined;
      if (at) {
        const css = maskMergeFields(this.text.slice(at.startOffset, at.endOffset));
        this.model.styles.push({ ...this.span(at.startOffset, at.endOffset), kind: 'block', css });
        this.cssUrls('style', css, at.startOffset, startTag);
      }
    }
  }

  walk(node: Node): void {
    if (node.nodeName === '#comment') {
      const location = (node as DefaultTreeAdapterMap['commentNode']).sourceCodeLocation;
      if (location) this.model.comments.push(this.span(location.startOffset, location.endOffset));
      return;
    }
    if ('tagName' in node) this.element(node);
    if ('childNodes' in node) for (const child of node.childNodes) this.walk(child);
    // A <template>'s children live in its content fragment.
    if ('content' in node && node.content) for (const child of node.content.childNodes) this.walk(child);
  }
}

/** The text inside an element, white space collapsed. */
function textOf(node: Node): string {
  let out = '';
  const visit = (n: Node) => {
    if (n.nodeName === '#text') out += (n as DefaultTreeAdapterMap['textNode']).value;
    else if (n.nodeName === 'img') out += ` ${attr(n as Element, 'alt') ?? ''} `;
    else if ('childNodes' in n) for (const child of n.childNodes) visit(child);
  };
  visit(node);
  return out.replace(/\s+/g, ' ').trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The few entities a URL inside `srcset` holds (parse5 decoded the attribute as a whole). */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') return String.fromCodePoint(name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Builds the model of one HTML text (no cache: see htmlModelFor). */
export function buildHtmlModel(text: string): HtmlModel {
  const builder = new ModelBuilder(text);
  const document = parse(maskMergeFields(text), { sourceCodeLocationInfo: true });
  builder.walk(document);
  return builder.model;
}

/** The latest model per key (a file, or a mailing's inline HTML): the same text is parsed once. */
const latest = new Map<string, HtmlModel>();
const MAX_KEYS = 64;

/**
 * The model of an HTML text, parsed once per content version: the model of the latest text of each
 * `key` is kept (the checks, the renderer and the preview of one mailing all ask for the same text).
 */
export function htmlModelFor(key: string, text: string): HtmlModel {
  const known = latest.get(key);
  if (known && known.text === text) return known;
  const model = buildHtmlModel(text);
  if (!known && latest.size >= MAX_KEYS) latest.clear();
  latest.set(key, model);
  return model;
}
