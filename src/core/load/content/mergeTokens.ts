// Merge fields through a compiler: before MJML, Markdown or CSS inlining sees a text, each
// `{{field}}` (with its default, `{{name | "you"}}`) is replaced by a token of letters and digits,
// and after it the tokens are turned back into the fields exactly as written. A token is valid in a
// quoted attribute, a URL, a CSS value and Markdown alike, so no compiler escapes, splits or
// re-quotes a field (`"` of a default would otherwise end an attribute, `_` start an emphasis).
// Fields never span lines, so a token keeps every line where it was: compiler errors keep their lines.
import { randomBytes } from 'node:crypto';
import { replaceMergeFields } from '../mergeFields';

export interface FieldTokens {
  /** The text with every merge field replaced by its token. */
  protect(text: string): string;
  /** A compiler's output with every token turned back into its field. */
  restore(text: string): string;
}

/** One set of tokens for one compilation (every file of it: includes and layouts share it). */
export function fieldTokens(): FieldTokens {
  // A random part per compilation: no text can hold a token by chance, or on purpose.
  const nonce = randomBytes(5).toString('hex');
  const fields: string[] = [];
  const token = (index: number) => `mmf${index}z${nonce}`;
  const pattern = new RegExp(`mmf(\\d+)z${nonce}`, 'g');
  return {
    protect(text) {
      return replaceMergeFields(text, (use) => {
        fields.push(text.slice(use.start, use.end));
        return token(fields.length - 1);
      });
    },
    restore(text) {
      if (fields.length === 0) return text;
      return text.replace(pattern, (whole, index: string) => fields[Number(index)] ?? whole);
    },
  };
}
