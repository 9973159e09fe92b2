// Merge fields: `{{field}}` (spaces inside the braces allowed: `{{ field }}`), optionally with a default
// used when the recipient's value is empty: `{{firstName | "reader"}}` (a quoted default after a pipe,
// spaces optional, `"…"` or `'…'` — single quotes fit inside a double-quoted HTML attribute). A field
// name is any text without braces, pipes or line breaks, trimmed; names are case-sensitive. The
// renderer fills them in with the same rule, so what the checks accept is exactly what gets replaced.

export interface MergeFieldUse {
  /** The field name, trimmed. */
  name: string;
  /** Offsets of `{{` and just after `}}` in the scanned text. */
  start: number;
  end: number;
  /** The default written after the pipe (without its quotes; may be ""), when there is one. */
  default?: string;
}

/** Why a `{{` is no merge field: a fact the diagnostics catalogue words (with `text`, the span as written). */
export type MergeSyntaxReason =
  /** `{{city` with no `}}` on its line. */
  | 'unclosed'
  /** `{{}}` or `{{ | "x"}}`: no name. */
  | 'empty'
  /** `{{{x}}}`, `{{a{b}}`: braces inside. */
  | 'braces'
  /** `{{name | reader}}`: the default is not in quotes. */
  | 'default-unquoted'
  /** `{{name | "reader}}`: the quote of the default is not closed. */
  | 'default-unclosed'
  /** `{{name | "reader" x}}`: text after the quoted default. */
  | 'default-trailing'
  /** `{{name | }}`: a pipe without a default. */
  | 'default-missing';

export interface MergeSyntaxProblem {
  start: number;
  end: number;
  reason: MergeSyntaxReason;
  /** The span as written, e.g. `{{city`. */
  text: string;
  /** The explanation in English (until the diagnostics catalogue words `reason`). */
  message: string;
}

export interface MergeFieldScan {
  uses: MergeFieldUse[];
  problems: MergeSyntaxProblem[];
}

const MESSAGES: Record<MergeSyntaxReason, (text: string) => string> = {
  unclosed: (text) => `\`${text}\` is not closed: write \`{{field}}\``,
  empty: () => 'Empty merge field `{{}}`: write the name of a field, e.g. `{{firstName}}`',
  braces: (text) => `\`${text}\` is not a merge field: write \`{{field}}\` with two braces`,
  'default-unquoted': (text) => `The default in \`${text}\` is not in quotes: write \`{{field | "default"}}\``,
  'default-unclosed': (text) => `The quote of the default in \`${text}\` is not closed: write \`{{field | "default"}}\``,
  'default-trailing': (text) => `\`${text}\` has text after its quoted default: write \`{{field | "default"}}\``,
  'default-missing': (text) => `\`${text}\` has a \`|\` but no default: write \`{{field | "default"}}\`, or leave out the \`|\``,
};

function problem(text: string, start: number, end: number, reason: MergeSyntaxReason): MergeSyntaxProblem {
  const span = text.slice(start, end);
  return { start, end, reason, text: span, message: MESSAGES[reason](span) };
}

type Inner = { ok: true; name: string; default?: string } | { ok: false; reason: MergeSyntaxReason };

/** What stands between `{{` and `}}`. */
function parseInner(inner: string): Inner {
  const pipe = inner.indexOf('|');
  const name = (pipe === -1 ? inner : inner.slice(0, pipe)).trim();
  if (/[{}]/.test(inner)) return { ok: false, reason: 'braces' };
  if (!name) return { ok: false, reason: 'empty' };
  if (pipe === -1) return { ok: true, name };
  const rest = inner.slice(pipe + 1).trim();
  if (!rest) return { ok: false, reason: 'default-missing' };
  const quote = rest[0];
  if (quote !== '"' && quote !== "'") return { ok: false, reason: 'default-unquoted' };
  const close = rest.indexOf(quote, 1);
  if (close === -1) return { ok: false, reason: 'default-unclosed' };
  if (rest.slice(close + 1).trim()) return { ok: false, reason: 'default-trailing' };
  return { ok: true, name, default: rest.slice(1, close) };
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
      problems.push(problem(text, at, end, 'unclosed'));
      at = nextOpen;
      continue;
    }
    // `}}}` closes on the last two braces, so `{{{x}}}` is seen whole and reported below.
    let end = close + 2;
    while (text.charCodeAt(end) === 125 && end < lineEnd) end++;
    const inner = parseInner(text.slice(at + 2, end - 2));
    if (!inner.ok) problems.push(problem(text, at, end, inner.reason));
    else if (inner.default === undefined) uses.push({ name: inner.name, start: at, end });
    else uses.push({ name: inner.name, start: at, end, default: inner.default });
    at = text.indexOf('{{', end);
  }
  return { uses, problems };
}

/**
 * Whether a merge value counts as empty, so that the field's default (if any) stands in its place:
 * nothing, or only white space (which would show as nothing).
 */
export function isEmptyValue(value: string | undefined): boolean {
  return value === undefined || value.trim() === '';
}
