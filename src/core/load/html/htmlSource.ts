// The HTML part of a loaded mailing for the inbox checks: its text, its model (parsed once per
// content version) and where a span of it is written — in its own file, or inside the mailing file
// when the HTML is inline (`html: |`), where a span of the value maps back to the YAML source.
import * as path from 'node:path';
import type { LoadedMailing } from '../loadMailing';
import { valueSpanInSource } from '../scalarSpans';
import type { Range } from '../../types';
import type { Located } from '../../facts/inboxFindings';
import { htmlModelFor, type HtmlModel } from './htmlModel';

export interface InboxHtml {
  text: string;
  model: HtmlModel;
  /** The HTML file (absolute); undefined when the HTML is inline in the mailing file. */
  file?: string;
  /** The folder local images are relative to: the HTML file's, or the mailing's for inline HTML. */
  dir: string;
  /** Where offsets [start, end) of the HTML text are written. */
  locate(start: number, end: number): Located;
}

/** The HTML part of a mailing, or undefined when it has none (or it could not be read). */
export function inboxHtml(loaded: LoadedMailing): InboxHtml | undefined {
  const part = loaded.content.html;
  if (part?.source === undefined || !part.source.trim()) return undefined;
  const text = part.source;
  if (part.file) {
    const file = part.file;
    const model = htmlModelFor(file, text);
    return { text, model, file, dir: path.dirname(file), locate: (start, end) => ({ file, range: model.lines.range(start, end) }) };
  }
  const model = htmlModelFor(`${loaded.file}#content.html`, text);
  const node = loaded.ranges.node(part.path);
  const locate = (start: number, end: number): Located => {
    if (!node) return { range: loaded.ranges.value(part.path) };
    const range = blockRange(loaded, node, model, start, end);
    if (range) return { range };
    const [from, to] = valueSpanInSource(loaded.source.text, node, text, start, end);
    return { range: loaded.source.lines.range(from, to) };
  };
  return { text, model, dir: loaded.dir, locate };
}

/**
 * A literal block (`html: |`) keeps each line of the value as a line of the source, indented: line
 * k of the value is line k of the block's body, its columns shifted by the indentation. Undefined
 * when the value is no literal block or the lines do not match (then the token-based mapping applies).
 */
function blockRange(loaded: LoadedMailing, node: NonNullable<ReturnType<LoadedMailing['ranges']['node']>>, model: HtmlModel, start: number, end: number): Range | undefined {
  if (node.style !== 'BLOCK_LITERAL') return undefined;
  const lines = loaded.source.lines;
  const headerLine = lines.positionAt(node.start).line;
  const map = (offset: number) => {
    const at = model.lines.positionAt(offset);
    const sourceLine = headerLine + 1 + at.line;
    if (sourceLine >= lines.lineCount) return undefined;
    const lineText = loaded.source.text.slice(lines.lineStart(sourceLine), lines.lineEnd(sourceLine));
    const valueLine = model.text.slice(model.lines.lineStart(at.line), model.lines.lineEnd(at.line));
    if (!lineText.endsWith(valueLine)) return undefined;
    return { line: sourceLine, column: lineText.length - valueLine.length + at.column };
  };
  const from = map(start);
  const to = map(end);
  return from && to ? { start: from, end: to } : undefined;
}
