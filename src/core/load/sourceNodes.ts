// A small read-only view of the parsed YAML that diagnostics need: for a path of keys and indexes,
// where the key and the value are in the text. It is implemented over the yaml package's nodes and
// over the fast reader's long sequences (fastSequence.ts), so the rest of the core never cares which
// parser read which part of the file.
import { isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type Pair } from 'yaml';

export type PathSegment = string | number;
export type YamlPath = readonly PathSegment[];

export type ScalarStyle = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';

export interface SourceNode {
  readonly kind: 'map' | 'seq' | 'scalar';
  /** Offsets of the value in the text: start, and end before trailing comments and line breaks. */
  readonly start: number;
  readonly end: number;
  /** How a scalar was written. */
  readonly style?: ScalarStyle;
  /** A map's entry for a key (the last one when a key repeats, as the value does) or a sequence's item. */
  entry(segment: PathSegment): SourceEntry | undefined;
  /** A map's keys (each once, in the order written) or a sequence's indexes; nothing for a scalar. */
  segments(): PathSegment[];
}

export interface SourceEntry {
  /** Where the key is written (maps only). */
  keyStart?: number;
  keyEnd?: number;
  /** Undefined when nothing follows the key (`subject:`). */
  value?: SourceNode;
}

/** Where a path leads: the entry it names, or how far it got. */
export interface Located {
  /** The entry of the last segment (undefined for the root or when the path does not exist). */
  entry?: SourceEntry;
  /** The node at the path, when it exists. */
  node?: SourceNode;
  /** The deepest node that exists on the way, and the entry that holds it (undefined for the root). */
  deepest?: SourceNode;
  deepestEntry?: SourceEntry;
  /** How many segments were found. */
  depth: number;
}

export function locate(root: SourceNode | undefined, path: YamlPath): Located {
  let node = root;
  let entry: SourceEntry | undefined;
  let depth = 0;
  for (const segment of path) {
    const next = node?.entry(segment);
    if (!next) return { deepest: node, deepestEntry: entry, depth };
    entry = next;
    node = next.value;
    depth++;
  }
  return { entry, node, deepest: node, deepestEntry: entry, depth };
}

/** Sequences replaced by the fast reader, keyed by the pair whose value they are. */
export type Splices = ReadonlyMap<Pair, SourceNode>;

const STYLES: Record<string, ScalarStyle> = {
  [Scalar.PLAIN]: 'PLAIN',
  [Scalar.QUOTE_DOUBLE]: 'QUOTE_DOUBLE',
  [Scalar.QUOTE_SINGLE]: 'QUOTE_SINGLE',
  [Scalar.BLOCK_LITERAL]: 'BLOCK_LITERAL',
  [Scalar.BLOCK_FOLDED]: 'BLOCK_FOLDED',
};

/** A view of a yaml package node; undefined for nothing or an empty value. */
export function yamlSourceNode(node: unknown, doc: Document, splices: Splices): SourceNode | undefined {
  return adapt(node, doc, splices, undefined, 0);
}

function adapt(node: unknown, doc: Document, splices: Splices, at: [number, number] | undefined, aliasDepth: number): SourceNode | undefined {
  if (isAlias(node)) {
    const range = node.range ?? [0, 0, 0];
    const target = aliasDepth < 32 ? node.resolve(doc) : undefined;
    // An alias is reported where it is written; what is inside it is found at its anchor.
    return adapt(target, doc, splices, [range[0], range[1]], aliasDepth + 1) ?? new PlainNode('scalar', range[0], range[1]);
  }
  if (!isScalar(node) && !isMap(node) && !isSeq(node)) return undefined;
  const range = node.range;
  if (!range) return undefined;
  const start = at ? at[0] : range[0];
  const end = at ? at[1] : range[1];
  if (isScalar(node)) {
    // `key:` with nothing after it: the yaml package gives an empty null scalar; treat it as no value.
    if (node.value === null && range[0] === range[1]) return undefined;
    return new PlainNode('scalar', start, end, node.type ? STYLES[node.type] : undefined);
  }
  if (isMap(node)) {
    return {
      kind: 'map',
      start,
      end,
      entry(segment) {
        const key = String(segment);
        for (let i = node.items.length - 1; i >= 0; i--) {
          const pair = node.items[i];
          if (!isPair(pair) || !isScalar(pair.key) || String(pair.key.value) !== key) continue;
          const keyRange = pair.key.range ?? [start, start, start];
          const spliced = splices.get(pair as Pair);
          return { keyStart: keyRange[0], keyEnd: keyRange[1], value: spliced ?? adapt(pair.value, doc, splices, undefined, aliasDepth) };
        }
        return undefined;
      },
      segments() {
        const keys: string[] = [];
        for (const pair of node.items) if (isPair(pair) && isScalar(pair.key) && pair.key.value !== null) keys.push(String(pair.key.value));
        return [...new Set(keys)];
      },
    };
  }
  return {
    kind: 'seq',
    start,
    end,
    entry(segment) {
      const index = typeof segment === 'number' ? segment : Number(segment);
      if (!Number.isInteger(index) || index < 0 || index >= node.items.length) return undefined;
      return { value: adapt(node.items[index], doc, splices, undefined, aliasDepth) };
    },
    segments() {
      return node.items.map((_, index) => index);
    },
  };
}

class PlainNode implements SourceNode {
  constructor(
    readonly kind: 'map' | 'seq' | 'scalar',
    readonly start: number,
    readonly end: number,
    readonly style?: ScalarStyle,
  ) {}

  entry(): SourceEntry | undefined {
    return undefined;
  }

  segments(): PathSegment[] {
    return [];
  }
}

/** JSON-pointer segments of an ajv instancePath ("/targetList/include/0" -> ['targetList','include','0']). */
export function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A path as people read it: `targetList.include[2].email`. */
export function pathText(path: YamlPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number' || /^\d+$/.test(segment)) text += `[${segment}]`;
    else text += text ? `.${segment}` : segment;
  }
  return text;
}
