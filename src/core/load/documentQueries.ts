// What the editor asks of a mailing's text — the node under the cursor, where to insert a missing key,
// what is being typed — answered from the core's own parse of that text (parseMailingText: one parse
// per text, shared with the confirm model through the FileCache), so every feature sees the document
// as the checks do: the last of two equal keys wins, a long inline list is the fast reader's.
import { stringify } from 'yaml';
import type { FileCache } from './fileCache';
import { SourceRanges } from './ranges';
import { schemaDiagnostics } from './schemaDiagnostics';
import { locate, type PathSegment, type SourceNode, type YamlPath } from './sourceNodes';
import { parseYamlSource, type YamlSource } from './yamlSource';
import type { Diagnostic } from '../types';

export interface ParsedMailing {
  yaml: YamlSource;
  ranges: SourceRanges;
  /** The schema's verdict on the text (it depends on the text alone). */
  schema: Diagnostic[];
}

/** The parse of a mailing's text, kept in the cache for its latest text: the confirm model uses the same one. */
export function parseMailingText(cache: FileCache, file: string, text: string): ParsedMailing {
  return cache.parsed(file, text, () => {
    const yaml = parseYamlSource(text);
    const ranges = new SourceRanges(yaml.lines, yaml.root);
    return { yaml, ranges, schema: schemaDiagnostics(yaml.value, ranges) };
  });
}

export interface NodeAtOffset {
  /** Path of the key (or of the value) under the cursor. */
  path: PathSegment[];
  /** True when the cursor is on the key itself. */
  onKey: boolean;
  /** Offsets of the key or value under the cursor. */
  range: [number, number];
}

/** The innermost key or scalar value under `offset` (for hover and links). */
export function nodeAt(root: SourceNode | undefined, offset: number): NodeAtOffset | undefined {
  const visit = (node: SourceNode | undefined, path: PathSegment[], depth: number): NodeAtOffset | undefined => {
    if (!node || depth > 64 || offset < node.start || offset > node.end) return undefined;
    if (node.kind === 'scalar') return { path, onKey: false, range: [node.start, node.end] };
    for (const segment of node.segments()) {
      const entry = node.entry(segment);
      if (!entry) continue;
      if (entry.keyStart !== undefined && entry.keyEnd !== undefined && offset >= entry.keyStart && offset <= entry.keyEnd) {
        return { path: [...path, segment], onKey: true, range: [entry.keyStart, entry.keyEnd] };
      }
      const inner = visit(entry.value, [...path, segment], depth + 1);
      if (inner) return inner;
    }
    return undefined;
  };
  return visit(root, [], 0);
}

export interface TextInsertion {
  offset: number;
  text: string;
}

/** A value as YAML writes it on one line (completion's insert text, quick fixes' values). */
export function yamlValueText(value: unknown): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/**
 * Adds `key: value` to the mapping at `parentPath`, creating the missing mappings on the way
 * (`unsubscribe:` then `url:` beneath it), keeping the file's own layout. Undefined when the path
 * runs into a sequence index that does not exist, a flow collection or a scalar: no clear place to
 * write, so no quick fix.
 */
export function insertKey(text: string, source: Pick<YamlSource, 'root' | 'unread'>, parentPath: YamlPath, key: string, value: unknown): TextInsertion | undefined {
  // Not read (nested too deep, the diagnostics say so): nowhere sure to write.
  if (source.unread) return undefined;
  let node = source.root;
  let keyLineIndent = -1; // indent of the key that owns `node` (-1: the root)
  let ownerKeyEnd = 0; // offset just after that key
  let depth = 0;
  for (; depth < parentPath.length; depth++) {
    const segment = parentPath[depth];
    if (typeof segment === 'number') {
      const item = node?.kind === 'seq' ? node.entry(segment) : undefined;
      if (!item?.value) return undefined;
      node = item.value;
      continue;
    }
    if (node?.kind !== 'map') break;
    const entry = node.entry(segment);
    if (!entry || entry.keyStart === undefined || entry.keyEnd === undefined) break;
    keyLineIndent = columnOf(text, entry.keyStart);
    ownerKeyEnd = entry.keyEnd;
    node = entry.value;
  }
  if (parentPath.slice(depth).some((segment) => typeof segment === 'number')) return undefined;

  // What to write: the key, wrapped in the mappings that do not exist yet.
  let block: unknown = { [key]: value };
  for (const segment of [...parentPath.slice(depth)].reverse()) block = { [segment as string]: block };
  const yamlText = stringify(block, { lineWidth: 0 }).replace(/\n$/, '');

  if (node?.kind === 'map') {
    if (text[node.start] === '{') return undefined; // a flow mapping: no place for a block key
    const first = node.segments()[0];
    const firstKey = first === undefined ? undefined : node.entry(first)?.keyStart;
    if (firstKey !== undefined) return appendToBlockMap(text, node, firstKey, yamlText);
  }
  if (node && !(node.kind === 'scalar' && !text.slice(node.start, node.end).trim())) return undefined;
  // The owner key has no value yet (`unsubscribe:`), or the document is empty.
  if (keyLineIndent < 0) {
    const prefix = text.length === 0 || text.endsWith('\n') ? '' : '\n';
    return { offset: text.length, text: prefix + yamlText + '\n' };
  }
  const lineEnd = text.indexOf('\n', ownerKeyEnd);
  const body = indentLines(yamlText, ' '.repeat(keyLineIndent + 2));
  return lineEnd < 0 ? { offset: text.length, text: '\n' + body + '\n' } : { offset: lineEnd + 1, text: body + '\n' };
}

