// Reads the text of a mailing file with the yaml package's Document (source ranges kept) into plain
// data plus a SourceNode view for locating diagnostics. Never throws: every parser error and warning
// becomes a located `yaml-syntax` diagnostic and whatever could be read is kept.
import { Document, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, Scalar, visit, type Pair, type YAMLError } from 'yaml';
import type { YamlSyntaxArgs } from '../facts/diagnostics';
import { clipValue } from '../facts/format';
import type { Diagnostic, Severity } from '../types';
import { readFastSequences, type FastSequence } from './fastSequence';
import { LineIndex } from './lineIndex';
import { yamlSourceNode, type PathSegment, type SourceNode } from './sourceNodes';
import { MAX_YAML_DEPTH, tooDeepAt } from './yamlDepth';

export interface YamlSource {
  text: string;
  lines: LineIndex;
  /** Plain data of the (first) document: null when the file holds nothing. */
  value: unknown;
  /** The document's root node, when it has one. */
  root?: SourceNode;
  /** `yaml-syntax` errors and warnings, in file order. */
  diagnostics: Diagnostic[];
  /** The text was not parsed at all (nested too deep to read safely): `value` is null, `diagnostics` says why. */
  unread?: boolean;
}

/** Enough aliases for any honest file; the limit stops "billion laughs" expansion. */
const MAX_ALIAS_COUNT = 10_000;

export function parseYamlSource(text: string): YamlSource {
  const lines = new LineIndex(text);
  // Checked before the parser runs: it, and every walker over its tree, recurses once per level.
  const deep = tooDeepAt(text);
  if (deep >= 0) {
    const args: YamlSyntaxArgs = { kind: 'too-deep', max: MAX_YAML_DEPTH, line: lines.positionAt(deep).line + 1 };
    return { text, lines, value: null, diagnostics: [syntaxDiagnostic(lines, deep, deep + 1, args, 'error')], unread: true };
  }
  try {
    const cuts = readFastSequences(text);
    return (cuts.length > 0 ? read(text, lines, cuts) : undefined) ?? read(text, lines, [])!;
  } catch (error) {
    // The yaml package reports problems as errors rather than throwing; this is the last line of defence.
    const message = error instanceof Error ? error.message : String(error);
    return { text, lines, value: null, diagnostics: [syntaxDiagnostic(lines, 0, 0, { kind: 'unreadable', text: clipValue(message, 300) }, 'error')] };
  }
}

/**
 * Parses `text` with the `cuts` (long sequences read by fastSequence.ts) taken out. Returns undefined
 * when a cut turns out not to be the plain value of its key; the caller then parses without cuts.
 */
function read(text: string, lines: LineIndex, cuts: FastSequence[]): YamlSource | undefined {
  const reduced = cuts.length > 0 ? textWithout(text, cuts) : text;
  // logLevel 'error': the yaml package would print its warnings to the console; we report them instead.
  const documents = [...parseAllDocuments(reduced, { prettyErrors: false, logLevel: 'error' })] as Document.Parsed[];
  const placements: { path: PathSegment[]; value: unknown }[] = [];
  const splices = new Map<Pair, SourceNode>();
  if (cuts.length > 0) {
    // Errors near a cut could mean the cut changed what the text says: let the yaml package read it all.
    if (documents.some((doc) => doc.errors.length > 0) || documents.length !== 1) return undefined;
    shiftOffsets(documents[0], cuts);
    for (const cut of cuts) {
      const found = findEmptyPair(documents[0], cut.keyStart);
      if (!found) return undefined;
      splices.set(found.pair, cut.node);
      placements.push({ path: found.path, value: cut.value });
    }
  }

  const diagnostics: Diagnostic[] = [];
  documents.forEach((doc, index) => {
    for (const error of doc.errors) diagnostics.push(fromYamlError(lines, error, 'error'));
    for (const warning of doc.warnings) diagnostics.push(fromYamlError(lines, warning, 'warning'));
    if (index === 1) {
      const start = doc.range?.[0] ?? 0;
      const line = lines.positionAt(start).line;
      const marker = text.lastIndexOf('---', start);
      const at = marker >= 0 && lines.positionAt(marker).line >= line - 1 ? marker : start;
      diagnostics.push(
        syntaxDiagnostic(lines, at, lines.lineEnd(lines.positionAt(at).line), { kind: 'second-document' }, 'error'),
      );
    }
  });

  const doc = documents[0];
  if (!doc) return { text, lines, value: null, diagnostics };

  // An alias without its anchor makes toJS throw: report it and read it as empty.
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc)) return undefined;
      const [start, end] = alias.range ?? [0, 0];
      diagnostics.push(syntaxDiagnostic(lines, start, end, { kind: 'unknown-alias', alias: clipValue(alias.source) }, 'error'));
      const empty = new Scalar(null);
      empty.range = [start, start, start];
      return empty;
    },
  });

  let value: unknown = null;
  try {
    value = plainData(doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), 0);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    diagnostics.push(syntaxDiagnostic(lines, 0, lines.lineEnd(0), { kind: 'unreadable', text: clipValue(message, 300) }, 'error'));
  }
  for (const placement of placements) setAt(value, placement.path, placement.value);
  return { text, lines, value, root: yamlSourceNode(doc.contents, doc, splices), diagnostics: distinct(diagnostics) };
}

