// Merge fields: `{{field}}` (spaces inside the braces allowed: `{{ field }}`), optionally with a default
// used when the recipient's value is empty: `{{firstName | "reader"}}` (a quoted default after a pipe,
// spaces optional, `"…"` or `'…'` — single quotes fit inside a double-quoted HTML attribute). A field
// name is any text without braces, pipes or line breaks, trimmed; names are case-sensitive. The
// renderer fills them in with the same rule, so what the checks accept is exactly what gets replaced.
import type { MergeSyntaxArgs } from '../facts/diagnostics';

/** How much of an unclosed `{{…` a problem marks. */
const MARKED = 100;

export interface MergeFieldUse {
  /** The field name, trimmed. */
  name: string;
  /** Offsets of `{{` and just after `}}` in the scanned text. */
  start: number;
  end: number;
  /** The default written after the pipe (without its quotes; may be ""), when there is one. */
  default?: string;
}

export interface MergeSyntaxProblem {
  start: number;
  end: number;
  /** Why it is no merge field: a fact the diagnostics catalogue words. */
  problem: MergeSyntaxArgs;
}

export interface MergeFieldScan {
  uses: MergeFieldUse[];
  problems: MergeSyntaxProblem[];
}

type Inner = { ok: true; name: string; default?: string } | { ok: false; problem: (written: string) => MergeSyntaxArgs };

const defaultProblem = (reason: Extract<MergeSyntaxArgs, { kind: 'default' }>['reason']) => (written: string): MergeSyntaxArgs => ({ kind: 'default', written, reason });

/** What stands between `{{` and `}}`. */
function parseInner(inner: string): Inner {
  const pipe = inner.indexOf('|');
  const name = (pipe === -1 ? inner : inner.slice(0, pipe)).trim();
  if (/[{}]/.test(inner)) return { ok: false, problem: (written) => ({ kind: 'braces', written }) };
  if (!name) return { ok: false, problem: () => ({ kind: 'empty' }) };
  if (pipe === -1) return { ok: true, name };
  const rest = inner.slice(pipe + 1).trim();
  if (!rest) return { ok: false, problem: defaultProblem('missing') };
  const quote = rest[0];
  if (quote !== '"' && quote !== "'") return { ok: false, problem: defaultProblem('unquoted') };
  const close = rest.indexOf(quote, 1);
  if (close === -1) return { ok: false, problem: defaultProblem('unclosed-quote') };
  if (rest.slice(close + 1).trim()) return { ok: false, problem: defaultProblem('after-quote') };
  return { ok: true, name, default: rest.slice(1, close) };
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
    const inner = parseInner(text.slice(at + 2, end - 2));
    if (!inner.ok) problems.push({ start: at, end, problem: inner.problem(text.slice(at, end)) });
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

/**
 * The text with every merge field (`{{…}}`, default included) replaced by as many `x`: the markup
 * as it reads once the fields are filled, at the same offsets. What is no merge field stays.
 */
export function maskMergeFields(text: string): string {
  if (!text.includes('{{')) return text;
  const { uses } = scanMergeFields(text);
  if (uses.length === 0) return text;
  let out = '';
  let last = 0;
  for (const use of uses) {
    out += text.slice(last, use.start) + 'x'.repeat(use.end - use.start);
    last = use.end;
  }
  return out + text.slice(last);
}
