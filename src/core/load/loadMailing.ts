// Loads a mailing file: the YAML with positions, the schema's verdict, and everything the file refers
// to resolved against the file's folder (content files, attachments, CSV lists, the DKIM key). What
// could not be resolved is recorded as a fact (a missing file, an unreadable From); the wizard-step
// checks (src/core/checks) turn the facts into diagnostics.
import * as path from 'node:path';
import { compileContent, type ContentIssue, type ContentKind } from './content/compileContent';
import type { MjmlInclude } from './content/mjmlIncludes';
import type { InboxFinding, Located } from '../facts/inboxFindings';
import { inboxHtml } from './html/htmlSource';
import { resolveLocalImages } from './html/localImages';
import type { Address, Diagnostic, InlineImage, SendingOptions, TargetList } from '../types';
import { addressFromObject, parseAddress, type AddressParse } from './addresses';
import type { FileAccess, FileProblem } from './fileCache';
import { resolveReference, type PathPolicy } from './pathPolicy';
import { LineIndex } from './lineIndex';
import { parseMailingText } from './documentQueries';
import type { SourceRanges } from './ranges';
import { valueSpanInSource } from './scalarSpans';
import { parseRate, type RateParse } from './rate';
import { DEFAULT_SENDING } from './schema';
import { loadPace, type LoadedPace } from './sendingPace';
import type { YamlPath } from './sourceNodes';
import { findStateRoot } from '../state/stateRoot';
import { areFieldsKnown, assembleTargetList, EXCLUDE_STATUSES, newSource, type ExcludeStatus, type LoadedSource, type OtherMailings } from './targetList';
import { parseYamlSource, type YamlSource } from './yamlSource';

export interface LoadedPart {
  path: YamlPath;
  /** Absolute path when the value names a file. */
  file?: string;
  /** The text of the part (the file's text, or the inline value); undefined when the file could not be read. */
  source?: string;
  /** A file's text: where it holds bytes that are not UTF-8 (offsets in `source`), whether it is UTF-16. */
  encoding?: { invalid: number[]; utf16?: boolean };
  problem?: FileProblem;
  /**
   * Made by the loader, not written (the HTML compiled from MJML or Markdown or with its CSS inlined,
   * the text part of Markdown): `locate` says where a span of `source` was written.
   */
  compiled?: true;
  locate?: (start: number, end: number) => Located;
}

/** What the author wrote when the HTML is compiled from it (`content.mjml`, `content.markdown`, an inlined `content.html`). */
export interface AuthoredContent {
  kind: ContentKind;
  /** The authored file (or inline HTML), as read. */
  part: LoadedPart;
  /** `content.layout` (Markdown only). */
  layout?: LoadedPart;
  /** The `mj-include`s, resolved under the path policy. */
  includes: MjmlInclude[];
  /** What compiling met (MJML errors, refused includes, a layout without `{{content}}`). */
  issues: ContentIssue[];
  /** Whether the CSS was inlined (juice). */
  inlined: boolean;
  /** Set when the HTML could not be compiled at all. */
  failed?: true;
}

export interface LoadedAttachment {
  path: YamlPath;
  file: string;
  filename: string;
  size?: number;
  sha256?: string;
  problem?: FileProblem;
}

export interface LoadedAddress {
  path: YamlPath;
  parse: AddressParse;
}

