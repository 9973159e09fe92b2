// Client support: the HTML elements and attributes and the CSS a chosen mail client does not support,
// from caniemail's data through the `caniemail` package's own detection (the same rules caniemail.com
// applies). The package re-parses what it is given and weighs every feature against every client,
// about half a millisecond per CSS rule for the four default families, so it is fed small units —
// one element's start tag, one declaration of a `style` attribute, one `<style>` block — and each
// unit's verdict is kept for the process's life: after an edit of the HTML only the new units are
// asked about, after an edit of the YAML nothing is. A unit's features are located where the unit is
// written (an element at its name, a declaration at itself, a rule of a `<style>` block at the rule).
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
  for (const style of model.styles) {
    if (style.kind !== 'attribute') continue;
    for (const d of declarations(style.css)) {
      declarationSpans.push({ start: style.start + d.start, end: style.start + d.end });
      declarationUnits.push(`a{${d.property}:${d.value.replace(/[\r\n]+/g, ' ')}}`);
    }
  }
  batch('css', ids, declarationUnits).forEach((issues, k) => {
    for (const issue of issues) if (!WRAPPER_TITLE(issue.title)) found.push({ span: declarationSpans[k], issue });
  });
  // <style> blocks, whole: caniemail locates rules and declarations; at-rules it names without a place.
  for (const style of model.styles) {
    if (style.kind !== 'block') continue;
    const lines = new LineIndex(style.css);
    for (const issue of blockVerdict(ids, style.css)) {
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
  for (const { span, issue } of found.sort((a, b) => a.span.start - b.span.start)) {
    const key = `${span.start}:${span.end}:${issue.title}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const feature = BY_TITLE.get(issue.title);
    const clientIds = ids.filter((id) => issue.clients.includes(id));
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
