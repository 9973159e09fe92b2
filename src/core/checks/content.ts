// Content step: the HTML and text parts, attachments, merge fields (in subject, HTML, text and the
// unsubscribe URL) and the unsubscribe targets.
import * as path from 'node:path';
import { isValidEmail } from '../load/addresses';
import { LineIndex } from '../load/lineIndex';
import type { LoadedMailing, LoadedPart } from '../load/loadMailing';
import { isEmptyValue, scanMergeFields, type MergeFieldUse } from '../load/mergeFields';
import { valueSpanInSource } from '../load/scalarSpans';
import { closest } from '../load/similar';
import type { YamlPath } from '../load/sourceNodes';
import { compileTemplate, isSafeLinkStart, urlFieldPlaces } from '../render/merge';
import type { Diagnostic, Range } from '../types';
import type { RowsArgs } from '../facts/diagnostics';
import { diagnostic, fileProblem, isBlank, type CheckContext } from './context';
import { fileEncodingDiagnostics } from './fileEncoding';

/** Above this total, attachments make mail slow, often refused, and spam-like. */
export const ATTACHMENTS_MAX_BYTES = 10 * 1024 * 1024;

export function checkContent(ctx: CheckContext): Diagnostic[] {
  const { loaded } = ctx;
  const { data, ranges } = loaded;
  const found: Diagnostic[] = [];
  const contentData = data.content;
  const { html, text } = loaded.content;

  // The parts themselves.
  const hasContent = (part: LoadedPart | undefined) => !!part && (part.problem !== undefined || !!part.source?.trim());
  if (isBlank(contentData)) {
    found.push(
      diagnostic('content-missing', 'error', 'content', { kind: 'absent' }, ranges.missing([]), {
        data: { missingKey: 'content', parentPath: [] },
      }),
    );
  } else if (typeof contentData === 'object' && !Array.isArray(contentData) && !hasContent(html) && !hasContent(text)) {
    const empty = html ?? text;
    found.push(
      diagnostic('content-missing', 'error', 'content', empty?.file ? { kind: 'empty-file', file: written(ctx, empty.path) } : { kind: 'no-part' }, empty ? ranges.value(empty.path) : ranges.key(['content']), {
        data: { missingKey: 'html', parentPath: ['content'] },
      }),
    );
  }
  for (const part of [html, text]) {
    if (part?.problem) found.push(fileProblem('content', written(ctx, part.path), part.problem, ranges.value(part.path)));
    // Inline text is part of the mailing file, whose own check covers it.
    if (part?.file && part.source !== undefined) {
      found.push(...fileEncodingDiagnostics(part.source, part.encoding ?? {}, { step: 'content', file: part.file, name: written(ctx, part.path) }));
    }
  }
  if (hasContent(html) && !text) {
    found.push(
      diagnostic('text-part-missing', 'info', 'content', {}, ranges.key(['content']), {
        data: { missingKey: 'text', parentPath: ['content'] },
      }),
    );
  }

  // Attachments.
  let total = 0;
  for (const attachment of loaded.attachments) {
    if (attachment.problem) found.push(fileProblem('content', written(ctx, attachment.path), attachment.problem, ranges.value(attachment.path)));
    total += attachment.size ?? 0;
  }
  if (total > ATTACHMENTS_MAX_BYTES) {
    found.push(diagnostic('attachment-large', 'warning', 'content', { size: total }, ranges.key(['attachments'])));
  }

  // Merge fields.
  found.push(...checkMergeFields(ctx));
  found.push(...checkLinkStarts(ctx));

  // Unsubscribe.
  const unsubscribeData = data.unsubscribe;
  const { url, mailto } = loaded.unsubscribe;
  if (!url && !mailto) {
    const absent = unsubscribeData === undefined;
    if (absent || unsubscribeData === null || (typeof unsubscribeData === 'object' && !Array.isArray(unsubscribeData))) {
      found.push(
        diagnostic(
          'unsubscribe-missing',
          'error',
          'content',
          {},
          absent ? ranges.missing([]) : ranges.key(['unsubscribe']),
          { data: absent ? { missingKey: 'unsubscribe', parentPath: [] } : { missingKey: 'url', parentPath: ['unsubscribe'] } },
        ),
      );
    }
  }
  if (url) found.push(...checkUnsubscribeUrl(ctx, url));
  if (mailto) {
    const address = mailto.replace(/^mailto:/i, '').split('?')[0].trim();
    if (!isValidEmail(address)) {
      found.push(diagnostic('unsubscribe-invalid', 'error', 'content', { kind: 'mailto', written: mailto }, ranges.value(['unsubscribe', 'mailto'])));
    }
  }
  return found;
}