export interface LoadedMailing {
  /** Absolute path of the mailing file, and its folder (what relative paths are resolved against). */
  file: string;
  dir: string;
  source: YamlSource;
  ranges: SourceRanges;
  /** The root mapping as plain data (empty when the file is not a mapping). */
  data: Record<string, unknown>;
  schemaDiagnostics: Diagnostic[];
  name?: string;
  subject?: string;
  from?: LoadedAddress;
  replyTo?: LoadedAddress;
  /**
   * The HTML and text parts as they are sent: written (`html`, `text`) or compiled (`compiled`) from
   * `authored` — MJML, Markdown (whose text part comes from the Markdown), HTML with its CSS inlined.
   */
  content: { html?: LoadedPart; text?: LoadedPart; authored?: AuthoredContent };
  /** Other content kinds given beside the one used (`html` and `mjml` both): each is an error. */
  contentConflicts: YamlPath[];
  /** `preheader` as written. */
  preheader?: string;
  attachments: LoadedAttachment[];
  /** The HTML's local images (embedded as inline parts), and what stood in the way of some (missing, outside the workspace). */
  images: InlineImage[];
  imageFindings: InboxFinding[];
  includes: LoadedSource[];
  excludes: LoadedSource[];
  targetList: TargetList;
  /** True when the columns of every include source could be read: only then are the merge fields known. */
  fieldsKnown: boolean;
  unsubscribe: { url?: string; mailto?: string };
  testRecipients: string[];
  schedule?: string;
  /** The `timezone` as written, when given. */
  timezone?: string;
  sending: SendingOptions;
  rate?: RateParse;
  /** Window, quotas, per-domain rates, warm-up and the schedule's form, with what could not be read. */
  pace: LoadedPace;
  dkimKey?: { path: YamlPath; file: string; problem?: FileProblem };
  referencedFiles: string[];
}

const HTML_FILE = /\.(html?|xhtml)$/i;
const TEXT_FILE = /\.(txt|text|md)$/i;
const MJML_FILE = /\.mjml$/i;
const MARKDOWN_FILE = /\.(md|markdown)$/i;
const LAYOUT_FILE = /\.(html?|xhtml|mjml)$/i;

/** The keys of `content` that give the HTML, in the order one is chosen when several are given. */
const HTML_KINDS = ['mjml', 'markdown', 'html'] as const;

/** A content value names a file when it is one line, without markup or merge fields, with a known extension. */
export function namesFile(value: string, extension: RegExp): boolean {
  const trimmed = value.trim();
  return trimmed.length > 0 && !/[\n<>]/.test(trimmed) && !trimmed.includes('{{') && extension.test(trimmed);
}

/** The files a `content` value of each kind may name. */
const CONTENT_FILE: Readonly<Record<string, RegExp>> = { html: HTML_FILE, text: TEXT_FILE, mjml: MJML_FILE, markdown: MARKDOWN_FILE, layout: LAYOUT_FILE };

/**
 * The content files a mailing's text names (HTML, text, MJML, Markdown, layout), resolved against
 * its folder, from the text alone: nothing is read or checked (the editor offers its preview on them).
 */
export function declaredContentFiles(file: string, source: string): string[] {
  const content = mapping(mapping(parseYamlSource(source).value)?.content);
  if (!content) return [];
  const dir = path.dirname(path.resolve(file));
  return Object.entries(CONTENT_FILE).flatMap(([key, extension]) => {
    const value = text(content[key]);
    return value !== undefined && namesFile(value, extension) ? [path.resolve(dir, value.trim())] : [];
  });
}

