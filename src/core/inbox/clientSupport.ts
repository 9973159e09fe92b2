// Client support: the HTML elements and attributes and the CSS a chosen mail client does not support,
// from caniemail's data through the `caniemail` package's own detection (the same rules caniemail.com
// applies). The package re-parses what it is given and weighs every feature against every client,
// about half a millisecond per CSS rule for the four default families, so it is fed small units —
// one element's start tag, one declaration of a `style` attribute, one `<style>` block — and each
// unit's verdict is kept for the process's life: after an edit of the HTML only the new units are
// asked about, after an edit of the YAML nothing is. A unit's features are located where the unit is
// written (an element at its name, a declaration at itself, a rule of a `<style>` block at the rule).
//
// What caniemail calls unsupported is not always a problem, and three cases are left out because the
// message reads the same with or without them (they would be on nearly every well-made message):
// - the elements that frame the document (`<body>`): every client shows a message inside a frame of
//   its own, and the practice of repeating the body's background on a full-width wrapper is what
//   makes it look the same there — something an element alone cannot tell;
// - hints a client may ignore without changing what it shows: `role`, `aria-*`, `lang`, `loading`;
//   dropping them would only lose what screen readers announce in every other client;
// - fallbacks: declarations that hide an element the same way (`display:none`; `max-height:0` with
//   `overflow:hidden`; `visibility:hidden`; `opacity:0`; `mso-hide:all`), the hidden preheader's
//   pattern, count for a client when any one of them works there;
// and what Outlook for Windows never sees — the content of `<!--[if !mso]><!-->…<!--<![endif]-->`
// — is not judged for it (the content of `<!--[if mso]>…<![endif]-->` is a comment to every parser).
import { caniemail, rawData } from 'caniemail';
import { LineIndex } from '../load/lineIndex';
import { closest } from '../load/similar';
import type { InboxFinding } from '../facts/inboxFindings';
import type { InboxHtml } from '../load/html/htmlSource';

/** The families checked when `checks.clients` is not given. */
export const DEFAULT_CLIENTS = ['gmail', 'outlook', 'apple-mail', 'yahoo'];

interface FeatureData {
  slug: string;
  title: string;
  url: string;
  category: string;
  stats: Record<string, Record<string, unknown>>;
}

const FEATURES = (rawData as unknown as { data: FeatureData[] }).data;
const NICE = (rawData as unknown as { nicenames: { family: Record<string, string>; platform: Record<string, string> } }).nicenames;
const BY_TITLE = new Map(FEATURES.map((feature) => [feature.title, feature]));

/** Every client caniemail has data for (`family.platform`), in its order. */
export const CLIENT_IDS: readonly string[] = (() => {
  const ids = new Set<string>();
  for (const feature of FEATURES) for (const [family, platforms] of Object.entries(feature.stats)) for (const platform of Object.keys(platforms)) ids.add(`${family}.${platform}`);
  return [...ids].sort();
})();

const normalize = (name: string) => name.toLowerCase().replace(/[^a-z0-9*.]/g, '');

/** `outlook.windows` -> `Outlook (Windows)`. */
export function clientName(id: string): string {
  const [family, platform] = id.split('.');
  return `${NICE.family[family] ?? family} (${NICE.platform[platform] ?? platform})`;
}

/** Client ids grouped by family, in the order given: `Outlook (Windows, Windows Mail)`, `Yahoo! Mail (iOS)`. */
export function clientGroups(ids: readonly string[]): string[] {
  const platforms = new Map<string, string[]>();
  for (const id of ids) {
    const [family, platform] = id.split('.');
    const list = platforms.get(family) ?? [];
    if (!platforms.has(family)) platforms.set(family, list);
    list.push(NICE.platform[platform] ?? platform);
  }
  return [...platforms].map(([family, list]) => `${NICE.family[family] ?? family} (${list.join(', ')})`);
}

