// The scalars of a mailing file that name another file (content, attachments, CSVs, DKIM key), with
// their offsets: what document links point at. Pure (no `vscode`).
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { tooDeepAt } from '../../core/load/yamlDepth';

export interface FileReference {
  /** The path as written, relative to the mailing file. */
  value: string;
  /** Offsets of the path text inside the document (quotes excluded). */
  start: number;
  end: number;
}

/** Looks like a path rather than inline content (`html: |` with markup, or several lines). */
function isPathLike(value: string): boolean {
  return value.trim().length > 0 && !/[\n<>{}]/.test(value);
}

export function fileReferences(text: string): FileReference[] {
  // Nested too deep to parse safely (the diagnostics say so): no links.
  if (tooDeepAt(text) >= 0) return [];
  const doc = parseDocument(text, { strict: false, uniqueKeys: false });
  const root = doc.contents as Node | null;
  const out: FileReference[] = [];
  const take = (node: unknown) => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range || !isPathLike(node.value)) return;
    const raw = text.slice(node.range[0], node.range[1]);
    const quoted = raw.startsWith('"') || raw.startsWith("'");
    const start = node.range[0] + (quoted ? 1 : 0);
    out.push({ value: node.value, start, end: start + node.value.length });
  };
  const get = (node: unknown, key: string): unknown => {
    if (!isMap(node)) return undefined;
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
    return pair?.value;
  };
  const content = get(root, 'content');
  take(get(content, 'html'));
  take(get(content, 'text'));
  const attachments = get(root, 'attachments');
  if (isSeq(attachments)) attachments.items.forEach(take);
  const targetList = get(root, 'targetList');
  for (const kind of ['include', 'exclude']) {
    const sources = get(targetList, kind);
    if (isSeq(sources)) for (const source of sources.items) take(get(source, 'file'));
  }
  take(get(get(get(root, 'sending'), 'dkim'), 'privateKey'));
  return out;
}
