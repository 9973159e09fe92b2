// Merge fields: `{{field}}` (spaces inside the braces allowed: `{{ field }}`). A field name is any
// text without braces or line breaks, trimmed; names are case-sensitive. The renderer fills them in with
// the same rule, so what the checks accept is exactly what gets replaced.
import type { MergeSyntaxArgs } from '../facts/diagnostics';

/** How much of an unclosed `{{…` a problem marks. */
const MARKED = 100;

export interface MergeFieldUse {
  /** The field name, trimmed. */
  name: string;
  /** Offsets of `{{` and just after `}}` in the scanned text. */
  start: number;
  end: number;
}

export interface MergeSyntaxProblem {
  start: number;
  end: number;
  problem: MergeSyntaxArgs;
}

export interface MergeFieldScan {
  uses: MergeFieldUse[];
  problems: MergeSyntaxProblem[];
}

export function scanMergeFields(text: string): MergeFieldScan {
  const uses: MergeFieldUse[] = [];
  const problems: MergeSyntaxProblem[] = [];
  let at = text.indexOf('{{');
  // The next `}}` and line end, kept while still ahead: each is searched for once over the text, so a
  // text of ten thousand `{{` without a `}}` costs one pass, not ten thousand.
  let close = -2;
  let newline = -2;
  while (at !== -1) {
    if (close !== -1 && close < at + 2) close = text.indexOf('}}', at + 2);
    if (newline !== -1 && newline < at) newline = text.indexOf('\n', at);
    let lineEnd = newline === -1 ? text.length : newline;
    if (text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const nextOpen = text.indexOf('{{', at + 2);
    if (close === -1 || close > lineEnd || (nextOpen !== -1 && nextOpen < close && text[at + 2] !== '{')) {
      // Marked from `{{` to the end of the name that follows it: `{{city` in `{{city is open` (a
      // name, not a whole line: at most MARKED characters).
      let end = at + 2;
      const stop = Math.min(lineEnd, at + 2 + MARKED);
      while (end < stop && text.charCodeAt(end) === 32) end++;
      while (end < stop && !/[\s{}<>"']/.test(text[end])) end++;
      problems.push({ start: at, end, problem: { kind: 'unclosed', written: text.slice(at, end) } });
      at = nextOpen;
      continue;
    }
    // `}}}` closes on the last two braces, so `{{{x}}}` is seen whole and reported below.
    let end = close + 2;
    while (text.charCodeAt(end) === 125 && end < lineEnd) end++;
    const inner = text.slice(at + 2, end - 2);
    const name = inner.trim();
    if (!name) {
      problems.push({ start: at, end, problem: { kind: 'empty' } });
    } else if (/[{}]/.test(name)) {
      problems.push({ start: at, end, problem: { kind: 'braces', written: text.slice(at, end) } });
    } else {
      uses.push({ name, start: at, end });
    }
    at = text.indexOf('{{', end);
  }
  return { uses, problems };
}
