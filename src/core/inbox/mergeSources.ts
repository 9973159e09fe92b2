// The texts of a mailing that merge fields are filled into — subject, HTML, text, unsubscribe URL —
// each with where an offset of it is written: its own file, or the YAML value it is inline in.
import { LineIndex } from '../load/lineIndex';
import type { LoadedMailing } from '../load/loadMailing';
import { valueSpanInSource } from '../load/scalarSpans';
import type { YamlPath } from '../load/sourceNodes';
import type { Located } from '../facts/inboxFindings';

export interface MergeSource {
  text: string;
  locate(start: number, end: number): Located;
}

export function mergeSources(loaded: LoadedMailing): MergeSource[] {
  const sources: MergeSource[] = [];
  const inline = (text: string, path: YamlPath): MergeSource => ({
    text,
    locate(start, end) {
      const node = loaded.ranges.node(path);
      if (!node) return { range: loaded.ranges.value(path) };
      const [from, to] = valueSpanInSource(loaded.source.text, node, text, start, end);
      return { range: loaded.source.lines.range(from, to) };
    },
  });
  if (typeof loaded.data.subject === 'string') sources.push(inline(loaded.data.subject, ['subject']));
  for (const part of [loaded.content.html, loaded.content.text]) {
    if (part?.source === undefined) continue;
    if (part.file) {
      const file = part.file;
      let lines: LineIndex | undefined;
      const text = part.source;
      sources.push({ text, locate: (start, end) => ({ file, range: (lines ??= new LineIndex(text)).range(start, end) }) });
    } else {
      sources.push(inline(part.source, part.path));
    }
  }
  const url = (loaded.data.unsubscribe as { url?: unknown } | undefined)?.url;
  if (typeof url === 'string') sources.push(inline(url, ['unsubscribe', 'url']));
  return sources;
}