function appendToBlockMap(text: string, map: SourceNode, firstKey: number, yamlText: string): TextInsertion {
  const indent = ' '.repeat(columnOf(text, firstKey));
  let end = map.end;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const lineEnd = text.indexOf('\n', end);
  const body = indentLines(yamlText, indent);
  return lineEnd < 0 ? { offset: text.length, text: '\n' + body + '\n' } : { offset: lineEnd + 1, text: body + '\n' };
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function indentLines(block: string, indent: string): string {
  return block
    .split('\n')
    .map((line) => (line ? indent + line : line))
    .join('\n');
}

// ---- Completion --------------------------------------------------------------------------------
// A half-typed line ("  tra", "  - ") is not yet a node of the document, so completion asks the
// parser about a probe: the text with the word under the cursor completed by a sentinel key or
// value, then finds the sentinel (that also gives the right parent for a key typed under an empty
// `sending:`). One parse of the probe per completion request, by the core's own parser.

const SENTINEL = '__mailings_cursor__';

export interface KeyCompletionContext {
  kind: 'key';
  /** Path of the mapping the new key goes into. */
  path: PathSegment[];
  /** Keys already in that mapping (not offered again). */
  siblings: string[];
  /** Offsets of the partial word under the cursor, replaced by the completion. */
  replace: [number, number];
}

export interface ValueCompletionContext {
  kind: 'value';
  /** Path of the value being typed (its key last). */
  path: PathSegment[];
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

type Found = { kind: 'key'; path: PathSegment[]; siblings: string[] } | { kind: 'value'; path: PathSegment[] };

function findSentinel(text: string): Found | undefined {
  const source = parseYamlSource(text);
  // Not read (nested too deep, the diagnostics say so): no completion.
  if (source.unread) return undefined;
  const visit = (node: SourceNode | undefined, path: PathSegment[], depth: number): Found | undefined => {
    if (!node || depth > 64) return undefined;
    if (node.kind === 'scalar') return text.slice(node.start, node.end) === SENTINEL ? { kind: 'value', path } : undefined;
    const segments = node.segments();
    if (node.kind === 'map' && segments.includes(SENTINEL)) {
      return { kind: 'key', path, siblings: segments.filter((s): s is string => typeof s === 'string' && s !== SENTINEL) };
    }
    for (const segment of segments) {
      const inner = visit(node.entry(segment)?.value, [...path, segment], depth + 1);
      if (inner) return inner;
    }
    return undefined;
  };
  return visit(source.root, [], 0);
}

/** The merge-field name being typed after an open `{{` before the cursor, if any ("" right after `{{`). */
export function mergeFieldPrefixAt(lineBeforeCursor: string): string | undefined {
  const match = /\{\{\s*([A-Za-z0-9_.-]*)$/.exec(lineBeforeCursor);
  return match ? match[1] : undefined;
}

/** Where a path's value is written, for links to the files a mailing names. */
export function valueSpan(root: SourceNode | undefined, path: YamlPath, text: string): [number, number] | undefined {
  const node = locate(root, path).node;
  if (!node || node.kind !== 'scalar') return undefined;
  const raw = text.slice(node.start, node.end);
  const quoted = raw.startsWith('"') || raw.startsWith("'");
  return quoted ? [node.start + 1, node.end - 1] : [node.start, node.end];
}
