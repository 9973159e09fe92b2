// Where the preview's blocks were written: Markdown blocks carry `data-line`, MJML blocks the class
// SOURCE_LINE_CLASS + line (mjml allows no other attribute); both 0-based. The scroll sync maps a
// source line to a vertical offset of the message and back, between the two nearest blocks.
import { SOURCE_LINE_CLASS } from '../../src/protocol';

export interface LineMark {
  line: number;
  /** Offset of the block's top from the top of the document, in CSS pixels. */
  top: number;
}

const CLASS_LINE = new RegExp(`(?:^|\\s)${SOURCE_LINE_CLASS}(\\d+)(?:\\s|$)`);

/** The marked blocks of a document in source order, each below the one before (a block beside another is left out). */
export function sourceLines(doc: Document): LineMark[] {
  const scrollY = doc.defaultView?.scrollY ?? 0;
  const marks: LineMark[] = [];
  for (const el of Array.from(doc.querySelectorAll<HTMLElement>(`[data-line], [class*="${SOURCE_LINE_CLASS}"]`))) {
    const written = el.getAttribute('data-line') ?? CLASS_LINE.exec(el.getAttribute('class') ?? '')?.[1];
    const line = written === undefined || written === null ? NaN : Number(written);
    if (!Number.isInteger(line)) continue;
    const box = el.getBoundingClientRect();
    if (box.height === 0 && box.width === 0) continue;
    marks.push({ line, top: box.top + scrollY });
  }
  marks.sort((a, b) => a.line - b.line || a.top - b.top);
  const kept: LineMark[] = [];
  for (const mark of marks) {
    const last = kept[kept.length - 1];
    if (last && (mark.line === last.line || mark.top <= last.top)) continue;
    kept.push(mark);
  }
  return kept;
}

/** The offset to scroll to for a source line: the block written at or before it, moved toward the next one. */
export function offsetOfLine(marks: readonly LineMark[], line: number): number | undefined {
  if (marks.length === 0) return undefined;
  if (line <= marks[0].line) return line === marks[0].line ? marks[0].top : 0;
  for (let i = 0; i < marks.length; i++) {
    const a = marks[i];
    const b = marks[i + 1];
    if (!b || line < b.line) return b ? a.top + ((b.top - a.top) * (line - a.line)) / (b.line - a.line) : a.top;
  }
  return marks[marks.length - 1].top;
}

/** The source line at an offset: the inverse of offsetOfLine. */
export function lineAtOffset(marks: readonly LineMark[], top: number): number | undefined {
  if (marks.length === 0) return undefined;
  if (top <= marks[0].top) return top < marks[0].top - 1 ? 0 : marks[0].line;
  for (let i = 0; i < marks.length; i++) {
    const a = marks[i];
    const b = marks[i + 1];
    if (!b || top < b.top) return b ? Math.floor(a.line + ((b.line - a.line) * (top - a.top)) / (b.top - a.top)) : a.line;
  }
  return marks[marks.length - 1].line;
}
