// A mailing's HTML as it will be sent, compiled from what the author wrote: MJML (mjml.ts), Markdown
// in a layout (markdown.ts, layout.ts), or HTML, each then CSS-inlined when asked for or by default
// (inlineCss.ts). The result — HTML, the Markdown's text part, the problems found on the way, located
// in the file that has them — is kept per content version (FileCache.derived): an edit of the YAML
// alone compiles nothing again. Every later step (the checks, the Inbox analysis, the renderer, the
// snapshot) sees only the compiled HTML; merge fields pass through every compiler as written.
import type { Located } from '../../facts/inboxFindings';
import type { FileAccess, FileProblem } from '../fileCache';
import { LineIndex } from '../lineIndex';
import type { PathPolicy } from '../pathPolicy';
import type { Range } from '../../types';
import { hasStyleBlock, inlineCss } from './inlineCss';
import { DEFAULT_LAYOUT, hasContentPlaceholder, wrapInLayout } from './layout';
import { compiledLocator, startOf, type AuthoredText } from './locate';
import { renderMarkdown } from './markdown';
import { fieldTokens } from './mergeTokens';
import { compileMjml } from './mjml';
import { scanMjmlIncludes, type MjmlInclude } from './mjmlIncludes';

export type ContentKind = 'html' | 'mjml' | 'markdown';

/** A text the author wrote: a file's, or inline in the mailing file (then `locate` maps into it). */
export interface AuthoredSource {
  text: string;
  /** Absolute path; undefined for inline text. */
  file?: string;
  /** Where offsets of `text` are written; default: lines of the file. */
  locate?: (start: number, end: number) => Located;
}

export interface ContentInput {
  kind: ContentKind;
  main: AuthoredSource;
  /** Markdown only: the layout file (HTML or MJML) with `{{content}}`. */
  layout?: AuthoredSource & { file: string };
  /** `content.inlineCss` as written; undefined: the default (HTML with a <style> block). */
  inlineCss?: boolean;
  /** The live preview: mark MJML and Markdown blocks with `data-line` for scroll sync (never in what is sent). */
  sourceLines?: boolean;
}

/** A problem met while compiling, located in the file it is in (`file` undefined: the mailing file). */
export type ContentIssue =
  | { kind: 'mjml'; file: string; range: Range; tag: string; message: string }
  | { kind: 'mjml-failed'; file: string; range: Range; message: string }
  | { kind: 'include'; file: string; range: Range; written: string; problem: FileProblem | { kind: 'absolute' } }
  | { kind: 'layout-placeholder'; file: string; range: Range };

export interface CompiledContent {
  kind: ContentKind;
  /** The HTML as sent (merge fields unfilled); undefined when nothing could be compiled. */
  html?: string;
  /** Markdown: the text part, from the Markdown itself. */
  text?: string;
  /** Whether juice inlined the CSS. */
  inlined: boolean;
  issues: ContentIssue[];
  /** The includes of an MJML text (and of an MJML layout), resolved under the path policy. */
  includes: MjmlInclude[];
  /** Where a span [start, end) of `html` was written. */
  locate(start: number, end: number): Located;
}

const LINE_1: Range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

function lineRange(text: string, line1: number): Range {
  const lines = new LineIndex(text);
  const line = Math.max(0, Math.min(line1 - 1, lines.lineCount - 1));
  const start = lines.lineStart(line);
  const end = lines.lineEnd(line);
  const indent = text.slice(start, end).search(/\S/);
  return lines.range(indent === -1 ? start : start + indent, end);
}

function authored(source: AuthoredSource): AuthoredText {
  if (source.locate) return { text: source.text, locate: source.locate };
  let lines: LineIndex | undefined;
  return { text: source.text, locate: (start, end) => ({ ...(source.file ? { file: source.file } : {}), range: (lines ??= new LineIndex(source.text)).range(start, end) }) };
}

/** The includes of an MJML text, or none for another kind. */
async function includesOf(source: AuthoredSource | undefined, mjml: boolean, policy: PathPolicy, files: FileAccess): Promise<MjmlInclude[]> {
  if (!source?.file || !mjml) return [];
  return scanMjmlIncludes(source.text, source.file, policy, files);
}

