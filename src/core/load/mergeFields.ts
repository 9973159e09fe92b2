// Merge fields: `{{field}}` (spaces inside the braces allowed: `{{ field }}`). A field name is any
// text without braces or line breaks, trimmed; names are case-sensitive. The renderer fills them in with
// the same rule, so what the checks accept is exactly what gets replaced.

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
  message: string;
}

export interface MergeFieldScan {
  uses: MergeFieldUse[];
  problems: MergeSyntaxProblem[];
}

export function scanMergeFields(text: string): MergeFieldScan {
  const uses: MergeFieldUse[] = [];
  const problems: MergeSyntaxProblem[] = [];
  let at = text.indexOf('{{');
  while (at !== -1) {
    const close = text.indexOf('}}', at + 2);
    let lineEnd = text.indexOf('\n', at);
    if (lineEnd === -1) lineEnd = text.length;
    if (text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const nextOpen = text.indexOf('{{', at + 2);
    if (close === -1 || close > lineEnd || (nextOpen !== -1 && nextOpen < close && text[at + 2] !== '{')) {
      // Marked from `{{` to the end of the name that follows it: `{{city` in `{{city is open`.
      let end = at + 2;
      while (end < lineEnd && text.charCodeAt(end) === 32) end++;
      while (end < lineEnd && !/[\s{}<>"']/.test(text[end])) end++;
      problems.push({ start: at, end, message: `\`${text.slice(at, end)}\` is not closed: write \`{{field}}\`` });
      at = nextOpen;
      continue;
    }
    // `}}}` closes on the last two braces, so `{{{x}}}` is seen whole and reported below.
    let end = close + 2;
    while (text.charCodeAt(end) === 125 && end < lineEnd) end++;
    const inner = text.slice(at + 2, end - 2);
    const name = inner.trim();
    if (!name) {
      problems.push({ start: at, end, message: 'Empty merge field `{{}}`: write the name of a field, e.g. `{{firstName}}`' });
    } else if (/[{}]/.test(name)) {
      problems.push({ start: at, end, message: `\`${text.slice(at, end)}\` is not a merge field: write \`{{field}}\` with two braces` });
    } else {
      uses.push({ name, start: at, end });
    }
    at = text.indexOf('{{', end);
  }
  return { uses, problems };
}