/** Binary scalars (`!!binary`) become their base64 text: the schema then judges them as text. */
function plainData(value: unknown, depth: number): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value !== 'object' || value === null || depth > 64) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = plainData(value[i], depth + 1);
  } else {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) record[key] = plainData(record[key], depth + 1);
  }
  return value;
}

/** At most this many syntax diagnostics: one broken bracket can make the parser repeat itself. */
const MAX_SYNTAX_DIAGNOSTICS = 50;

/** In file order, each problem once, and not more than a reader can use. */
function distinct(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const result: Diagnostic[] = [];
  diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
  for (const diagnostic of diagnostics) {
    const key = `${diagnostic.range.start.line}:${diagnostic.range.start.column}:${JSON.stringify(diagnostic.args)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(diagnostic);
  }
  if (result.length <= MAX_SYNTAX_DIAGNOSTICS) return result;
  const rest = result.length - MAX_SYNTAX_DIAGNOSTICS + 1;
  const kept = result.slice(0, MAX_SYNTAX_DIAGNOSTICS - 1);
  kept.push({ ...result[MAX_SYNTAX_DIAGNOSTICS - 1], code: 'yaml-syntax', args: { kind: 'more', count: rest } });
  return kept;
}

function textWithout(text: string, cuts: FastSequence[]): string {
  let result = '';
  let from = 0;
  for (const cut of cuts) {
    result += text.slice(from, cut.cutStart);
    from = cut.cutEnd;
  }
  return result + text.slice(from);
}

/** Moves the offsets of a document read from the reduced text back to the full text. */
function shiftOffsets(doc: Document.Parsed, cuts: FastSequence[]): void {
  const starts: number[] = [];
  let removed = 0;
  for (const cut of cuts) {
    starts.push(cut.cutStart - removed);
    removed += cut.cutEnd - cut.cutStart;
  }
  const toFull = (offset: number): number => {
    let add = 0;
    for (let i = 0; i < starts.length && offset >= starts[i]; i++) add += cuts[i].cutEnd - cuts[i].cutStart;
    return offset + add;
  };
  const shift = (range: [number, number, number] | undefined | null) => range && ([toFull(range[0]), toFull(range[1]), toFull(range[2])] as [number, number, number]);
  visit(doc, {
    Node(_, node) {
      if (node.range) node.range = shift(node.range)!;
    },
  });
  if (doc.range) doc.range = shift(doc.range)!;
  for (const problem of [...doc.errors, ...doc.warnings]) problem.pos = [toFull(problem.pos[0]), toFull(problem.pos[1])];
}

/** The pair of a block map whose plain key starts at `keyStart` and has no value, with its path. */
function findEmptyPair(doc: Document.Parsed, keyStart: number): { pair: Pair; path: PathSegment[] } | undefined {
  const search = (node: unknown, path: PathSegment[]): { pair: Pair; path: PathSegment[] } | undefined => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = pair.key;
        const here = [...path, String(key.value)];
        if (key.range?.[0] === keyStart) {
          const value = pair.value;
          const empty = value === null || (isScalar(value) && value.value === null && !!value.range && value.range[0] === value.range[1]);
          return !node.flow && key.type === Scalar.PLAIN && empty ? { pair: pair as Pair, path: here } : undefined;
        }
        const inner = search(pair.value, here);
        if (inner) return inner;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const inner = search(node.items[i], [...path, i]);
        if (inner) return inner;
      }
    }
    return undefined;
  };
  return isAlias(doc.contents) ? undefined : search(doc.contents, []);
}

function setAt(root: unknown, path: PathSegment[], value: unknown): void {
  let node = root as Record<string | number, unknown> | null;
  for (let i = 0; i < path.length - 1; i++) {
    const next = node?.[path[i]];
    if (typeof next !== 'object' || next === null) return;
    node = next as Record<string | number, unknown>;
  }
  if (node && typeof node === 'object') node[path[path.length - 1]] = value;
}

function fromYamlError(lines: LineIndex, error: YAMLError, severity: Severity): Diagnostic {
  const [start, end] = problemSpan(lines.text, error);
  // The parser's words, which may quote the text (a tag, a key): one short line, as every message is.
  const message = clipValue(error.message.replace(/\s+/g, ' ').trim(), 300);
  return syntaxDiagnostic(lines, start, end, { kind: 'parser', problem: error.code, text: message.charAt(0).toUpperCase() + message.slice(1) }, severity);
}

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/**
 * Where a parser error is best shown. The yaml package points at the place it noticed the problem,
 * which is sometimes past it: the end of the file for an unclosed quote or bracket, the indentation
 * before a misplaced key, the first letter of a repeated key.
 */
function problemSpan(text: string, error: YAMLError): [number, number] {
  let [start, end] = error.pos;
  const lineEnd = (at: number) => {
    const next = text.indexOf('\n', at);
    return next === -1 ? text.length : text[next - 1] === '\r' ? next - 1 : next;
  };
  const tokenEnd = (at: number) => {
    let to = at;
    while (to < text.length && !isSpace(text[to]) && !(text[to] === ':' && (isSpace(text[to + 1]) || to + 1 >= text.length))) to++;
    return to;
  };
  const quote = /Missing closing (["'])quote/.exec(error.message)?.[1];
  if (quote) {
    // Back to the quote that opened the scalar: one that starts a value.
    for (let at = Math.min(start, text.length - 1); at >= 0; at--) {
      if (text[at] !== quote) continue;
      let before = at - 1;
      while (before >= 0 && text[before] === ' ') before--;
      if (before < 0 || '\n:-[{,?'.includes(text[before])) return [at, lineEnd(at)];
    }
  }
  if (start >= text.length || !text.slice(start, lineEnd(start)).trim()) {
    // At the end of the file or on a blank line: back to the last thing written.
    let at = Math.min(start, text.length) - 1;
    while (at > 0 && isSpace(text[at])) at--;
    if (at >= 0 && !isSpace(text[at])) return [at, at + 1];
  }
  if (text[start] === ' ') {
    // Only indentation: show the thing that is indented wrongly.
    while (start < text.length && text[start] === ' ') start++;
    return [start, Math.max(tokenEnd(start), start + 1)];
  }
  if (error.code === 'DUPLICATE_KEY') end = Math.max(end, tokenEnd(start));
  return [start, end];
}

export function syntaxDiagnostic(lines: LineIndex, start: number, end: number, args: YamlSyntaxArgs, severity: Severity): Diagnostic {
  // A zero-width problem is widened to one character (or the end of its line) so editors can show it.
  let to = end;
  if (to <= start) {
    const lineEnd = lines.lineEnd(lines.positionAt(start).line);
    to = start < lineEnd ? start + 1 : start;
  }
  return { code: 'yaml-syntax', args, severity, step: 'file', range: lines.range(start, to) };
}
