// Where the cursor is in a YAML document, as a path of keys and indexes ("sending", "transport"), so
// completion and hover can look that path up in the schema. Pure (no `vscode`): unit-tested alone.
//
// A half-typed line ("  tra", "  - ") is not yet a node, so completion parses a copy of the text in
// which the cursor's line is completed with a sentinel key or value, then finds the sentinel; that
// also gives the right parent for a key typed under an empty `sending:`.
import { isMap, isPair, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { tooDeepAt } from '../../core/load/yamlDepth';

export type YamlPath = (string | number)[];

const SENTINEL = '__mailings_cursor__';

export interface KeyCompletionContext {
  kind: 'key';
  /** Path of the mapping the new key goes into. */
  path: YamlPath;
  /** Keys already in that mapping (not offered again). */
  siblings: string[];
  /** Offsets of the partial word under the cursor, replaced by the completion. */
  replace: [number, number];
}

export interface ValueCompletionContext {
  kind: 'value';
  /** Path of the value being typed (its key last). */
  path: YamlPath;
  replace: [number, number];
}

export type CompletionContext = KeyCompletionContext | ValueCompletionContext;

/** The completion context at `offset`, or undefined where neither a key nor a plain value is typed. */
export function completionContextAt(text: string, offset: number): CompletionContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  const before = text.slice(lineStart, offset);
  if (/#/.test(before) || /^\s*(---|\.\.\.)/.test(before)) return undefined;

  // `key: partial` (the key possibly after `- `): a value is typed.
  const valueMatch = /^(\s*(?:-\s+)*)([^\s#:{}[\],"'][^#:]*?|"[^"]*"|'[^']*'):(\s+)(.*)$/.exec(before);
  if (valueMatch) {
    const typed = valueMatch[4];
    if (/^[|>[{]/.test(typed)) return undefined;
    const valueStart = offset - typed.length;
    const probe = text.slice(0, valueStart) + SENTINEL + text.slice(lineEnd);
    const found = findSentinel(probe);
    if (!found || found.kind !== 'value') return undefined;
    return { kind: 'value', path: found.path, replace: [valueStart, lineEnd] };
  }

  // Otherwise a key is typed: the partial word is the run of key characters before the cursor.
  const keyMatch = /^(\s*(?:-\s+)*)([A-Za-z0-9_-]*)$/.exec(before);
  if (!keyMatch) return undefined;
  const wordStart = offset - keyMatch[2].length;
  const rest = text.slice(offset, lineEnd);
  const restWord = /^[A-Za-z0-9_-]*/.exec(rest)?.[0] ?? '';
  // Keep whatever follows the word on the line only when it is the key's own colon and value.
  const tail = /^\s*:/.test(rest.slice(restWord.length)) ? rest.slice(restWord.length) : ':';
  const probe = text.slice(0, wordStart) + SENTINEL + tail + text.slice(lineEnd);
  const found = findSentinel(probe);
  if (!found || found.kind !== 'key') return undefined;
  return { kind: 'key', path: found.path, siblings: found.siblings, replace: [wordStart, offset + restWord.length] };
}

type Found = { kind: 'key'; path: YamlPath; siblings: string[] } | { kind: 'value'; path: YamlPath };

function findSentinel(text: string): Found | undefined {
  // Nested too deep to parse safely (the diagnostics say so): no completion.
  if (tooDeepAt(text) >= 0) return undefined;
  const doc = parseDocument(text, { strict: false, uniqueKeys: false });
  return visitForSentinel(doc.contents as Node | null, []);
}

function visitForSentinel(node: Node | null | undefined, path: YamlPath): Found | undefined {
  if (!node) return undefined;
  if (isScalar(node)) {
    return node.value === SENTINEL ? { kind: 'value', path } : undefined;
  }
  if (isMap(node)) {
    for (const item of node.items) {
      const key = keyName(item);
      if (key === SENTINEL) {
        const siblings = node.items.map(keyName).filter((k): k is string => k !== undefined && k !== SENTINEL);
        return { kind: 'key', path, siblings };
      }
      const inner = visitForSentinel(item.value as Node | null, [...path, key ?? '']);
      if (inner) return inner;
    }
    return undefined;
  }
  if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const inner = visitForSentinel(node.items[i] as Node | null, [...path, i]);
      if (inner) return inner;
    }
  }
  return undefined;
}

function keyName(pair: Pair<unknown, unknown>): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return key.value === null || key.value === undefined ? undefined : String(key.value);
  return typeof key === 'string' ? key : undefined;
}

export interface NodeAtOffset {
  /** Path of the key (or of the value) under the cursor. */
  path: YamlPath;
  /** True when the cursor is on the key itself. */
  onKey: boolean;
  /** Offsets of the key or value node under the cursor. */
  range: [number, number];
}

/** The innermost key or scalar value under `offset` in a parsed document (for hover and links). */
export function nodeAt(text: string, offset: number): NodeAtOffset | undefined {
  if (tooDeepAt(text) >= 0) return undefined;
  const doc = parseDocument(text, { strict: false, uniqueKeys: false });
  return visitAt(doc.contents as Node | null, [], offset);
}

function visitAt(node: Node | null | undefined, path: YamlPath, offset: number): NodeAtOffset | undefined {
  if (!node || !node.range) return undefined;
  const [start, , end] = node.range;
  if (offset < start || offset > end) return undefined;
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const key = item.key as Node | null;
      const name = keyName(item);
      if (name === undefined) continue;
      if (key?.range && offset >= key.range[0] && offset <= key.range[1]) {
        return { path: [...path, name], onKey: true, range: [key.range[0], key.range[1]] };
      }
      const inner = visitAt(item.value as Node | null, [...path, name], offset);
      if (inner) return inner;
    }
    return undefined;
  }
  if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const inner = visitAt(node.items[i] as Node | null, [...path, i], offset);
      if (inner) return inner;
    }
    return undefined;
  }
  if (isScalar(node) && offset <= node.range[1]) {
    return { path, onKey: false, range: [node.range[0], node.range[1]] };
  }
  return undefined;
}

/** The merge-field name being typed after an open `{{` before the cursor, if any ("" right after `{{`). */
export function mergeFieldPrefixAt(lineBeforeCursor: string): string | undefined {
  const match = /\{\{\s*([A-Za-z0-9_.-]*)$/.exec(lineBeforeCursor);
  return match ? match[1] : undefined;
}
