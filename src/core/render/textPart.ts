// The text/plain alternative derived from the HTML when the mailing gives none: converted ONCE from
// the HTML template (html-to-text is far too slow to run per recipient), with the merge fields kept as
// fields. Each field is hidden behind a private-use marker during conversion so that html-to-text
// neither uppercases it (headings) nor splits it, then turned back into a field of the text template.
import { convert, type HtmlToTextOptions } from 'html-to-text';
import { compileTemplate, isSafeLinkStart, urlFieldPlaces, type CompiledTemplate } from './merge';

/**
 * A text template plus which of its fields stand inside a URL (URL-encoded when filled) and which
 * came from the start of a link in the HTML (shown only when they are a safe link, as in the HTML).
 */
export interface TextTemplate {
  template: CompiledTemplate;
  urlFields: Set<number>;
  linkStarts: Set<number>;
}

/** A value from the start of an HTML link, in the text part: left out unless it is a safe link. */
export function safeTextLink(value: string): string {
  return isSafeLinkStart(value) ? value : '';
}

const OPTIONS: HtmlToTextOptions = {
  wordwrap: 76,
  selectors: [
    { selector: 'img', format: 'skip' },
    // Headings keep their case: a merged name must read as written, whatever element holds it.
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'th', format: 'block' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
  ],
};

// Private-use characters: no letters (nothing to uppercase), no spaces (nothing to wrap at).
const TEXT_OPEN = '\uE000';
const URL_OPEN = '\uE001';
const CLOSE = '\uE002';
const LINK_OPEN = '\uE003';

export function htmlToTextTemplate(html: string): TextTemplate {
  const source = compileTemplate(html);
  const places = urlFieldPlaces(html, source);
  let marked = source.literals[0];
  source.fields.forEach((_, k) => {
    const open = places.inside.has(k) ? URL_OPEN : places.start.has(k) ? LINK_OPEN : TEXT_OPEN;
    marked += open + k.toString(36) + CLOSE + source.literals[k + 1];
  });
  const text = convert(marked, OPTIONS).trim() + '\n';
  // Back from markers to `{{name}}`; the literal text itself may contain `{{` (it is literal there:
  // the HTML had it as text), so build the template directly rather than re-parsing.
  const literals: string[] = [];
  const fields: CompiledTemplate['fields'] = [];
  const urlFields = new Set<number>();
  const linkStarts = new Set<number>();
  const MARKER = /([\uE000\uE001\uE003])([0-9a-z]+)\uE002/g;
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    literals.push(text.slice(last, match.index));
    const field = source.fields[parseInt(match[2], 36)];
    if (match[1] === URL_OPEN) urlFields.add(fields.length);
    if (match[1] === LINK_OPEN) linkStarts.add(fields.length);
    fields.push({ ...field, offset: match.index });
    last = match.index + match[0].length;
  }
  literals.push(text.slice(last));
  return { template: { literals, fields }, urlFields, linkStarts };
}
