// Where a diagnostic about a path goes: a bad value on the value; an unknown key
// on that key; a missing key on the key of its parent, or on line 1 when the parent is the root.
import type { Range } from '../types';
import type { LineIndex } from './lineIndex';
import { locate, type SourceNode, type YamlPath } from './sourceNodes';

export class SourceRanges {
  constructor(
    readonly lines: LineIndex,
    readonly root: SourceNode | undefined,
  ) {}

  node(path: YamlPath): SourceNode | undefined {
    return locate(this.root, path).node;
  }

  /** Line 1, whole: where problems of the file as a whole and missing top-level keys are shown. */
  rootRange(): Range {
    return this.lines.lineRange(0);
  }

  /** The value at `path`; its key when the value is empty; the nearest existing ancestor's key otherwise. */
  value(path: YamlPath): Range {
    const found = locate(this.root, path);
    if (found.node) return this.lines.range(found.node.start, found.node.end);
    if (found.entry?.keyStart !== undefined && found.depth === path.length) return this.lines.range(found.entry.keyStart, found.entry.keyEnd!);
    return this.at(path.slice(0, found.depth));
  }

  /** The key of the entry at `path` (for a list item: the item's first line). */
  key(path: YamlPath): Range {
    const found = locate(this.root, path);
    if (found.depth < path.length) return this.at(path.slice(0, found.depth));
    return this.at(path);
  }

  /** Where to report that `key` is missing from the mapping at `parentPath`. */
  missing(parentPath: YamlPath): Range {
    const found = locate(this.root, parentPath);
    return this.at(parentPath.slice(0, found.depth));
  }

  /** The first line of a node, from its start: a readable place for a problem with a whole block. */
  firstLine(node: SourceNode): Range {
    const line = this.lines.positionAt(node.start).line;
    return this.lines.range(node.start, Math.min(node.end, this.lines.lineEnd(line)));
  }

  /** An existing path: its key, or the first line of a list item, or line 1 for the root. */
  private at(path: YamlPath): Range {
    if (path.length === 0) return this.rootRange();
    const found = locate(this.root, path);
    if (found.entry?.keyStart !== undefined) return this.lines.range(found.entry.keyStart, found.entry.keyEnd!);
    if (found.node) return this.firstLine(found.node);
    return this.at(path.slice(0, -1));
  }
}
