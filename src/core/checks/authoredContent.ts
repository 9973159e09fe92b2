// Content step, the HTML compiled from what the author wrote (content/compileContent.ts): the MJML or
// Markdown file and its layout as files (missing, unreadable, not UTF-8), more than one source of the
// HTML, and what compiling met — each MJML error at its line in the file it is in (the .mjml file or an
// included one), a refused or missing include at the include, a layout without `{{content}}` — plus
// one `content-compile` error in the mailing itself that points at the .mjml file, so the mailing
// (and Confirm) shows that its HTML is not what the author meant even when that file is closed.
import * as path from 'node:path';
import type { ContentIssue } from '../load/content/compileContent';
import type { LoadedMailing } from '../load/loadMailing';
import type { Diagnostic } from '../types';
import { diagnostic, fileProblem, type CheckContext } from './context';
import { fileEncodingDiagnostics } from './fileEncoding';

export function checkAuthoredContent(ctx: CheckContext): Diagnostic[] {
  const { loaded } = ctx;
  const { ranges } = loaded;
  const found: Diagnostic[] = [];
  const authored = loaded.content.authored;
  const used = authored?.part.path[1] ?? usedKind(loaded);
  for (const conflict of loaded.contentConflicts) {
    found.push(diagnostic('content-conflict', 'error', 'content', { key: String(conflict[1]), used: String(used) }, ranges.key(conflict)));
  }
  if (!authored) return found;
  // A written `content.html` is checked as a file by the content check; MJML, Markdown and layouts here.
  const files = authored.kind === 'html' ? [authored.layout] : [authored.part, authored.layout];
  for (const part of files) {
    if (!part) continue;
    if (part.problem) found.push(fileProblem('content', written(loaded, part.path), part.problem, ranges.value(part.path)));
    if (part.file && part.source !== undefined) {
      found.push(...fileEncodingDiagnostics(part.source, part.encoding ?? {}, { step: 'content', file: part.file, name: written(loaded, part.path) }));
    }
  }
  for (const include of authored.includes) {
    if (include.text === undefined || !include.encoding) continue;
    found.push(...fileEncodingDiagnostics(include.text, include.encoding, { step: 'content', file: include.file, name: include.written }));
  }
  const compileErrors: Extract<ContentIssue, { kind: 'mjml' | 'mjml-failed' }>[] = [];
  for (const issue of authored.issues) {
    const where = { file: issue.file };
    switch (issue.kind) {
      case 'mjml':
        compileErrors.push(issue);
        found.push(diagnostic('mjml-invalid', 'error', 'content', { kind: 'rule', tag: issue.tag, message: issue.message }, issue.range, where));
        break;
      case 'mjml-failed':
        compileErrors.push(issue);
        found.push(diagnostic('mjml-invalid', 'error', 'content', { kind: 'failed', message: issue.message }, issue.range, where));
        break;
      case 'include':
        if (issue.problem.kind === 'absolute') {
          found.push(diagnostic('mjml-invalid', 'error', 'content', { kind: 'include-absolute', written: issue.written }, issue.range, where));
        } else {
          found.push({ ...fileProblem('content', issue.written, issue.problem, issue.range), file: issue.file });
        }
        break;
      case 'layout-placeholder':
        found.push(diagnostic('content-compile', 'error', 'content', { kind: 'layout', file: written(loaded, ['content', 'layout']) }, ranges.value(['content', 'layout'])));
        break;
    }
  }
  if (compileErrors.length > 0) {
    const first = compileErrors[0];
    const main = authored.kind === 'markdown' ? authored.layout : authored.part;
    const inOther = main?.file !== undefined && first.file !== main.file;
    const args = {
      kind: 'errors' as const,
      file: written(loaded, main?.path ?? authored.part.path),
      count: compileErrors.length,
      line: first.range.start.line + 1,
      message: first.message,
      ...(inOther ? { in: path.relative(path.dirname(main.file!), first.file) } : {}),
    };
    found.push(diagnostic('content-compile', 'error', 'content', args, ranges.value(main?.path ?? authored.part.path)));
  }
  return found;
}

/** The content key the HTML comes from when nothing was compiled (for `content-conflict`). */
function usedKind(loaded: LoadedMailing): string {
  return String(loaded.content.html?.path[1] ?? 'html');
}

/** The value as the file writes it (for messages): `newsletter.mjml`. */
function written(loaded: LoadedMailing, at: readonly (string | number)[]): string {
  let value: unknown = loaded.data;
  for (const segment of at) value = (value as Record<string | number, unknown> | undefined)?.[segment];
  return typeof value === 'string' ? value.trim() : String(value);
}
