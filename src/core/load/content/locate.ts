// Where a span of compiled HTML was written. MJML, the Markdown layout and CSS inlining rewrite the
// markup, so an offset of the HTML that is sent is no offset of any file; what they do not rewrite
// is what a finding is about — an address, an image source, a merge field, a sentence. So the text
// of the span is looked for in the files it was compiled from (the main file first, then layouts and
// includes); found, it is located there, else at the start of the main file.
import type { Located } from '../../facts/inboxFindings';
import type { Range } from '../../types';

export interface AuthoredText {
  text: string;
  /** Where offsets [start, end) of this text are written. */
  locate(start: number, end: number): Located;
}

const LINE_1: Range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

/** Spans shorter than this are too common to tell where they came from. */
const MIN_SNIPPET = 3;

export function compiledLocator(output: string, sources: readonly AuthoredText[], fallback: () => Located): (start: number, end: number) => Located {
  return (start, end) => {
    const snippet = output.slice(start, Math.max(start, end)).trim();
    if (snippet.length >= MIN_SNIPPET && !snippet.includes('\n')) {
      for (const source of sources) {
        const at = source.text.indexOf(snippet);
        if (at !== -1) return source.locate(at, at + snippet.length);
      }
    }
    return fallback();
  };
}

export function startOf(file: string | undefined): Located {
  return file ? { file, range: LINE_1 } : { range: LINE_1 };
}