/** The names of the families of client ids, in the order given (`Gmail`, `Outlook`). */
export function clientFamilies(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.split('.')[0]))].map((family) => NICE.family[family] ?? family);
}

export type ClientChoice = { ok: true; ids: string[] } | { ok: false; suggestion?: string };

/**
 * The caniemail clients a `checks.clients` entry names: a family (`Gmail`, `outlook`, `Apple Mail`,
 * `Yahoo`; caniemail's names or ids, case and spaces aside), one client (`outlook.windows`), or a
 * pattern with `*` (`*.ios`).
 */
export function resolveClient(entry: string): ClientChoice {
  const wanted = normalize(entry.trim());
  const families = new Map<string, string>();
  for (const family of new Set(CLIENT_IDS.map((id) => id.split('.')[0]))) {
    families.set(normalize(family), family);
    if (NICE.family[family]) families.set(normalize(NICE.family[family]), family);
  }
  families.set('yahoo', 'yahoo');
  const family = families.get(wanted);
  if (family) return { ok: true, ids: CLIENT_IDS.filter((id) => id.startsWith(`${family}.`)) };
  const pattern = new RegExp(`^${wanted.replace(/[.]/g, '\\.').replace(/\*/g, '[^.]*')}$`);
  const ids = CLIENT_IDS.filter((id) => pattern.test(normalize(id)));
  if (ids.length) return { ok: true, ids };
  return { ok: false, suggestion: closest(entry.trim(), [...new Set(CLIENT_IDS.map((id) => NICE.family[id.split('.')[0]] ?? id))].concat(CLIENT_IDS)) };
}

/** What one unit does not support: caniemail titles with the clients, and where in the unit (CSS blocks). */
interface UnitIssue {
  title: string;
  clients: string[];
  notes: string[];
  /** 1-based line and column in the unit's text, when caniemail gives one. */
  position?: { line: number; column: number };
}

const verdicts = new Map<string, UnitIssue[]>();
const MAX_VERDICTS = 50_000;

function issuesOf(result: ReturnType<typeof caniemail>): UnitIssue[][] {
  // Grouped by where caniemail located them: the caller maps a line to its unit.
  const byTitle = new Map<string, UnitIssue>();
  for (const [client, issues] of result.issues.errors) {
    for (const issue of issues) {
      const position = issue.position?.start;
      const key = `${position?.line ?? 0}:${position?.column ?? 0}:${issue.title}`;
      let entry = byTitle.get(key);
      if (!entry) {
        entry = { title: issue.title, clients: [], notes: [], ...(position ? { position: { line: position.line, column: position.column } } : {}) };
        byTitle.set(key, entry);
      }
      entry.clients.push(client);
      for (const note of issue.notes) if (!entry.notes.includes(note)) entry.notes.push(note);
    }
  }
  return [[...byTitle.values()]];
}

function ask(options: { clients: string[]; css?: string; html?: string }): UnitIssue[] {
  try {
    return issuesOf(caniemail(options as Parameters<typeof caniemail>[0]))[0];
  } catch {
    // A unit caniemail cannot read (it throws on some odd CSS): nothing known about it.
    return [];
  }
}

function remember(key: string, issues: UnitIssue[]): void {
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(key, issues);
}

/** Verdicts for many units of one kind, asked in one call per batch: unit k is line k+1 of it. */
function batch(kind: 'html' | 'css', clients: string[], units: string[]): UnitIssue[][] {
  const clientsKey = clients.join(',');
  const results: UnitIssue[][] = new Array(units.length);
  const missing: number[] = [];
  units.forEach((unit, k) => {
    const known = verdicts.get(`${clientsKey}\n${kind}\n${unit}`);
    if (known) results[k] = known;
    else missing.push(k);
  });
  if (missing.length) {
    const text = missing.map((k) => units[k]).join('\n');
    const found = ask(kind === 'html' ? { clients, html: text } : { clients, css: text });
    const perLine = missing.map(() => [] as UnitIssue[]);
    for (const issue of found) {
      const line = (issue.position?.line ?? 0) - 1;
      if (line >= 0 && line < perLine.length) perLine[line].push({ title: issue.title, clients: issue.clients, notes: issue.notes });
    }
    missing.forEach((k, i) => {
      results[k] = perLine[i];
      remember(`${clientsKey}\n${kind}\n${units[k]}`, perLine[i]);
    });
  }
  return results;
}