function checkUnsubscribeUrl(ctx: CheckContext, url: string): Diagnostic[] {
  const range = ctx.loaded.ranges.value(['unsubscribe', 'url']);
  let parsed: URL | undefined;
  try {
    // Merge fields are filled in per recipient; any value stands in for them here.
    parsed = new URL(url.replace(/\{\{[^}]*\}\}/g, 'x'));
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || !parsed.hostname) {
    return [diagnostic('unsubscribe-invalid', 'error', 'content', { kind: 'url', written: url }, range)];
  }
  if (parsed.protocol === 'http:') {
    return [diagnostic('unsubscribe-not-https', 'warning', 'content', {}, range)];
  }
  return [];
}

/** The path as the file writes it (for messages): `newsletter.html`. */
function written(ctx: CheckContext, path: YamlPath): string {
  let value: unknown = ctx.loaded.data;
  for (const segment of path) value = (value as Record<string | number, unknown> | undefined)?.[segment];
  return typeof value === 'string' ? value.trim() : String(value);
}

interface MergeSource {
  /** The text the fields are in. */
  text: string;
  /** Inline in the YAML: the value's path; in a file: the absolute path. */
  path?: YamlPath;
  file?: string;
}

/** Every merge field the mailing uses, in order of first use (for the summary). */
export function usedMergeFields(loaded: LoadedMailing): string[] {
  const names = new Set<string>();
  for (const source of mergeSources(loaded)) for (const use of scanMergeFields(source.text).uses) names.add(use.name);
  return [...names];
}

function mergeSources(loaded: LoadedMailing): MergeSource[] {
  const sources: MergeSource[] = [];
  if (typeof loaded.data.subject === 'string') sources.push({ text: loaded.data.subject, path: ['subject'] });
  for (const part of [loaded.content.html, loaded.content.text]) {
    if (part?.source === undefined) continue;
    sources.push(part.file ? { text: part.source, file: part.file } : { text: part.source, path: part.path });
  }
  const url = (loaded.data.unsubscribe as { url?: unknown } | undefined)?.url;
  if (typeof url === 'string') sources.push({ text: url, path: ['unsubscribe', 'url'] });
  return sources;
}

/** Ranges of offsets in a merge source: in its own file, or inside the YAML value it is written in. */
function rangesIn(loaded: LoadedMailing, source: MergeSource): (start: number, end: number) => Range {
  let fileLines: LineIndex | undefined;
  return (start, end) => {
    if (source.file) {
      fileLines ??= new LineIndex(source.text);
      return fileLines.range(start, end);
    }
    const node = loaded.ranges.node(source.path!);
    if (!node) return loaded.ranges.value(source.path!);
    const [from, to] = valueSpanInSource(loaded.source.text, node, source.text, start, end);
    return loaded.source.lines.range(from, to);
  };
}

