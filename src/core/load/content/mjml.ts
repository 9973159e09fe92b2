// MJML to HTML with the `mjml` package (loaded on first use: engines.ts). Validation is mjml's strict
// rule set, asked for at the `soft` level: the same errors strict mode would throw, but with the HTML
// still produced, so the preview shows the mailing while its errors are listed. Every error blocks
// Confirm all the same (checks/content.ts). Merge fields pass through as tokens (mergeTokens.ts),
// in included files too (mjml runs its preprocessors on each file it reads).
import * as path from 'node:path';
import { loadMjml, type MjmlError } from './engines';
import type { FieldTokens } from './mergeTokens';

export interface MjmlProblem {
  /** The file the error is in (the .mjml file or an included one), as mjml names it. */
  file: string;
  /** 1-based, as mjml counts. */
  line: number;
  tag: string;
  message: string;
}

export interface MjmlCompilation {
  /** The HTML, merge fields as written; undefined when mjml could not compile at all. */
  html?: string;
  problems: MjmlProblem[];
  /** Why mjml gave up (a text that is no MJML, a circular include). */
  failure?: string;
}

export interface MjmlCompileOptions {
  /** Follow `mj-include`: only when every include passed the path policy (mjmlIncludes.ts). */
  includes: boolean;
  /** The folders includes may read from besides the file's own (the workspace). */
  includeRoots: string[];
  /** Files mjml may name in its errors: the main file and the included ones, as mjml resolves them. */
  knownFiles: string[];
  /** The live preview: each block of the file's body carries its source line (see markSourceLines). */
  sourceLines?: boolean;
}

/** The body components whose output the preview can scroll to (each takes `css-class`). */
const BLOCK_TAG = /<(mj-(?:section|wrapper|hero|group|column|text|image|button|divider|spacer|table|social|navbar|accordion|carousel))(?=[\s/>])/g;
/** The class that carries a block's 0-based source line into the HTML (mjml allows no other attribute). */
export const MJML_LINE_CLASS = 'mailings-line-';

/**
 * The MJML with `css-class="mailings-line-N"` on every block (N its 0-based line), added to a class
 * of its own if it has one: mjml copies the class onto the block's HTML, where the preview finds it.
 * Lines stay where they are (the attribute is written on the tag's own line), so errors keep theirs.
 */
export function markSourceLines(text: string): string {
  // Comments hide tags: their characters are blanked (same length) for the search only.
  const searched = text.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ' '));
  let out = '';
  let last = 0;
  let line = 0;
  let counted = 0;
  for (const match of searched.matchAll(BLOCK_TAG)) {
    const at = match.index;
    for (let i = counted; i < at; i++) if (text.charCodeAt(i) === 10) line++;
    counted = at;
    const nameEnd = at + match[0].length;
    const tagEnd = searched.indexOf('>', nameEnd);
    const attributes = searched.slice(nameEnd, tagEnd === -1 ? searched.length : tagEnd);
    const own = /(\scss-class\s*=\s*)(["'])/.exec(attributes);
    const mark = `${MJML_LINE_CLASS}${line}`;
    if (own) {
      const valueStart = nameEnd + own.index + own[0].length;
      out += text.slice(last, valueStart) + mark + ' ';
      last = valueStart;
    } else {
      out += text.slice(last, nameEnd) + ` css-class="${mark}"`;
      last = nameEnd;
    }
  }
  return out + text.slice(last);
}

/** The file an error is in: mjml writes it only into `formattedMessage` (`Line N of <file>…`). */
function fileOf(error: MjmlError, known: string[]): string | undefined {
  const prefix = `Line ${error.line} of `;
  if (!error.formattedMessage.startsWith(prefix)) return undefined;
  const rest = error.formattedMessage.slice(prefix.length);
  let best: string | undefined;
  for (const file of known) {
    if (rest.startsWith(file) && /^(,| \()/.test(rest.slice(file.length)) && (!best || file.length > best.length)) best = file;
  }
  return best;
}

export async function compileMjml(text: string, file: string, tokens: FieldTokens, options: MjmlCompileOptions): Promise<MjmlCompilation> {
  const mjml = loadMjml();
  try {
    const result = await mjml(tokens.protect(options.sourceLines ? markSourceLines(text) : text), {
      validationLevel: 'soft',
      // mjml needs an existing path to resolve includes from; the file itself may not be saved yet.
      filePath: path.dirname(file),
      actualPath: file,
      ignoreIncludes: !options.includes,
      includePath: options.includeRoots,
      keepComments: true,
      minify: false,
      beautify: false,
      preprocessors: [(xml) => tokens.protect(xml)],
    });
    const problems = result.errors.map((error) => ({
      file: fileOf(error, options.knownFiles) ?? file,
      line: error.line,
      tag: error.tagName,
      message: tokens.restore(error.message),
    }));
    return { html: tokens.restore(result.html), problems };
  } catch (error) {
    return { problems: [], failure: tokens.restore(error instanceof Error ? error.message : String(error)) };
  }
}