/** A style block's verdict, located by caniemail (1-based, in the block's text). */
function blockVerdict(clients: string[], css: string): UnitIssue[] {
  const key = `${clients.join(',')}\nblock\n${css}`;
  const known = verdicts.get(key);
  if (known) return known;
  const issues = ask({ clients, css });
  remember(key, issues);
  return issues;
}

/** Declarations of a `style` attribute (or a rule's body): `property: value`, split at `;` outside quotes and brackets. */
export function declarations(css: string): { property: string; value: string; start: number; end: number }[] {
  const found: { property: string; value: string; start: number; end: number }[] = [];
  let depth = 0;
  let quote = '';
  let from = 0;
  const take = (to: number) => {
    const piece = css.slice(from, to);
    const colon = piece.indexOf(':');
    const lead = piece.length - piece.trimStart().length;
    if (colon > 0 && piece.trim()) {
      const property = piece.slice(0, colon).trim().toLowerCase();
      const value = piece.slice(colon + 1).trim();
      if (property && value) found.push({ property, value, start: from + lead, end: from + piece.trimEnd().length });
    }
    from = to + 1;
  };
  for (let i = 0; i < css.length; i++) {
    const c = css[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ';' && depth === 0) take(i);
  }
  take(css.length);
  return found;
}

/** Titles that judge the rule a unit is wrapped in, not the declaration (`a{…}` is only a wrapper). */
const WRAPPER_TITLE = (title: string) => /^css-(selector|pseudo)-/.test(BY_TITLE.get(title)?.slug ?? '');

/** Features left out (see the top of this file): the document's frame, and hints a client may ignore. */
const IGNORED_SLUG = /^html-(body|role|aria-[a-z]+|lang|loading-attribute)$/;
const ignored = (title: string) => IGNORED_SLUG.test(BY_TITLE.get(title)?.slug ?? '');

/** The clients that render with Word and read Outlook's conditional comments (`mso`). */
const MSO_CLIENTS = new Set(['outlook.windows', 'outlook.windows-mail']);

/** `!important` is no part of what a client supports (and caniemail's detection misses a value with it). */
const bareValue = (value: string) => value.replace(/\s*!\s*important\s*$/i, '').trim();

/**
 * The ways a `style` attribute may hide its element, each a set of declarations that must all work:
 * a client for which any one way works shows the element hidden, whatever the others do there.
 */
const HIDING_WAYS: readonly (readonly ((d: { property: string; value: string }) => boolean)[])[] = [
  [(d) => d.property === 'display' && d.value === 'none'],
  [(d) => d.property === 'visibility' && d.value === 'hidden'],
  [(d) => d.property === 'opacity' && Number(d.value) === 0],
  [(d) => d.property === 'mso-hide' && d.value === 'all'],
  [(d) => (d.property === 'max-height' || d.property === 'height') && parseFloat(d.value) === 0, (d) => d.property === 'overflow' && d.value === 'hidden'],
];

