// Long target lists written inline (thousands of `- email: …` entries) are the one shape where the
// yaml package is too slow for validate-as-you-type (about 50 µs per entry: 10,000 contacts take half a
// second). This reader recognises exactly that shape — a block sequence, under a `key:` line, of flat
// mappings whose values are single-line scalars — and reads it directly, resolving plain scalars with
// the yaml package's own core-schema tags. Whatever it does not fully understand (anchors, tags, block
// or multi-line scalars, escapes, nesting, tabs) it leaves to the yaml package, and yamlSource.ts
// checks that every sequence it cut out really was the value of that key; otherwise the whole text is
// parsed by the yaml package. So the result is always the one the yaml package would give.
import { Document, isScalar } from 'yaml';
import type { PathSegment, ScalarStyle, SourceEntry, SourceNode } from './sourceNodes';

/** Sequences shorter than this are left to the yaml package: it is fast enough for them. */
export const FAST_MIN_ITEMS = 64;

export interface FastSequence {
  /** Offset of the key (`include` in `  include:`) whose value the sequence is. */
  keyStart: number;
  /** The cut: from the start of the sequence's first line to the start of the line after its last. */
  cutStart: number;
  cutEnd: number;
  node: SourceNode;
  value: Record<string, unknown>[];
}

/** Per entry, five numbers: key start, key end, value start, value end (-1: no value), style. */
const STRIDE = 5;
const STYLE_CODES: ScalarStyle[] = ['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE'];

/** A mapping item: a view into its sequence's shared arrays, made when a diagnostic asks for it. */
class FastMapNode implements SourceNode {
  readonly kind = 'map';
  constructor(
    readonly start: number,
    readonly end: number,
    private readonly keys: string[],
    private readonly offsets: number[],
    private readonly first: number,
  ) {}

  entry(segment: PathSegment): SourceEntry | undefined {
    const i = this.keys.lastIndexOf(String(segment));
    if (i < 0) return undefined;
    const at = this.first + i * STRIDE;
    const o = this.offsets;
    const value = o[at + 2] < 0 ? undefined : new FastScalarNode(o[at + 2], o[at + 3], STYLE_CODES[o[at + 4]]);
    return { keyStart: o[at], keyEnd: o[at + 1], value };
  }

  segments(): PathSegment[] {
    return [...new Set(this.keys)];
  }
}

class FastScalarNode implements SourceNode {
  readonly kind = 'scalar';
  constructor(
    readonly start: number,
    readonly end: number,
    readonly style: ScalarStyle,
  ) {}

  entry(): SourceEntry | undefined {
    return undefined;
  }

  segments(): PathSegment[] {
    return [];
  }
}

/**
 * The sequence: per item its start, end, keys and where its entries begin in one shared array of
 * offsets. Thousands of items cost a few arrays, not thousands of objects (and garbage collections).
 */
class FastSeqNode implements SourceNode {
  readonly kind = 'seq';
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly firsts: number[] = [];
  readonly keys: string[][] = [];
  readonly offsets: number[] = [];

  constructor(
    readonly start: number,
    public end: number,
  ) {}

  get length(): number {
    return this.starts.length;
  }

  entry(segment: PathSegment): SourceEntry | undefined {
    const i = typeof segment === 'number' ? segment : Number(segment);
    if (!Number.isInteger(i) || i < 0 || i >= this.starts.length) return undefined;
    return { value: new FastMapNode(this.starts[i], this.ends[i], this.keys[i], this.offsets, this.firsts[i]) };
  }

  segments(): PathSegment[] {
    return this.starts.map((_, index) => index);
  }
}

/** Thrown inside the reader when the text leaves the recognised shape; never escapes this module. */
class NotFast extends Error {}
const NOT_FAST = new NotFast();

interface ScalarTagLike {
  default?: boolean | 'key';
  test?: RegExp;
  resolve(value: string, onError: (message: string) => void, options: { intAsBigInt: boolean }): unknown;
}

// The core schema's implicit scalar tags (null, bool, int, float), exactly as the yaml package resolves them.
const CORE_TAGS = (new Document().schema.tags as unknown as ScalarTagLike[]).filter((tag) => tag.default === true && tag.test);
const RESOLVE_OPTIONS = { intAsBigInt: false };

