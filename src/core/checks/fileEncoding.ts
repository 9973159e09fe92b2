// `file-encoding`: the mailing file and its HTML/text content files must be UTF-8 text. Bytes that are
// not UTF-8 (a file saved as Latin-1 or Windows-1252) would go out as U+FFFD; a NUL or another control
// character would go out as is, into subjects and bodies. Both are errors at the place they are in,
// in the file they are in: nothing is changed silently.
import { controlCharacters } from '../load/encoding';
import { LineIndex } from '../load/lineIndex';
import type { Diagnostic, Step } from '../types';
import { diagnostic } from './context';

/** Control characters reported one by one; the last of them also counts the rest. */
const SHOWN_CONTROLS = 10;

export interface TextOrigin {
  step: Step;
  /** Set for a file other than the mailing file (Diagnostic.file). */
  file?: string;
  /** How the messages name a content file (as the mailing writes it); absent for the mailing file. */
  name?: string;
}

/**
 * The `file-encoding` errors of one file's text. `found`: what decoding its bytes found (offsets of
 * the U+FFFD that stand for bad bytes; whether they are UTF-16); nothing for text an editor gave.
 */
export function fileEncodingDiagnostics(text: string, found: { invalid?: readonly number[]; utf16?: boolean }, origin: TextOrigin, lines?: LineIndex): Diagnostic[] {
  const extra = origin.file ? { file: origin.file } : {};
  const named = origin.name !== undefined ? { file: origin.name } : {};
  if (found.utf16) {
    const range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
    return [diagnostic('file-encoding', 'error', origin.step, { kind: 'utf16', ...named }, range, extra)];
  }
  const notUtf8 = found.invalid ?? [];
  const controls = controlCharacters(text, SHOWN_CONTROLS);
  if (notUtf8.length === 0 && controls.count === 0) return [];
  const index = lines ?? new LineIndex(text);
  const result: Diagnostic[] = [];
  if (notUtf8.length > 0) {
    const at = notUtf8[0];
    result.push(diagnostic('file-encoding', 'error', origin.step, { kind: 'not-utf8', ...named, more: notUtf8.length - 1 }, index.range(at, at + 1), extra));
  }
  controls.offsets.forEach((at, shown) => {
    const rest = controls.count - SHOWN_CONTROLS;
    const more = shown === SHOWN_CONTROLS - 1 && rest > 0 ? rest : 0;
    result.push(diagnostic('file-encoding', 'error', origin.step, { kind: 'control', ...named, char: text.charCodeAt(at), more }, index.range(at, at + 1), extra));
  });
  return result;
}