/** Whether a condition of a conditional comment (`!mso`, `(gte mso 9)|(IE)`) holds for Outlook's Word engine. */
export function conditionHoldsForMso(condition: string): boolean | undefined {
  const tokens = condition.toLowerCase().match(/[!()|&]|[a-z]+|\d+(?:\.\d+)?/g) ?? [];
  let i = 0;
  // expression := term (('|' | '&') term)*; term := '!' term | '(' expression ')' | [lt|lte|gt|gte] name [version]
  const term = (): boolean | undefined => {
    const token = tokens[i++];
    if (token === '!') {
      const inner = term();
      return inner === undefined ? undefined : !inner;
    }
    if (token === '(') {
      const inner = expression();
      if (tokens[i++] !== ')') return undefined;
      return inner;
    }
    if (token === undefined || /^[|&)]$/.test(token)) return undefined;
    let name = token;
    if (/^(lt|lte|gt|gte)$/.test(name)) name = tokens[i++] ?? '';
    if (/^\d/.test(tokens[i] ?? '')) i++;
    // Versions aside: any Word-based Outlook counts as `mso`; nothing else is.
    return name === 'mso';
  };
  const expression = (): boolean | undefined => {
    let value = term();
    while (tokens[i] === '|' || tokens[i] === '&') {
      const op = tokens[i++];
      const right = term();
      if (value === undefined || right === undefined) return undefined;
      value = op === '|' ? value || right : value && right;
    }
    return value;
  };
  const value = expression();
  return i === tokens.length ? value : undefined;
}

/**
 * The spans of the HTML that Outlook for Windows skips: between a downlevel-revealed conditional
 * comment whose condition is false for `mso` (`<!--[if !mso]><!-->`) and its `<!--<![endif]-->`.
 */
function msoHiddenSpans(model: InboxHtml['model']): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let open: number | undefined;
  for (const comment of model.comments) {
    const text = model.text.slice(comment.start, comment.end);
    const start = /^<!--\[if\s+([^\]]+)\]>\s*<!-*>$/i.exec(text);
    if (start && open === undefined && conditionHoldsForMso(start[1]) === false) open = comment.end;
    else if (open !== undefined && /^<!--\s*<!\[endif\]\s*-*>$/i.test(text)) {
      spans.push({ start: open, end: comment.start });
      open = undefined;
    }
  }
  return spans;
}

type Unsupported = Extract<InboxFinding, { kind: 'client-unsupported' }>;
type Placed = { start: number; end: number; facts: Omit<Unsupported, 'file' | 'range'> };

/** Per HTML text and client set, what was found, by offset (the HTML rarely changes while the YAML is edited). */
let last: { text: string; clientsKey: string; placed: Placed[] } | undefined;

/** HTML and CSS of the HTML part that some of `clients` (caniemail ids, resolveClient) do not support. */
export function findUnsupported(html: InboxHtml, clients: readonly string[]): InboxFinding[] {
  const clientsKey = clients.join(',');
  if (!last || last.text !== html.text || last.clientsKey !== clientsKey) last = { text: html.text, clientsKey, placed: place(html, [...clients]) };
  return last.placed.map(({ start, end, facts }): InboxFinding => ({ ...facts, ...html.locate(start, end) }));
}

