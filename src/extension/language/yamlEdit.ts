// Text edits that add a key to a YAML mapping while keeping the file's own layout (indentation,
// comments, order): what the "add missing key" quick fixes insert. Pure (no `vscode`).
import { isMap, isPair, isScalar, isSeq, parseDocument, stringify, type Node, type YAMLMap } from 'yaml';
import { tooDeepAt } from '../../core/load/yamlDepth';
import type { YamlPath } from './yamlPath';

export interface TextInsertion {
  offset: number;
  text: string;
}

/**
 * Adds `key: value` to the mapping at `parentPath`, creating the missing mappings on the way
 * (`unsubscribe:` then `url:` beneath it). Undefined when the path runs into a sequence index that
 * does not exist, a flow collection or a scalar: no clear place to write, so no quick fix.
 */
export function insertKey(text: string, parentPath: YamlPath, key: string, value: unknown): TextInsertion | undefined {
  if (tooDeepAt(text) >= 0) return undefined;
  const doc = parseDocument(text, { strict: false, uniqueKeys: false });
  let node = doc.contents as Node | null;
  let keyLineIndent = -1; // indent of the key that owns `node` (-1: the root)
  let ownerKeyEnd = 0; // offset just after that key
  let depth = 0;
  for (; depth < parentPath.length; depth++) {
    const segment = parentPath[depth];
    if (typeof segment === 'number') {
      if (!isSeq(node) || !node.items[segment]) return undefined;
      node = node.items[segment] as Node;
      continue;
    }
    if (!isMap(node)) break;
    const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
    if (!pair || !isScalar(pair.key) || !pair.key.range) break;
    keyLineIndent = columnOf(text, pair.key.range[0]);
    ownerKeyEnd = pair.key.range[1];
    node = pair.value as Node | null;
  }
  if (parentPath.slice(depth).some((segment) => typeof segment === 'number')) return undefined;

  // What to write: the key, wrapped in the mappings that do not exist yet.
  let block: unknown = { [key]: value };
  for (const segment of [...parentPath.slice(depth)].reverse()) block = { [segment as string]: block };
  const yamlText = stringify(block, { lineWidth: 0 }).replace(/\n$/, '');

  if (isMap(node) && node.items.length > 0 && !node.flow) {
    return appendToBlockMap(text, node, yamlText);
  }
  if (node && !(isScalar(node) && (node.value === null || node.value === ''))) {
    if (isMap(node) && node.flow) return undefined;
    if (!isMap(node)) return undefined;
  }
  // The owner key has no value yet (`unsubscribe:`), or the document is empty.
  if (keyLineIndent < 0) {
    const prefix = text.length === 0 || text.endsWith('\n') ? '' : '\n';
    return { offset: text.length, text: prefix + yamlText + '\n' };
  }
  const lineEnd = text.indexOf('\n', ownerKeyEnd);
  const indent = ' '.repeat(keyLineIndent + 2);
  const body = indentLines(yamlText, indent);
  return lineEnd < 0 ? { offset: text.length, text: '\n' + body + '\n' } : { offset: lineEnd + 1, text: body + '\n' };
}

function appendToBlockMap(text: string, map: YAMLMap, yamlText: string): TextInsertion {
  const first = map.items[0];
  const firstKey = isPair(first) && (first.key as Node | null)?.range ? (first.key as Node).range! : map.range!;
  const indent = ' '.repeat(columnOf(text, firstKey[0]));
  let end = map.range ? map.range[1] : text.length;
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
