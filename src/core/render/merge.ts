// Merge fields: `{{column}}` in subject, HTML, text and unsubscribe URL. A template is split once into
// literal text and field references (by the checks' own scanner, so what they accept is exactly what
// is replaced); filling it per recipient is then a join, with the value escaped for where it lands.
import { isEmptyValue, maskMergeFields, scanMergeFields } from '../load/mergeFields';

export interface TemplateField {
  /** The field name as written between the braces, trimmed (case-sensitive). */
  name: string;
  /** Offset of `{{` in the source. */
  offset: number;
  /** `{{name | "default"}}`: what stands in for an empty value (escaped like a value). */
  default?: string;
}

/** Literal strings and fields, alternating: literals[0] field[0] literals[1] ... literals[n]. */
export interface CompiledTemplate {
  literals: string[];
  fields: TemplateField[];
}

/** Splits a template; what is no merge field (`{{` unclosed, `{{}}`) stays literal text. */
export function compileTemplate(source: string): CompiledTemplate {
  const literals: string[] = [];
  const fields: TemplateField[] = [];
  let last = 0;
  for (const use of scanMergeFields(source).uses) {
    literals.push(source.slice(last, use.start));
    fields.push(use.default === undefined ? { name: use.name, offset: use.start } : { name: use.name, offset: use.start, default: use.default });
    last = use.end;
  }
  literals.push(source.slice(last));
  return { literals, fields };
}

/**
 * The raw value of a field for a recipient: the recipient's value, or the field's default when that
 * value is empty (load/mergeFields.ts isEmptyValue). A field the recipient lacks is empty (the checks
 * report unknown fields before anything is sent).
 */
export function fieldValue(field: TemplateField, fields: Readonly<Record<string, string>>): string {
  const value = Object.prototype.hasOwnProperty.call(fields, field.name) ? (fields[field.name] ?? '') : '';
  return field.default !== undefined && isEmptyValue(value) ? field.default : value;
}

/**
 * Fills a template. `escape` turns a raw value into what may stand at that field's place; it gets
 * the field's index so a template can escape different places differently (a URL inside HTML).
 */
export function fillTemplate(
  template: CompiledTemplate,
  fields: Readonly<Record<string, string>>,
  escape: (value: string, fieldIndex: number) => string = (v) => v,
): string {
  const { literals } = template;
  if (literals.length === 1) return literals[0];
  let out = literals[0];
  for (let k = 0; k < template.fields.length; k++) out += escape(fieldValue(template.fields[k], fields), k) + literals[k + 1];
  return out;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Where the fields of an HTML template stand in its URL attributes (href, src, action…). */
export interface UrlFieldPlaces {
  /**
   * Inside a URL, after its first character: URL-encoded as well as HTML-escaped, so an address
   * with `+` or `&` stays one query value (and a `:` in it can never make a scheme).
   */
  inside: Set<number>;
  /**
   * The very start of a URL (`href="{{link}}"`): the value is a URL itself, so it decides the
   * scheme. Only an http(s) or mailto value may stand there (isSafeLinkStart); anything else —
   * `javascript:`, `data:`, a bare word — is left out of the message.
   */
  start: Set<number>;
}

const URL_ATTRIBUTE = /\b(?:href|src|srcset|action|background|cite|formaction|poster)\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+)/gi;

export function urlFieldPlaces(html: string, template: CompiledTemplate): UrlFieldPlaces {
  const places: UrlFieldPlaces = { inside: new Set(), start: new Set() };
  if (template.fields.length === 0) return places;
  // A default in quotes (`href="?n={{name | "you"}}"`) must not end the attribute: the fields are
  // masked, as the markup will read once they are filled.
  for (const match of maskMergeFields(html).matchAll(URL_ATTRIBUTE)) {
    const value = match[1];
    const quoted = value[0] === '"' || value[0] === "'";
    const valueStart = match.index + match[0].length - value.length + (quoted ? 1 : 0);
    const valueEnd = match.index + match[0].length - (quoted ? 1 : 0);
    template.fields.forEach((field, k) => {
      if (field.offset === valueStart) places.start.add(k);
      else if (field.offset > valueStart && field.offset < valueEnd) places.inside.add(k);
    });
  }
  return places;
}

/** The fields of an HTML template inside a URL after its first character (see UrlFieldPlaces). */
export function urlFieldIndexes(html: string, template: CompiledTemplate): Set<number> {
  return urlFieldPlaces(html, template).inside;
}

/**
 * Whether a merge value may begin a link or image address: only as an http(s) or mailto URL. A
 * browser ignores leading spaces and control characters and any tab or line break inside a scheme,
 * so those are ignored here too before the scheme is read.
 */
export function isSafeLinkStart(value: string): boolean {
  return /^(?:https?|mailto):/i.test(value.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, ''));
}

/** The HTML for a value at the start of a URL: the value escaped when it is a safe link, else nothing. */
export function escapeLinkStart(value: string): string {
  return isSafeLinkStart(value) ? escapeHtml(value) : '';
}

/** Field indexes of a URL template that are not at its very start (those get encodeURIComponent). */
export function urlTemplateEncodedIndexes(template: CompiledTemplate): Set<number> {
  const encoded = new Set<number>();
  template.fields.forEach((field, k) => {
    if (field.offset > 0) encoded.add(k);
  });
  return encoded;
}