function place(html: InboxHtml, ids: string[]): Placed[] {
  const found: { span: { start: number; end: number }; issue: UnitIssue }[] = [];
  if (ids.length === 0) return [];
  const { model } = html;
  // Elements: `<tag attr="value"></tag>`, closed so no raw-text element swallows the next line.
  const quoteAttr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/[\r\n]+/g, ' ');
  const elementUnits = model.elements.map((e) => `<${e.tag}${e.attrs.map((a) => ` ${a.name}="${quoteAttr(a.value)}"`).join('')}></${e.tag}>`);
  batch('html', ids, elementUnits).forEach((issues, k) => {
    for (const issue of issues) found.push({ span: model.elements[k].name, issue });
  });
  // Declarations of style attributes, one rule each.
  const declarationSpans: { start: number; end: number }[] = [];
  const declarationUnits: string[] = [];
  /** Per style attribute, its declarations (by unit index) with their bare values: for the hiding fallbacks. */
  const attributeDeclarations: { k: number; property: string; value: string }[][] = [];
  for (const style of model.styles) {
    if (style.kind !== 'attribute') continue;
    const own: { k: number; property: string; value: string }[] = [];
    for (const d of declarations(style.css)) {
      const value = bareValue(d.value.replace(/[\r\n]+/g, ' '));
      own.push({ k: declarationUnits.length, property: d.property, value: value.toLowerCase() });
      declarationSpans.push({ start: style.start + d.start, end: style.start + d.end });
      declarationUnits.push(`a{${d.property}:${value}}`);
    }
    attributeDeclarations.push(own);
  }
  const declarationIssues = batch('css', ids, declarationUnits).map((issues) => issues.filter((issue) => !WRAPPER_TITLE(issue.title)));
  for (const own of attributeDeclarations) {
    // The clients for which the element is hidden by some way: the other ways' failures do not count there.
    const unsupported = (k: number) => new Set(declarationIssues[k].flatMap((issue) => issue.clients));
    const hidden = new Set<string>();
    const hiding = new Set<number>();
    for (const way of HIDING_WAYS) {
      const parts = way.map((matches) => own.find((d) => matches(d)));
      if (parts.some((part) => !part)) continue;
      for (const part of parts) hiding.add(part!.k);
      const fails = parts.map((part) => unsupported(part!.k));
      const msoOnly = parts.some((part) => part!.property === 'mso-hide');
      for (const id of ids) if (fails.every((set) => !set.has(id)) && (!msoOnly || MSO_CLIENTS.has(id))) hidden.add(id);
    }
    for (const k of hiding) declarationIssues[k] = declarationIssues[k].map((issue) => ({ ...issue, clients: issue.clients.filter((id) => !hidden.has(id)) }));
  }
  declarationIssues.forEach((issues, k) => {
    for (const issue of issues) found.push({ span: declarationSpans[k], issue });
  });
  // <style> blocks, whole: caniemail locates rules and declarations; at-rules it names without a place.
  for (const style of model.styles) {
    if (style.kind !== 'block') continue;
    const lines = new LineIndex(style.css);
    // `!important` blanked out (same length: caniemail's positions stay those of the text).
    for (const issue of blockVerdict(ids, style.css.replace(/!\s*important/gi, (m) => ' '.repeat(m.length)))) {
      if (issue.position) {
        const offset = lines.offsetAt({ line: issue.position.line - 1, column: issue.position.column - 1 });
        const lineEnd = lines.lineEnd(issue.position.line - 1);
        found.push({ span: { start: style.start + offset, end: style.start + Math.max(offset, lineEnd) }, issue });
        continue;
      }
      const name = /^@[a-z-]+/i.exec(issue.title)?.[0];
      const matches = name ? [...style.css.matchAll(new RegExp(`${name}\\b`, 'gi'))] : [];
      if (matches.length === 0) found.push({ span: { start: style.start, end: style.start }, issue });
      for (const match of matches) found.push({ span: { start: style.start + match.index, end: style.start + match.index + match[0].length }, issue });
    }
  }
  const seen = new Set<string>();
  const placed: Placed[] = [];
  const msoHidden = msoHiddenSpans(model);
  for (const { span, issue } of found.sort((a, b) => a.span.start - b.span.start)) {
    if (ignored(issue.title)) continue;
    const key = `${span.start}:${span.end}:${issue.title}`;
    if (seen.has(key)) continue;
    const skippedByMso = msoHidden.some((hidden) => span.start >= hidden.start && span.end <= hidden.end);
    const clientIds = ids.filter((id) => issue.clients.includes(id) && !(skippedByMso && MSO_CLIENTS.has(id)));
    if (clientIds.length === 0) continue;
    seen.add(key);
    const feature = BY_TITLE.get(issue.title);
    placed.push({
      start: span.start,
      end: span.end,
      facts: {
        kind: 'client-unsupported',
        feature: issue.title,
        slug: feature?.slug ?? '',
        url: feature?.url ?? 'https://www.caniemail.com/',
        clients: clientIds,
        clientNames: clientIds.map(clientName),
        notes: issue.notes,
      },
    });
  }
  return placed;
}
