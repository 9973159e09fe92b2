// Maps a span of a scalar's value (say a `{{frstName}}` inside `subject: "Hi {{frstName}}"` or inside
// an `html: |` block) back to where it is written. A YAML value differs from its source by quotes,
// escapes, indentation and line folding, but a merge-field token contains none of those, so the k-th
// occurrence of the token in the value is the k-th occurrence in the source — exact for plain scalars
// and `|` blocks. When the counts differ (an escape or fold produced or split a token) the whole value
// is used instead.
import type { SourceNode } from './sourceNodes';

export function valueSpanInSource(text: string, node: SourceNode, value: string, start: number, end: number): [number, number] {
  const token = value.slice(start, end);
  if (!token) return [node.start, node.end];
  const source = text.slice(node.start, node.end);
  // Block scalars: the header line (`|`, `|-`, `>2` and an optional comment) is not part of the value.
  const bodyStart = node.style === 'BLOCK_LITERAL' || node.style === 'BLOCK_FOLDED' ? source.indexOf('\n') + 1 : 0;
  if (bodyStart === 0 && (node.style === 'BLOCK_LITERAL' || node.style === 'BLOCK_FOLDED')) return [node.start, node.end];

  const inValue = occurrences(value, token, 0);
  const inSource = occurrences(source, token, bodyStart);
  if (inValue.length !== inSource.length) return [node.start, node.end];
  const index = inValue.indexOf(start);
  if (index < 0) return [node.start, node.end];
  const at = node.start + inSource[index];
  return [at, at + token.length];
}

function occurrences(text: string, token: string, from: number): number[] {
  const found: number[] = [];
  let at = text.indexOf(token, from);
  while (at !== -1) {
    found.push(at);
    at = text.indexOf(token, at + token.length);
  }
  return found;
}