function checkMergeFields(ctx: CheckContext): Diagnostic[] {
  const { loaded } = ctx;
  const fields = loaded.targetList.fields;
  const known = new Set(fields);
  const found: Diagnostic[] = [];
  for (const source of mergeSources(loaded)) {
    const scan = scanMergeFields(source.text);
    if (scan.uses.length === 0 && scan.problems.length === 0) continue;
    const rangeOf = rangesIn(loaded, source);
    const extra = source.file ? { file: source.file } : {};
    const problems = scan.problems;
    problems.slice(0, MAX_MERGE_DIAGNOSTICS).forEach((problem, i) => {
      found.push(diagnostic('merge-syntax', 'error', 'content', { ...problem.problem, ...unlisted(problems.length, i) }, rangeOf(problem.start, problem.end), extra));
    });
    // Only when every source of the target list could be read are its fields known.
    if (!loaded.fieldsKnown) continue;
    const unknown = scan.uses.filter((use) => !known.has(use.name));
    const suggestions = new Map<string, string | undefined>();
    unknown.slice(0, MAX_MERGE_DIAGNOSTICS).forEach((use, i) => {
      if (!suggestions.has(use.name)) suggestions.set(use.name, closest(use.name, fields));
      const suggestion = suggestions.get(use.name);
      const args = { field: use.name, fields, ...(suggestion ? { suggestion } : {}), ...unlisted(unknown.length, i) };
      found.push(
        diagnostic('merge-field-unknown', 'error', 'content', args, rangeOf(use.start, use.end), {
          ...extra,
          data: suggestion ? { field: use.name, suggestion } : { field: use.name },
        }),
      );
    });
  }
  return found;
}

/** The link-start fields of the HTML part, kept for its latest text (the HTML rarely changes while typing). */
let lastLinkStarts: { html: string; starts: MergeFieldUse[] } | undefined;

function linkStartsOf(html: string): MergeFieldUse[] {
  if (lastLinkStarts?.html === html) return lastLinkStarts.starts;
  const template = compileTemplate(html);
  const { start } = urlFieldPlaces(html, template);
  const uses = scanMergeFields(html).uses;
  const starts = [...start].map((k) => uses[k]);
  lastLinkStarts = { html, starts };
  return starts;
}

/**
 * A merge field at the very start of a link or image address decides what the link is. Values
 * that are no http(s) or mailto address (`javascript:`, `data:`, a bare word) are left out of the
 * message by the renderer (render/merge.ts); this names the rows before anything is sent.
 */
function checkLinkStarts(ctx: CheckContext): Diagnostic[] {
  const { loaded } = ctx;
  const html = loaded.content.html;
  if (!html?.source || !html.source.includes('{{')) return [];
  const starts = linkStartsOf(html.source);
  if (starts.length === 0) return [];
  const mailed = new Set(loaded.targetList.recipients);
  const found: Diagnostic[] = [];
  const reported = new Set<string>();
  const rangeOf = rangesIn(loaded, html.file ? { text: html.source, file: html.file } : { text: html.source, path: html.path });
  for (const use of starts) {
    // What stands at the link's start: the value, or the field's default when the value is empty.
    const linkValue = (value: string | undefined) => (use.default !== undefined && isEmptyValue(value) ? use.default : (value ?? ''));
    if (reported.has(use.name)) continue;
    reported.add(use.name);
    const places: RowsArgs[] = [];
    const contacts: string[] = [];
    let count = 0;
    for (const source of loaded.includes) {
      if (source.kind === 'inline') {
        const value = source.fields?.[use.name];
        if (value !== undefined && source.outcome === undefined && !isSafeLinkStart(linkValue(value))) {
          count++;
          contacts.push(source.fields?.email ?? '');
        }
        continue;
      }
      const table = source.table;
      if (!table) continue;
      const rows: number[] = [];
      for (let i = 0; i < table.recipients.length; i++) {
        const recipient = table.recipients[i];
        if (!mailed.has(recipient) || isSafeLinkStart(linkValue(recipient.fields[use.name]))) continue;
        rows.push(table.lines[i]);
      }
      if (rows.length) {
        count += rows.length;
        places.push({ file: path.basename(source.file ?? ''), rows });
      }
    }
    if (count === 0) continue;
    if (contacts.length) places.push({ contacts });
    found.push(diagnostic('merge-link-unsafe', 'warning', 'content', { field: use.name, count, places }, rangeOf(use.start, use.end), html.file ? { file: html.file } : {}));
  }
  return found;
}

/** Merge-field diagnostics of one kind per text: past this, the last one counts the rest. */
const MAX_MERGE_DIAGNOSTICS = 50;

function unlisted(total: number, index: number): { unlisted?: number } {
  return index === MAX_MERGE_DIAGNOSTICS - 1 && total > MAX_MERGE_DIAGNOSTICS ? { unlisted: total - MAX_MERGE_DIAGNOSTICS } : {};
}