export async function compileContent(input: ContentInput, policy: PathPolicy, files: FileAccess): Promise<CompiledContent> {
  const layoutIsMjml = !!input.layout && /\.mjml$/i.test(input.layout.file);
  const [mainIncludes, layoutIncludes] = await Promise.all([includesOf(input.main, input.kind === 'mjml', policy, files), includesOf(input.layout, layoutIsMjml, policy, files)]);
  const includes = [...mainIncludes, ...layoutIncludes];
  const key = input.main.file ?? input.layout?.file;
  const make = () => compile(input, includes, layoutIsMjml, policy);
  // Inline content is part of the mailing text, whose whole load is kept already.
  if (!key) return make();
  const inputs = [input.kind, input.main.text, input.layout?.file, input.layout?.text, input.inlineCss, input.sourceLines, policy.key, ...includes.flatMap((i) => [i.file, i.text, i.problem?.kind])];
  // The preview's compilation is kept beside the one that is sent, not in its place.
  return files.cache.derived(`${key}#content${input.sourceLines ? '#lines' : ''}`, inputs, make);
}

async function compile(input: ContentInput, includes: MjmlInclude[], layoutIsMjml: boolean, policy: PathPolicy): Promise<CompiledContent> {
  const tokens = fieldTokens();
  const issues: ContentIssue[] = [];
  const sources: AuthoredText[] = [authored(input.main)];
  if (input.layout) sources.push(authored(input.layout));
  for (const include of includes) if (include.text !== undefined) sources.push(authored({ text: include.text, file: include.file }));
  for (const include of includes) {
    if (include.problem) issues.push({ kind: 'include', file: include.from, range: include.range, written: include.written, problem: include.problem });
  }
  const refused = includes.some((include) => include.problem);
  const textOf = new Map<string, string>();
  if (input.main.file) textOf.set(input.main.file, input.main.text);
  if (input.layout) textOf.set(input.layout.file, input.layout.text);
  for (const include of includes) if (include.text !== undefined) textOf.set(include.mjmlPath, include.text).set(include.file, include.text);
  const canonical = new Map<string, string>(includes.map((include) => [include.mjmlPath, include.file]));

  const mjml = async (source: AuthoredSource & { file: string }, sourceLines = false) => {
    const compiled = await compileMjml(source.text, source.file, tokens, {
      sourceLines,
      // An include that was refused is not handed to mjml at all: then it reads none of them.
      includes: !refused,
      includeRoots: policy.within.flat(),
      knownFiles: [source.file, ...includes.map((include) => include.mjmlPath)],
    });
    for (const problem of compiled.problems) {
      const file = canonical.get(problem.file) ?? problem.file;
      const text = textOf.get(problem.file) ?? textOf.get(file) ?? '';
      issues.push({ kind: 'mjml', file, range: lineRange(text, problem.line), tag: problem.tag, message: problem.message });
    }
    if (compiled.failure !== undefined) issues.push({ kind: 'mjml-failed', file: source.file, range: LINE_1, message: compiled.failure });
    return compiled.html;
  };

  let html: string | undefined;
  let text: string | undefined;
  if (input.kind === 'mjml') {
    if (!input.main.file) throw new Error('MJML content is read from a file');
    html = await mjml({ ...input.main, file: input.main.file }, input.sourceLines === true);
  } else if (input.kind === 'markdown') {
    const rendered = renderMarkdown(tokens.protect(input.main.text), { sourceLines: input.sourceLines });
    text = tokens.restore(rendered.text);
    const fragment = tokens.restore(rendered.html);
    let layout: string | undefined = DEFAULT_LAYOUT;
    if (input.layout) {
      if (!hasContentPlaceholder(input.layout.text)) {
        issues.push({ kind: 'layout-placeholder', file: input.layout.file, range: LINE_1 });
        layout = undefined;
      } else {
        layout = layoutIsMjml ? await mjml(input.layout) : input.layout.text;
      }
    }
    html = layout === undefined ? fragment : wrapInLayout(layout, fragment);
  } else {
    html = input.main.text;
  }

  const inlined = html !== undefined && (input.inlineCss ?? (input.kind !== 'mjml' && hasStyleBlock(html))) && hasStyleBlock(html);
  if (inlined) html = inlineCss(html!, tokens);
  const fallback = () => startOf(input.main.file);
  const main = sources[0];
  // Untouched HTML is located as written; everything else through its sources.
  const locate = input.kind === 'html' && !inlined ? main.locate : compiledLocator(html ?? '', sources, input.main.file ? fallback : () => main.locate(0, 0));
  return { kind: input.kind, html, text, inlined, issues, includes, locate };
}