function mapping(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Where the state of the mailings a target list excludes (`exclude: - mailing:`) is read. */
export interface LoadState {
  /** The state root of the mailing being loaded: the excluded ones share it (one workspace); absent: each one's own. */
  stateRoot?: string;
  /** Reads the mailings it excludes; without it, `exclude: - mailing:` cannot be resolved (unreadable). */
  otherMailings?: OtherMailings;
  /** The live preview's load: MJML and Markdown blocks marked with their source line (content/compileContent.ts). */
  sourceLines?: boolean;
}

/**
 * Loads a mailing from its text. The result is shared through the FileCache while the text and every
 * file it refers to are unchanged (re-validation because the send state or the clock moved): treat
 * it as read-only.
 */
export async function loadMailing(file: string, source: string, files: FileAccess, policy: PathPolicy, state: LoadState = {}): Promise<LoadedMailing> {
  const absolute = path.resolve(file);
  return files.cache.loaded(
    // The preview's load is kept beside the one that is checked and sent, not in its place.
    state.sourceLines ? `${absolute}#lines` : absolute,
    `${policy.key}\n${state.stateRoot ?? ''}\n${source}`,
    files,
    () => readMailing(absolute, source, files, policy, state),
    (loaded) => loaded.referencedFiles,
    (loaded) => !hasFileProblem(loaded),
  );
}

function hasFileProblem(loaded: LoadedMailing): boolean {
  const authored = loaded.content.authored;
  return (
    !!authored?.part.problem ||
    !!authored?.layout?.problem ||
    !!authored?.includes.some((include) => include.problem && include.problem.kind !== 'outside' && include.problem.kind !== 'absolute') ||
    !!loaded.content.html?.problem ||
    !!loaded.content.text?.problem ||
    loaded.attachments.some((attachment) => attachment.problem) ||
    loaded.imageFindings.some((finding) => finding.kind === 'image-missing') ||
    loaded.includes.some((source) => source.problem) ||
    loaded.excludes.some((source) => source.problem || (source.recipients && !source.recipients.ok)) ||
    !!loaded.dkimKey?.problem
  );
}

async function readMailing(absolute: string, source: string, files: FileAccess, policy: PathPolicy, state: LoadState): Promise<LoadedMailing> {
  const dir = path.dirname(absolute);
  // The text's parse and the schema's verdict on it depend on the text alone.
  const { yaml, ranges, schema } = parseMailingText(files.cache, absolute, source);
  const data = mapping(yaml.value) ?? {};
  const resolve = (relative: string) => path.resolve(dir, relative.trim());
  const referenced = new Set<string>();
  const reading: Promise<void>[] = [];
  /**
   * A file the mailing reads or sends, under the path policy: its canonical path, or the problem
   * that it lies outside the workspace (then nothing is read from it). A link is watched as well
   * as its target: pointing it elsewhere changes the mailing.
   */
  const reference = (value: string): { file: string; problem?: FileProblem } => {
    const resolved = resolveReference(policy, dir, value);
    referenced.add(resolved.file);
    if (resolved.written !== resolved.file) referenced.add(resolved.written);
    if (resolved.ok) return { file: resolved.file };
    return { file: resolved.file, problem: { kind: 'outside', workspace: resolved.root, ...(resolved.written !== resolved.file ? { leadsTo: resolved.file } : {}) } };
  };

  const loadAddress = (key: 'from' | 'replyTo'): LoadedAddress | undefined => {
    const value = data[key];
    if (typeof value === 'string') return { path: [key], parse: parseAddress(value, key) };
    const object = mapping(value);
    if (object) return { path: [key], parse: addressFromObject(object, key) };
    return undefined;
  };

  // Content: each part is inline text or a file.
  const content: LoadedMailing['content'] = {};
  const contentData = mapping(data.content);
  // The HTML comes from one of `mjml`, `markdown` or `html`; the others given beside it are conflicts.
  const htmlKind = HTML_KINDS.find((kind) => text(contentData?.[kind]) !== undefined);
  const contentConflicts: YamlPath[] = HTML_KINDS.filter((kind) => kind !== htmlKind && text(contentData?.[kind]) !== undefined).map((kind) => ['content', kind]);
  const authoredParts: Partial<Record<'mjml' | 'markdown' | 'layout', LoadedPart>> = {};
  for (const [kind, extension] of [
    ['html', HTML_FILE],
    ['text', TEXT_FILE],
    ['mjml', MJML_FILE],
    ['markdown', MARKDOWN_FILE],
    ['layout', LAYOUT_FILE],
  ] as const) {
    const value = text(contentData?.[kind]);
    if (value === undefined) continue;
    if ((kind === 'html' || kind === 'mjml' || kind === 'markdown') && kind !== htmlKind) continue;
    if (kind === 'layout' && htmlKind !== 'markdown') continue;
    const part: LoadedPart = { path: ['content', kind] };
    if (kind === 'html' || kind === 'text') content[kind] = part;
    else authoredParts[kind] = part;
    if (!namesFile(value, extension)) {
      // MJML, Markdown and layouts are files (the schema says so); inline HTML and text are welcome.
      if (kind === 'html' || kind === 'text') part.source = value;
      continue;
    }
    const target = reference(value);
    part.file = target.file;
    if (target.problem) {
      part.problem = target.problem;
      continue;
    }
    reading.push(
      files.text(part.file).then((result) => {
        if (result.ok) {
          part.source = result.value.text;
          part.encoding = { invalid: result.value.invalid, utf16: result.value.utf16 };
        } else part.problem = result.problem;
      }),
    );
  }

  const attachments: LoadedAttachment[] = [];
  if (Array.isArray(data.attachments)) {
    data.attachments.forEach((value, index) => {
      if (typeof value !== 'string' || !value.trim()) return;
      const target = reference(value);
      const attachment: LoadedAttachment = { path: ['attachments', index], file: target.file, filename: path.basename(value.trim()) };
      attachments.push(attachment);
      if (target.problem) {
        attachment.problem = target.problem;
        return;
      }
      reading.push(
        files.sha256(attachment.file).then((result) => {
          if (result.ok) {
            attachment.size = result.stamp.size;
            attachment.sha256 = result.value;
          } else {
            attachment.problem = result.problem;
          }
        }),
      );
    });
  }

  // Target list sources.
  const targetData = mapping(data.targetList);
  const loadSources = (role: 'include' | 'exclude'): LoadedSource[] => {
    const list = targetData?.[role];
    if (!Array.isArray(list)) return [];
    const sources: LoadedSource[] = [];
    list.forEach((entry, index) => {
      const object = mapping(entry);
      if (!object) return;
      const entryPath: YamlPath = ['targetList', role, index];
      if (typeof object.file === 'string' && !('email' in object)) {
        const loaded = newSource(role, entryPath, 'file');
        const target = reference(object.file);
        loaded.file = target.file;
        sources.push(loaded);
        if (target.problem) {
          loaded.problem = target.problem;
          return;
        }
        reading.push(
          files.csv(loaded.file).then((result) => {
            if (result.ok) loaded.table = result.value;
            else loaded.problem = result.problem;
          }),
        );
      } else if (role === 'exclude' && typeof object.mailing === 'string' && !('file' in object) && !('email' in object)) {
        // Another mailing's recipients, from its journal (state/mailingRecipients.ts).
        const loaded = newSource(role, entryPath, 'mailing');
        const target = reference(object.mailing);
        loaded.file = target.file;
        loaded.status = EXCLUDE_STATUSES.includes(object.status as ExcludeStatus) ? (object.status as ExcludeStatus) : 'sent';
        sources.push(loaded);
        if (target.problem) {
          loaded.problem = target.problem;
          return;
        }
        const stateRoot = state.stateRoot ?? findStateRoot(target.file);
        const others = state.otherMailings;
        if (others) for (const stateFile of others.stateFiles(stateRoot, target.file)) referenced.add(stateFile);
        const status = loaded.status;
        reading.push(
          files.stat(loaded.file).then(async (result) => {
            if (!result.ok) loaded.problem = result.problem;
            else loaded.recipients = others ? await others.recipients(stateRoot, target.file, status) : { ok: false, problem: 'unreadable', detail: 'no reader of other mailings was given' };
          }),
        );
      } else if (typeof object.email === 'string' && !('file' in object)) {
        const loaded = newSource(role, entryPath, 'inline');
        loaded.email = object.email;
        // The merge-field values as the recipient will carry them (the address trimmed).
        const fields: Record<string, string> = {};
        for (const key in object) {
          const field = object[key];
          if (key === 'email') fields.email = object.email.trim();
          else if (field === null || field === undefined) fields[key] = '';
          else if (typeof field !== 'object') fields[key] = String(field);
        }
        loaded.fields = fields;
        sources.push(loaded);
      }
    });
    return sources;
  };
  const includes = loadSources('include');
  const excludes = loadSources('exclude');

  // Sending options: the schema's defaults, overridden by what the file says (where it says it well).
  const sendingData = mapping(data.sending) ?? {};
  const sending: SendingOptions = { ...DEFAULT_SENDING };
  if (sendingData.transport === 'smtp' || sendingData.transport === 'outbox') sending.transport = sendingData.transport;
  const whole = (value: unknown, min: number, max = Infinity) => (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined);
  const seconds = (value: unknown) => (typeof value === 'number' && value >= 0 && Number.isFinite(value) ? value * 1000 : undefined);
  sending.connections = whole(sendingData.connections, 1, 50) ?? sending.connections;
  sending.attempts = whole(sendingData.attempts, 1, 100) ?? sending.attempts;
  sending.maxConsecutiveErrors = whole(sendingData.maxConsecutiveErrors, 1) ?? sending.maxConsecutiveErrors;
  sending.retryDelay = seconds(sendingData.retryDelay) ?? sending.retryDelay;
  sending.maxRetryDelay = seconds(sendingData.maxRetryDelay) ?? sending.maxRetryDelay;
  const rate = typeof sendingData.rate === 'string' ? parseRate(sendingData.rate) : undefined;
  if (rate?.ok) sending.rate = rate.rate;
  const pace = loadPace(data);
  for (const key of ['window', 'quotas', 'perDomain', 'warmup'] as const) if (pace[key]) Object.assign(sending, { [key]: pace[key] });
  if (pace.localTime) sending.localTime = true;
  const bounce = text(sendingData.bounceAddress)?.trim();
  if (bounce) sending.bounceAddress = bounce;
  let dkimKey: LoadedMailing['dkimKey'];
  const dkim = mapping(sendingData.dkim);
  if (dkim && typeof dkim.domain === 'string' && typeof dkim.selector === 'string' && typeof dkim.privateKey === 'string') {
    const keyFile = resolve(dkim.privateKey);
    sending.dkim = { domain: dkim.domain, selector: dkim.selector, privateKeyFile: keyFile };
    const key: NonNullable<LoadedMailing['dkimKey']> = { path: ['sending', 'dkim', 'privateKey'], file: keyFile };
    dkimKey = key;
    referenced.add(keyFile);
    reading.push(
      files.stat(keyFile).then((result) => {
        if (!result.ok) key.problem = result.problem;
      }),
    );
  }

  await Promise.all(reading);

  const targetList = await assembleTargetList(includes, excludes, (inputs, make) => files.cache.remembered(`${absolute}\0targetList`, inputs, make));
  const unsubscribeData = mapping(data.unsubscribe);
  const testData = mapping(data.test);
  const trimmed = (value: unknown) => {
    const result = text(value)?.trim();
    return result ? result : undefined;
  };
  const loaded: LoadedMailing = {
    file: absolute,
    dir,
    source: yaml,
    ranges,
    data,
    schemaDiagnostics: schema,
    name: trimmed(data.name),
    subject: text(data.subject),
    from: loadAddress('from'),
    replyTo: loadAddress('replyTo'),
    content,
    contentConflicts,
    preheader: text(data.preheader),
    attachments,
    images: [],
    imageFindings: [],
    includes,
    excludes,
    targetList,
    fieldsKnown: includes.length > 0 && includes.every(areFieldsKnown),
    unsubscribe: { url: trimmed(unsubscribeData?.url), mailto: trimmed(unsubscribeData?.mailto) },
    testRecipients: Array.isArray(testData?.recipients) ? testData.recipients.filter((item): item is string => typeof item === 'string') : [],
    schedule: pace.schedule,
    timezone: trimmed(data.timezone),
    sending,
    rate,
    pace,
    dkimKey,
    referencedFiles: [],
  };
  await compileHtml(loaded, authoredParts, contentData, files, policy, referenced, state.sourceLines === true);
  // The HTML's local images, resolved against the HTML file under the same policy as every file.
  const html = inboxHtml(loaded);
  if (html) {
    const local = await resolveLocalImages(html, policy, files);
    loaded.images = local.images;
    loaded.imageFindings = local.findings;
    for (const file of local.referenced) referenced.add(file);
  }
  loaded.referencedFiles = [...referenced];
  return loaded;
}

/**
 * The HTML as sent, when it is compiled: MJML, Markdown (in its layout), or HTML whose CSS is inlined
 * (`content.inlineCss`, by default when it has a <style> block). The compiled parts take the place
 * of `content.html` (and, for Markdown without `text`, of `content.text`); what was written is kept
 * in `content.authored`.
 */
async function compileHtml(
  loaded: LoadedMailing,
  parts: Partial<Record<'mjml' | 'markdown' | 'layout', LoadedPart>>,
  contentData: Record<string, unknown> | undefined,
  files: FileAccess,
  policy: PathPolicy,
  referenced: Set<string>,
  sourceLines: boolean,
): Promise<void> {
  const inlineSetting = typeof contentData?.inlineCss === 'boolean' ? contentData.inlineCss : undefined;
  const written = loaded.content.html;
  const kind: ContentKind | undefined = parts.mjml ? 'mjml' : parts.markdown ? 'markdown' : written ? 'html' : undefined;
  const part = parts.mjml ?? parts.markdown ?? written;
  if (!kind || !part) return;
  // Plain HTML is compiled only when its CSS is inlined: otherwise it is sent as written.
  if (kind === 'html' && (part.source === undefined || inlineSetting === false || (inlineSetting === undefined && !/<style\b/i.test(part.source)))) return;
  const authored: AuthoredContent = { kind, part, includes: [], issues: [], inlined: false };
  if (parts.layout) authored.layout = parts.layout;
  loaded.content.authored = authored;
  if (part.source === undefined || parts.layout?.problem) return;
  const inline = (start: number, end: number): Located => {
    const node = loaded.ranges.node(part.path);
    if (!node) return { range: loaded.ranges.value(part.path) };
    const [from, to] = valueSpanInSource(loaded.source.text, node, part.source!, start, end);
    return { range: loaded.source.lines.range(from, to) };
  };
  const layout = parts.layout?.file && parts.layout.source !== undefined ? { file: parts.layout.file, text: parts.layout.source } : undefined;
  const compiled = await compileContent(
    { kind, main: part.file ? { text: part.source, file: part.file } : { text: part.source, locate: inline }, ...(layout ? { layout } : {}), ...(inlineSetting !== undefined ? { inlineCss: inlineSetting } : {}), ...(sourceLines ? { sourceLines } : {}) },
    policy,
    files,
  );
  authored.includes = compiled.includes;
  authored.issues = compiled.issues;
  authored.inlined = compiled.inlined;
  for (const include of compiled.includes) {
    referenced.add(include.file);
    if (include.mjmlPath !== include.file) referenced.add(include.mjmlPath);
  }
  if (compiled.html === undefined) {
    authored.failed = true;
    delete loaded.content.html;
    return;
  }
  const origin = part.file ? { file: part.file } : {};
  loaded.content.html = { path: part.path, ...origin, source: compiled.html, compiled: true, locate: compiled.locate };
  if (compiled.text !== undefined && !loaded.content.text) {
    const text = compiled.text;
    const source = part.source;
    let lines: LineIndex | undefined;
    // The text part is the Markdown read as text: a span of it is found in the Markdown by its words.
    const locate = (start: number, end: number): Located => {
      const snippet = text.slice(start, end).trim();
      const at = snippet ? source.indexOf(snippet) : -1;
      const range = (lines ??= new LineIndex(source)).range(Math.max(0, at), at === -1 ? 0 : at + snippet.length);
      return part.file ? { file: part.file, range } : { range };
    };
    loaded.content.text = { path: part.path, ...origin, source: text, compiled: true, locate };
  }
}

/** The address of a loaded From/Reply-To, when it could be read. */
export function addressOf(loaded: LoadedAddress | undefined): Address | undefined {
  return loaded?.parse.ok ? loaded.parse.address : undefined;
}