function resolvePlain(source: string): unknown {
  // Only these first characters can start a null, bool, int or float of the core schema.
  if (source.length > 0 && !'~nNtTfF+-.0123456789'.includes(source[0])) return source;
  for (const tag of CORE_TAGS) {
    if (tag.test!.test(source)) {
      let failed = false;
      const value = tag.resolve(source, () => (failed = true), RESOLVE_OPTIONS);
      if (failed) throw NOT_FAST;
      // Some tags (null, float) resolve to a Scalar node that carries the value.
      return isScalar(value) ? value.value : value;
    }
  }
  return source;
}

const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const CR = 13;
/** Characters that cannot start a plain scalar (c-indicator), apart from `-?:` handled separately. */
const INDICATORS = new Set([...',[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));
/** Control characters, tabs, BOMs and lone CRs make the yaml package's judgement necessary. */
const UNUSUAL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\t\ufeff]|\r(?!\n)/g;

interface Scalar {
  value: unknown;
  start: number;
  end: number;
  style: ScalarStyle;
  /** Offset just after the scalar (after a closing quote). */
  next: number;
}

class Reader {
  constructor(private readonly text: string) {}

  /** Offset after the last non-space character before `end` (line content without trailing spaces/CR). */
  private trimEnd(start: number, end: number): number {
    const text = this.text;
    while (end > start && (text.charCodeAt(end - 1) === SPACE || text.charCodeAt(end - 1) === CR)) end--;
    return end;
  }

  skipSpaces(at: number, end: number): number {
    while (at < end && this.text.charCodeAt(at) === SPACE) at++;
    return at;
  }

  /** Only spaces and an optional comment may follow; throws otherwise. */
  expectLineRest(at: number, lineEnd: number): void {
    const next = this.skipSpaces(at, lineEnd);
    if (next >= this.trimEnd(next, lineEnd)) return;
    if (this.text.charCodeAt(next) === HASH && next > at) return;
    throw NOT_FAST;
  }

  private quoted(at: number, lineEnd: number): Scalar {
    const text = this.text;
    const quote = text.charCodeAt(at);
    if (quote === 34) {
      const close = text.indexOf('"', at + 1);
      if (close < 0 || close >= lineEnd) throw NOT_FAST;
      const value = text.slice(at + 1, close);
      if (value.includes('\\')) throw NOT_FAST;
      return { value, start: at, end: close + 1, style: 'QUOTE_DOUBLE', next: close + 1 };
    }
    let value = '';
    let from = at + 1;
    for (;;) {
      const close = text.indexOf("'", from);
      if (close < 0 || close >= lineEnd) throw NOT_FAST;
      value += text.slice(from, close);
      if (text.charCodeAt(close + 1) === 39) {
        value += "'";
        from = close + 2;
        continue;
      }
      return { value, start: at, end: close + 1, style: 'QUOTE_SINGLE', next: close + 1 };
    }
  }

  /**
   * A plain scalar starting at `at`. In flow context it also ends at `,` `}` `]`. `key`: it ends at the
   * first `: ` (the mapping indicator); otherwise a `: ` inside it means nested structure: not ours.
   */
  private plain(at: number, lineEnd: number, flow: boolean, key: boolean): Scalar {
    const text = this.text;
    const first = text.charCodeAt(at);
    if (INDICATORS.has(first)) throw NOT_FAST;
    if (first === DASH || first === 63 /* ? */ || first === COLON) {
      const next = text.charCodeAt(at + 1);
      if (at + 1 >= lineEnd || next === SPACE || next === CR) throw NOT_FAST;
    }
    let end = at;
    for (; end < lineEnd; end++) {
      const c = text.charCodeAt(end);
      if (c === HASH && text.charCodeAt(end - 1) === SPACE) break;
      if (c === COLON) {
        const next = end + 1 < lineEnd ? text.charCodeAt(end + 1) : SPACE;
        if (next === SPACE || next === CR || (flow && (next === 44 || next === 125))) {
          if (key) break;
          throw NOT_FAST;
        }
      }
      if (flow && (c === 44 || c === 125 || c === 93 || c === 91 || c === 123)) break;
    }
    const stop = this.trimEnd(at, end);
    if (stop === at) throw NOT_FAST;
    const source = text.slice(at, stop);
    return { value: key ? source : resolvePlain(source), start: at, end: stop, style: 'PLAIN', next: stop };
  }

  private scalar(at: number, lineEnd: number, flow: boolean, key: boolean): Scalar {
    const c = this.text.charCodeAt(at);
    if (c === 34 || c === 39) return this.quoted(at, lineEnd);
    return this.plain(at, lineEnd, flow, key);
  }

  private key(at: number, lineEnd: number, flow: boolean): Scalar {
    const key = this.scalar(at, lineEnd, flow, true);
    // A plain key that the core schema would read as a number, bool or null changes its spelling in
    // plain data (`1.0:` becomes "1"): leave such files to the yaml package.
    if (key.style === 'PLAIN' && resolvePlain(key.value as string) !== key.value) throw NOT_FAST;
    if (key.value === '__proto__') throw NOT_FAST;
    return key;
  }

  /** `key: value` (or `key:`) from `at` to the end of the line, added to the item. */
  blockEntry(at: number, lineEnd: number, item: ItemBuilder): number {
    const key = this.key(at, lineEnd, false);
    let next = key.next;
    if (this.text.charCodeAt(next) !== COLON) throw NOT_FAST;
    next++;
    const afterColon = this.skipSpaces(next, lineEnd);
    if (afterColon === next && afterColon < this.trimEnd(afterColon, lineEnd)) throw NOT_FAST;
    const rest = this.trimEnd(afterColon, lineEnd);
    if (afterColon < rest && this.text.charCodeAt(afterColon) !== HASH) {
      const scalar = this.scalar(afterColon, lineEnd, false, false);
      this.expectLineRest(scalar.next, lineEnd);
      add(item, key, scalar);
      return scalar.end;
    }
    add(item, key, undefined);
    return key.end;
  }

  /** `{ key: value, … }` on one line, starting at the `{`; returns the offset after the `}`. */
  flowMap(at: number, lineEnd: number, item: ItemBuilder): number {
    const text = this.text;
    let pos = at + 1;
    for (;;) {
      pos = this.skipSpaces(pos, lineEnd);
      if (pos >= lineEnd) throw NOT_FAST;
      if (text.charCodeAt(pos) === 125) return pos + 1;
      const key = this.key(pos, lineEnd, true);
      pos = key.next;
      if (text.charCodeAt(pos) !== COLON) throw NOT_FAST;
      pos = this.skipSpaces(pos + 1, lineEnd);
      const c = text.charCodeAt(pos);
      let scalar: Scalar | undefined;
      if (c !== 44 && c !== 125) {
        scalar = this.scalar(pos, lineEnd, true, false);
        pos = this.skipSpaces(scalar.next, lineEnd);
      }
      add(item, key, scalar);
      const sep = text.charCodeAt(pos);
      if (sep === 44) pos++;
      else if (sep !== 125) throw NOT_FAST;
    }
  }

}

interface ItemBuilder {
  keys: string[];
  /** The sequence's shared offsets, which this item appends to. */
  offsets: number[];
  value: Record<string, unknown>;
}

function add(item: ItemBuilder, key: Scalar, scalar: Scalar | undefined): void {
  const name = key.value as string;
  // Duplicate keys are a YAML error: the yaml package reports them.
  if (item.keys.includes(name)) throw NOT_FAST;
  item.keys.push(name);
  if (scalar) item.offsets.push(key.start, key.end, scalar.start, scalar.end, STYLE_CODES.indexOf(scalar.style));
  else item.offsets.push(key.start, key.end, -1, -1, 0);
  item.value[name] = scalar ? scalar.value : null;
}

/** One line of the text; a cursor moved line by line, so scanning allocates nothing per line. */
class LineCursor {
  start = 0;
  /** End of the line's content (before `\n`). */
  end = 0;
  /** Start of the next line. */
  next = 0;
  indent = 0;
  /** True for blank and comment-only lines. */
  empty = true;

  constructor(private readonly text: string) {}

  moveTo(start: number): this {
    const text = this.text;
    let end = text.indexOf('\n', start);
    this.next = end < 0 ? text.length : end + 1;
    if (end < 0) end = text.length;
    let at = start;
    while (at < end && text.charCodeAt(at) === SPACE) at++;
    const c = text.charCodeAt(at);
    this.start = start;
    this.end = end;
    this.indent = at - start;
    this.empty = at >= end || c === HASH || (c === CR && at === end - 1);
    return this;
  }

  get last(): boolean {
    return this.next >= this.text.length;
  }
}

/** `  key:` (optionally followed by a comment): a simple key with nothing after it on the line. */
function keyWithoutValue(text: string, line: LineCursor): number | undefined {
  let at = line.start + line.indent;
  const keyStart = at;
  for (; at < line.end; at++) {
    const c = text.charCodeAt(at);
    const word = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === DASH;
    if (!word) break;
  }
  if (at === keyStart || text.charCodeAt(at) !== COLON || text.charCodeAt(keyStart) === DASH) return undefined;
  at++;
  const afterColon = at;
  while (at < line.end && text.charCodeAt(at) === SPACE) at++;
  if (at >= line.end || (text.charCodeAt(at) === CR && at === line.end - 1)) return keyStart;
  if (text.charCodeAt(at) === HASH && at > afterColon) return keyStart;
  return undefined;
}

function isItemStart(text: string, line: LineCursor, indent: number): boolean {
  if (line.empty || line.indent !== indent) return false;
  const at = line.start + indent;
  if (text.charCodeAt(at) !== DASH) return false;
  const next = text.charCodeAt(at + 1);
  return at + 1 >= line.end || next === SPACE || next === CR;
}

/**
 * Reads the block sequence that starts on the line at `from` (the line after the `key:` line, whose
 * indentation is `keyIndent`), when it has the recognised shape; undefined leaves it to the yaml package.
 */
function readSequence(text: string, reader: Reader, keyIndent: number, keyStart: number, from: number, minItems: number): FastSequence | undefined {
  const line = new LineCursor(text).moveTo(from);
  while (line.empty && !line.last) line.moveTo(line.next);
  const indent = line.indent;
  if (indent < keyIndent || !isItemStart(text, line, indent)) return undefined;

  const sequence = new FastSeqNode(line.start + indent, line.start);
  const values: Record<string, unknown>[] = [];
  const cutStart = line.start;
  let cutEnd = line.start;
  let item: ItemBuilder | undefined;
  let itemStart = 0;
  let itemEnd = 0;
  let column = -1; // column of the item's keys; -1 after a flow map (no more lines allowed)
  const finish = (done: ItemBuilder) => {
    const n = sequence.length;
    // Items usually have the same keys: share one array for them.
    const previous = n > 0 ? sequence.keys[n - 1] : undefined;
    const same = previous !== undefined && previous.length === done.keys.length && previous.every((key, i) => key === done.keys[i]);
    sequence.keys.push(same ? previous : done.keys);
    sequence.starts.push(itemStart);
    sequence.ends.push(itemEnd);
    values.push(done.value);
  };
  try {
    for (;;) {
      if (!line.empty) {
        if (isItemStart(text, line, indent)) {
          if (item) finish(item);
          item = { keys: [], offsets: sequence.offsets, value: {} };
          sequence.firsts.push(sequence.offsets.length);
          const at = reader.skipSpaces(line.start + indent + 1, line.end);
          if (at === line.start + indent + 1 || at >= line.end) throw NOT_FAST;
          itemStart = at;
          if (text.charCodeAt(at) === 123) {
            itemEnd = reader.flowMap(at, line.end, item);
            reader.expectLineRest(itemEnd, line.end);
            column = -1;
          } else {
            column = at - line.start;
            itemEnd = reader.blockEntry(at, line.end, item);
          }
        } else if (line.indent > indent && item) {
          if (line.indent !== column) throw NOT_FAST;
          itemEnd = reader.blockEntry(line.start + column, line.end, item);
        } else {
          break;
        }
        sequence.end = itemEnd;
        cutEnd = line.next;
      }
      if (line.last) break;
      line.moveTo(line.next);
    }
    if (item) finish(item);
  } catch (error) {
    if (error === NOT_FAST) return undefined;
    throw error;
  }
  if (sequence.length < minItems) return undefined;
  UNUSUAL.lastIndex = cutStart;
  const unusual = UNUSUAL.exec(text);
  if (unusual && unusual.index < cutEnd) return undefined;
  return { keyStart, cutStart, cutEnd, node: sequence, value: values };
}

/**
 * Every long block sequence of flat mappings in the text, in order, not overlapping. An empty result
 * means: let the yaml package read everything.
 */
export function readFastSequences(text: string, minItems = FAST_MIN_ITEMS): FastSequence[] {
  // A short file cannot hold a long sequence: skip the scan.
  if (text.length < minItems * 8) return [];
  const reader = new Reader(text);
  const found: FastSequence[] = [];
  const line = new LineCursor(text);
  let start = 0;
  while (start < text.length) {
    line.moveTo(start);
    const keyStart = line.empty ? undefined : keyWithoutValue(text, line);
    if (keyStart !== undefined && !line.last) {
      const sequence = readSequence(text, reader, line.indent, keyStart, line.next, minItems);
      if (sequence) {
        found.push(sequence);
        start = sequence.cutEnd;
        continue;
      }
    }
    if (line.next <= start) break;
    start = line.next;
  }
  return found;
}
