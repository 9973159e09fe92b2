// The confirm model: one mailing file turned into the mailing as it would be sent, a summary per
// wizard step and every diagnostic. The editor, the Confirm webview and the CLI all render this one
// object; Send now and Schedule freeze toResolvedMailing(model) and never re-read the file.
import * as path from 'node:path';
import { runChecks, type CheckContext } from './checks';
import type { InboxResult } from './inbox/onDemand';
import { renderableMailing } from './render/renderableMailing';
import { analyzeInbox, type InboxAnalysis } from './inbox/offlineChecks';
import { clientFamilies } from './inbox/clientSupport';
import { usedMergeFields } from './checks/content';
import { resolveSchedule } from './checks/schedule';
import { fileEncodingDiagnostics } from './checks/fileEncoding';
import { contentHash } from './contentHash';
import { formatAddress } from './load/addresses';
import { FileCache, type FileProblem } from './load/fileCache';
import { addressOf, loadMailing, type LoadedMailing } from './load/loadMailing';
import { pathPolicy } from './load/pathPolicy';
import type { LoadedSource } from './load/targetList';
import { DEFAULT_SENDING } from './load/schema';
import type { WorkingHours } from './time/when';
import { paceSummary } from './pace/paceSummary';
import { PREVIEW_HORIZON_DAYS, pacePreview } from './pace/preview';
import { isValidTimeZone, machineTimeZone } from './time/zone';
import { mailingStateDir, outboxDir } from './state/paths';
import { Formatter } from './facts/format';
import { renderDiagnostic } from './facts/render';
import type { PartSummaryArgs, SourcesSummaryArgs, SummaryFact, SuppressionSummaryArgs } from './facts/summaries';
import { findStateRoot, workspaceOf } from './state/stateRoot';
import { OTHER_MAILINGS } from './state/mailingRecipients';
import { findEarlierSends } from './state/earlierSends';
import { readSendStateSummary } from './state/summary';
import { readTestRecord } from './state/testRecord';
import { withoutSuppressed } from './suppression/applySuppression';
import { readSuppressionSet, SUPPRESSION_FILE, SuppressionSet } from './suppression/suppressionList';
import { STEPS, type ConfirmModel, type Diagnostic, type MailingDraft, type Range, type ResolvedMailing, type SendStateSummary, type Step, type StepSummary, type TestRecord } from './types';

export interface ConfirmOptions {
  /** The editor's unsaved text, used instead of the file's content. */
  text?: string;
  /**
   * The unsaved text of other files open in an editor (absolute path to text): a content file, a
   * layout, an include is read as the editor shows it. Sending reads the files themselves: the
   * extension saves them before an action.
   */
  edited?: ReadonlyMap<string, string>;
  /**
   * For the live preview: MJML and Markdown blocks carry the source line they were written at
   * (`data-line`), so the preview scrolls with the editor. Never for a model that is checked or sent.
   */
  sourceLines?: boolean;
  /** The state root (`.mailings`); without it no test record or send state is read. */
  stateRoot?: string;
  /**
   * Folders every referenced file must also be inside (one of them): an untrusted editor window's
   * open folders. The workspace (load/pathPolicy.ts) always applies.
   */
  confine?: string[];
  /** The clock (tests, and a consistent "now" across a batch). */
  now?: Date;
  /** Whether an SMTP server is configured (settings or CLI options). */
  smtpConfigured?: boolean;
  /** Shared file cache: pass the same one to every call so unchanged files are not read again. */
  cache?: FileCache;
  /** IANA zone of a mailing without `timezone`; default the machine's. */
  defaultTimezone?: string;
  /** The working-hours window of the `schedule-working-hours` warning; default Mon–Fri 09:00–17:00. */
  workingHours?: WorkingHours;
  /** `window-too-short` warns when the send cannot finish within this many days (default 7). */
  finishWithinDays?: number;
  /**
   * The Inbox step's offline checks (inbox/offlineChecks.ts: links, images, clipping, client
   * support, empty merge values, the sender) run unless this is false (the benchmark measures the
   * model without them). The slow ones run on demand: inbox/onDemand.ts.
   */
  inbox?: boolean;
}

/**
 * The largest mailing file that is read: an inline list of 10,000 contacts takes about 1 MB, so this
 * leaves room for any honest file while a runaway one (a generated file, a wrong path) is refused
 * before the YAML parser holds it several times over in memory.
 */
export const MAILING_MAX_BYTES = 20 * 1024 * 1024;

export const DEFAULT_FINISH_WITHIN_DAYS = 7;

export async function buildConfirmModel(file: string, options: ConfirmOptions = {}): Promise<ConfirmModel> {
  const absolute = path.resolve(file);
  const files = (options.cache ?? new FileCache()).access(options.edited);
  const now = options.now ?? new Date();
  const stateDir = options.stateRoot ? mailingStateDir(options.stateRoot, absolute) : undefined;
  // The state is read while the file is: both are I/O.
  const draftState: SendStateSummary = { status: 'draft' };
  let stateUnreadable: string | undefined;
  const pendingState = stateDir
    ? readSendStateSummary(stateDir).catch((error: unknown) => {
        stateUnreadable = error instanceof Error ? error.message : String(error);
        return draftState;
      })
    : Promise.resolve(draftState);
  const pendingTest = stateDir ? readTestRecord(stateDir) : Promise.resolve(undefined);
  // The workspace's suppression list, cached by the file's stamp: every mailing leaves it out.
  const pendingSuppression: Promise<SuppressionSet | Error | undefined> = options.stateRoot
    ? readSuppressionSet(options.stateRoot).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
    : Promise.resolve(undefined);
  // The machine's zone costs an Intl lookup: only asked for when the file names no valid zone.
  const defaultTimezone = () => options.defaultTimezone ?? machineTimeZone();

  const fileOnly = async (diagnostics: Diagnostic[]) => {
    const [state, test] = await Promise.all([pendingState, pendingTest]);
    return fileOnlyModel(absolute, diagnostics, defaultTimezone(), state, test);
  };
  let text = options.text;
  let decoding: { invalid?: number[]; utf16?: boolean } = {};
  if (text === undefined) {
    const stat = await files.stat(absolute);
    if (stat.ok && stat.stamp.size > MAILING_MAX_BYTES) return fileOnly([tooLarge(absolute, stat.stamp.size)]);
    const read = await files.text(absolute);
    if (!read.ok) return fileOnly([unreadable(absolute, read.problem)]);
    text = read.value.text;
    decoding = read.value;
    // UTF-16 read as UTF-8 is a NUL in every other place: reading it as YAML says nothing useful.
    if (read.value.utf16) return fileOnly(fileEncodingDiagnostics(text, decoding, { step: 'file' }));
  } else if (text.length * 3 > MAILING_MAX_BYTES && Buffer.byteLength(text) > MAILING_MAX_BYTES) {
    return fileOnly([tooLarge(absolute, Buffer.byteLength(text))]);
  }

  // The workspace is the folder the state rule finds for the file, wherever `--state-dir` puts the state.
  const policy = pathPolicy(workspaceOf(findStateRoot(absolute)), options.confine);
  const loadedFile = await loadMailing(absolute, text, files, policy, { stateRoot: options.stateRoot, otherMailings: OTHER_MAILINGS, ...(options.sourceLines ? { sourceLines: true } : {}) });
  const suppression = await pendingSuppression;
  // The loaded mailing is shared (FileCache): the suppressed list is a view of it, never a change.
  const loaded: LoadedMailing = suppression instanceof SuppressionSet ? { ...loadedFile, targetList: withoutSuppressed(loadedFile.targetList, suppression) } : loadedFile;
  const encoding = fileEncodingDiagnostics(text, decoding, { step: 'file' }, loaded.source.lines);
  // Not parsed (nested too deep): what the step checks would say about an empty mailing is noise.
  if (loaded.source.unread) return fileOnly(sortDiagnostics([...loaded.source.diagnostics, ...encoding], absolute));
  const [state, test] = await Promise.all([pendingState, pendingTest]);
  const timezone = loaded.timezone && isValidTimeZone(loaded.timezone) ? loaded.timezone : defaultTimezone();
  const mailing = draftOf(loaded, timezone);
  const hash = contentHash(mailing);
  // Only a draft can be sent again by mistake: a confirmed one follows its own state.
  const earlierSends =
    options.stateRoot && state.status === 'draft' ? await findEarlierSends({ file: absolute, stateRoot: options.stateRoot, contentHash: hash, recipients: loaded.targetList.recipients }) : [];
  const inbox = options.inbox === false ? undefined : analyzeInbox(loaded);
  const ctx: CheckContext = {
    loaded,
    inbox,
    now,
    timezone,
    smtpConfigured: options.smtpConfigured ?? false,
    contentHash: hash,
    hasState: !!stateDir,
    test,
    state,
    earlierSends,
    workingHours: options.workingHours,
    schedule: resolveSchedule(loaded.schedule, timezone, now),
    finishWithinDays: options.finishWithinDays ?? DEFAULT_FINISH_WITHIN_DAYS,
  };
  if (suppression instanceof Error) ctx.suppressionUnreadable = suppression.message;
  if (stateUnreadable !== undefined) ctx.stateUnreadable = stateUnreadable;
  if (loaded.targetList.recipients.length > 0) {
    // A scheduled mailing keeps its moment; a draft's is the one the file proposes.
    const resolved = state.scheduledAt ? new Date(state.scheduledAt) : ctx.schedule?.ok ? ctx.schedule.at : undefined;
    ctx.pace = pacePreview({ recipients: loaded.targetList.recipients, sending: loaded.sending, zone: timezone, scheduleAt: resolved, now, horizonDays: Math.max(ctx.finishWithinDays, PREVIEW_HORIZON_DAYS) });
  }
  const diagnostics = sortDiagnostics([...loaded.source.diagnostics, ...encoding, ...loaded.schemaDiagnostics, ...runChecks(ctx)], absolute);
  const schedule = ctx.schedule?.ok ? ctx.schedule : undefined;
  const model: ConfirmModel = {
    file: absolute,
    mailing,
    steps: [],
    diagnostics,
    hasErrors: diagnostics.some((d) => d.severity === 'error'),
    contentHash: hash,
    state,
    // The suppression list changes what is sent as much as a CSV does: a face re-checks when it changes.
    referencedFiles: options.stateRoot ? [...loaded.referencedFiles, path.join(options.stateRoot, SUPPRESSION_FILE)] : loaded.referencedFiles,
    references: referencesOf(loaded),
  };
  if (inbox) model.inbox = { spam: { ...inbox.spam, range: spamRange(loaded) }, links: inbox.targets };
  if (test) model.test = test;
  if (schedule) model.scheduleAt = schedule.at.toISOString();
  if (ctx.pace) model.pace = ctx.pace;
  const suppressionFact: SuppressionSummaryArgs | undefined =
    suppression instanceof Error
      ? { kind: 'unreadable', detail: suppression.message }
      : suppression
        ? { kind: 'read', listed: suppression.size, leftOut: loaded.targetList.skipped.suppressed ?? 0 }
        : undefined;
  model.steps = summarize(model, loaded, ctx, inbox, options.stateRoot ? path.relative(loaded.dir, outboxDir(options.stateRoot, absolute)) || '.' : undefined, suppressionFact);
  return model;
}

/** Where the spam score is shown: the `content` key (the message is what is scored; line 1 without one). */
function spamRange(loaded: LoadedMailing): Range {
  return loaded.ranges.key(['content']);
}

/** The values that name files (links in the editor), from what the loader resolved. */
function referencesOf(loaded: LoadedMailing): ConfirmModel['references'] {
  const found: ConfirmModel['references'] = [];
  for (const part of [loaded.content.html, loaded.content.text]) if (part?.file) found.push({ path: [...part.path], file: part.file });
  for (const attachment of loaded.attachments) found.push({ path: [...attachment.path], file: attachment.file });
  for (const source of [...loaded.includes, ...loaded.excludes]) if (source.kind === 'file' && source.file) found.push({ path: [...source.path, 'file'], file: source.file });
  if (loaded.dkimKey) found.push({ path: [...loaded.dkimKey.path], file: loaded.dkimKey.file });
  return found;
}

/** What could be resolved, field by field. */
function draftOf(loaded: LoadedMailing, timezone: string): MailingDraft {
  const draft: MailingDraft = { file: loaded.file, timezone, sending: loaded.sending };
  if (loaded.name) draft.name = loaded.name;
  const from = addressOf(loaded.from);
  if (from) draft.from = from;
  const replyTo = addressOf(loaded.replyTo);
  if (replyTo) draft.replyTo = replyTo;
  const subject = loaded.subject?.trim();
  if (subject) draft.subject = subject;
  for (const kind of ['html', 'text'] as const) {
    const part = loaded.content[kind];
    if (part?.source !== undefined && part.source.trim()) draft[kind] = part.file ? { source: part.source, file: part.file } : { source: part.source };
  }
  draft.attachments = loaded.attachments
    .filter((attachment) => attachment.size !== undefined)
    .map((attachment) => ({ path: attachment.file, filename: attachment.filename, size: attachment.size!, sha256: attachment.sha256 }));
  if (loaded.images.length > 0 && draft.html) draft.images = loaded.images;
  const preheader = loaded.preheader?.replace(/\s+/g, ' ').trim();
  if (preheader && draft.html) draft.preheader = preheader;
  if (loaded.data.targetList !== undefined) draft.targetList = loaded.targetList;
  const unsubscribe: ResolvedMailing['unsubscribe'] = {};
  if (loaded.unsubscribe.url) unsubscribe.url = loaded.unsubscribe.url;
  if (loaded.unsubscribe.mailto) unsubscribe.mailto = loaded.unsubscribe.mailto;
  draft.unsubscribe = unsubscribe;
  draft.test = { recipients: loaded.testRecipients.map((address) => address.trim()).filter(Boolean) };
  if (loaded.schedule) draft.schedule = loaded.schedule;
  return draft;
}

const LINE_1 = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

function unreadable(file: string, problem: FileProblem): Diagnostic {
  const name = path.basename(file);
  if (problem.kind === 'unreadable') {
    return { code: 'file-unreadable', args: { file: name, reason: problem.reason, ...(problem.detail ? { detail: problem.detail } : {}), mailing: true }, severity: 'error', step: 'file', range: LINE_1 };
  }
  return { code: 'file-missing', args: { file: name, mailing: true }, severity: 'error', step: 'file', range: LINE_1 };
}

function tooLarge(file: string, bytes: number): Diagnostic {
  return { code: 'file-unreadable', args: { file: path.basename(file), reason: 'too-large', size: bytes, max: MAILING_MAX_BYTES, mailing: true }, severity: 'error', step: 'file', range: LINE_1 };
}

/** The model of a mailing file that could not be read (or parsed) at all: only why. */
function fileOnlyModel(file: string, diagnostics: Diagnostic[], timezone: string, state: SendStateSummary, test: TestRecord | undefined): ConfirmModel {
  const errors = (step: Step) => diagnostics.filter((d) => d.step === step && d.severity === 'error').length;
  const model: ConfirmModel = {
    file,
    mailing: { file, timezone, sending: { ...DEFAULT_SENDING } },
    steps: STEPS.map((step) => {
      const own = diagnostics.filter((d) => d.step === step);
      return { step, complete: errors(step) === 0, errors: errors(step), warnings: own.filter((d) => d.severity === 'warning').length, facts: step === 'file' ? [{ code: 'summary-file' as const, args: { file: path.basename(file) } }] : [] };
    }),
    diagnostics,
    hasErrors: diagnostics.some((d) => d.severity === 'error'),
    state,
    referencedFiles: [],
    references: [],
  };
  if (test) model.test = test;
  return model;
}

/** The mailing file's own diagnostics first, then other files by path; each by position. */
function sortDiagnostics(diagnostics: Diagnostic[], file: string): Diagnostic[] {
  const rank = (d: Diagnostic) => (!d.file || d.file === file ? '' : d.file);
  return diagnostics.sort((a, b) => {
    const fa = rank(a);
    const fb = rank(b);
    if (fa !== fb) return fa < fb ? -1 : 1;
    return a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column || a.code.localeCompare(b.code);
  });
}

/** The overview of each step, as facts (facts/summaries.ts gives them their words in each language). */
function summarize(model: ConfirmModel, loaded: LoadedMailing, ctx: CheckContext, inbox: InboxAnalysis | undefined, outbox: string | undefined, suppression: SuppressionSummaryArgs | undefined): StepSummary[] {
  const mailing = model.mailing;
  const relative = (file: string) => path.relative(loaded.dir, file) || path.basename(file);
  const facts: Record<Step, SummaryFact[]> = { file: [], setup: [], content: [], inbox: [], targetList: [], test: [], schedule: [], transport: [], state: [] };

  facts.file.push({ code: 'summary-file', args: { file: path.basename(model.file) } });

  facts.setup.push({ code: 'summary-name', args: mailing.name ? { name: mailing.name } : {} });
  const address = (value: typeof mailing.from, written: unknown) =>
    value ? { address: formatAddress(value) } : typeof written === 'string' && written.trim() ? { written: written.trim() } : written ? { written: '' } : {};
  facts.setup.push({ code: 'summary-from', args: address(mailing.from, loaded.data.from) });
  if (loaded.data.replyTo !== undefined) facts.setup.push({ code: 'summary-reply-to', args: address(mailing.replyTo, loaded.data.replyTo) });
  facts.setup.push({ code: 'summary-subject', args: mailing.subject ? { subject: mailing.subject } : {} });

  const part = (kind: 'html' | 'text'): PartSummaryArgs => {
    const loadedPart = loaded.content[kind];
    if (!loadedPart) return kind === 'text' && loaded.content.html ? { derived: true } : { none: true };
    return loadedPart.file ? { file: relative(loadedPart.file) } : {};
  };
  facts.content.push({ code: 'summary-html', args: part('html') });
  facts.content.push({ code: 'summary-text', args: part('text') });
  facts.content.push({ code: 'summary-attachments', args: { items: (mailing.attachments ?? []).map((a) => ({ filename: a.filename, size: a.size })) } });
  facts.content.push({ code: 'summary-merge-fields', args: { fields: usedMergeFields(loaded) } });
  if (mailing.unsubscribe?.url || mailing.unsubscribe?.mailto) {
    facts.content.push({ code: 'summary-unsubscribe', args: { targets: [mailing.unsubscribe.url, mailing.unsubscribe.mailto].filter((t): t is string => !!t) } });
  }

  if (inbox?.largest) {
    facts.inbox.push({ code: 'summary-links', args: { links: inbox.links, images: inbox.images, embedded: inbox.embedded } });
    facts.inbox.push({ code: 'summary-message-size', args: { size: inbox.largest.bytes, limit: inbox.largest.limit } });
    facts.inbox.push({ code: 'summary-clients', args: { clients: clientFamilies(inbox.clients) } });
  }
  // Known only once scored on demand (inbox/onDemand.ts; withInboxResults puts the score in its place).
  if (inbox) facts.inbox.push({ code: 'summary-spam', args: { kind: 'unknown' } });

  const list = loaded.targetList;
  facts.targetList.push({ code: 'summary-recipients', args: { count: list.recipients.length, skipped: { ...list.skipped } } });
  const sources = (all: LoadedSource[]): SourcesSummaryArgs => ({
    files: all.filter((s) => s.kind === 'file').map((s) => ({ file: relative(s.file!), ...(s.table && !s.problem ? { rows: s.table.rows } : {}) })),
    contacts: all.filter((s) => s.kind === 'inline').length,
    mailings: all
      .filter((s) => s.kind === 'mailing')
      .map((s) => ({ file: relative(s.file!), status: s.status ?? 'sent', ...(s.recipients?.ok ? { recipients: s.recipients.count } : {}) })),
  });
  if (loaded.includes.length) facts.targetList.push({ code: 'summary-sources', args: sources(loaded.includes) });
  if (loaded.excludes.length) facts.targetList.push({ code: 'summary-excluded', args: sources(loaded.excludes) });
  if (suppression) facts.targetList.push({ code: 'summary-suppression', args: suppression });
  facts.targetList.push({ code: 'summary-fields', args: { fields: list.fields } });

  facts.test.push({
    code: 'summary-last-test',
    args: model.test ? { kind: 'last', at: model.test.at, to: model.test.to, outdated: model.test.hash !== model.contentHash } : { kind: 'none' },
  });
  facts.test.push({ code: 'summary-test-recipients', args: { recipients: mailing.test?.recipients ?? [] } });

  if (model.state.scheduledAt) facts.schedule.push({ code: 'summary-scheduled', args: { at: model.state.scheduledAt } });
  if (mailing.schedule) facts.schedule.push({ code: 'summary-proposed', args: { expression: mailing.schedule, ...(model.scheduleAt ? { at: model.scheduleAt } : {}) } });
  else if (!model.state.scheduledAt) facts.schedule.push({ code: 'summary-no-schedule', args: {} });
  facts.schedule.push({ code: 'summary-timezone', args: { zone: mailing.timezone } });
  const pace = paceSummary(mailing.sending, ctx.pace, ctx.timezone);
  facts.schedule.push(...pace.schedule);

  const sending = mailing.sending;
  facts.transport.push({ code: 'summary-transport', args: sending.transport === 'smtp' ? { kind: 'smtp' } : { kind: 'outbox', dir: outbox ?? '.mailings/outbox' } });
  facts.transport.push({ code: 'summary-rate', args: sending.rate ? { rate: sending.rate } : {} });
  if (sending.transport === 'smtp') facts.transport.push({ code: 'summary-connections', args: { count: sending.connections } });
  facts.transport.push(...pace.transport);

  const state = model.state;
  facts.state.push({ code: 'summary-status', args: { status: state.status } });
  if (state.total !== undefined) facts.state.push({ code: 'summary-progress', args: { sent: state.sent ?? 0, total: state.total, failed: state.failed ?? 0 } });

  return STEPS.map((step) => stepSummary(step, model.diagnostics, facts[step]));
}

function stepSummary(step: Step, diagnostics: readonly Diagnostic[], facts: SummaryFact[]): StepSummary {
  const own = diagnostics.filter((d) => d.step === step);
  const errors = own.filter((d) => d.severity === 'error').length;
  return { step, complete: errors === 0, errors, warnings: own.filter((d) => d.severity === 'warning').length, facts };
}

/**
 * The model with the results of on-demand checks added: their diagnostics among the others (in
 * order; errors block as any other), the step counts and `hasErrors` updated, their facts in the
 * Inbox step's summary. A result computed for other content (`contentHash`) is left out.
 */
export function withInboxResults(model: ConfirmModel, ...results: InboxResult[]): ConfirmModel {
  const current = results.filter((result) => result.contentHash === undefined || result.contentHash === model.contentHash);
  if (current.length === 0) return model;
  const diagnostics = sortDiagnostics([...model.diagnostics, ...current.flatMap((result) => result.diagnostics)], model.file);
  const added = current.flatMap((result) => result.facts);
  const steps = STEPS.map((step) => {
    const facts = model.steps.find((s) => s.step === step)?.facts ?? [];
    if (step !== 'inbox') return stepSummary(step, diagnostics, facts);
    const codes = new Set(added.map((fact) => fact.code));
    return stepSummary(step, diagnostics, [...facts.filter((fact) => !codes.has(fact.code)), ...added]);
  });
  return { ...model, diagnostics, steps, hasErrors: diagnostics.some((d) => d.severity === 'error') };
}

/** Thrown by toResolvedMailing when the mailing has errors: Send now and Schedule are refused. */
export class NotConfirmableError extends Error {
  readonly code = 'not-confirmable';
  constructor(
    readonly file: string,
    readonly errors: Diagnostic[],
  ) {
    // In English for logs and stack traces; faces show the errors themselves, in the user's language.
    const f = new Formatter('en', { timezone: 'UTC', now: new Date() });
    const first = errors.slice(0, 3).map((d) => `${d.code}: ${renderDiagnostic(d, f)}`);
    super(`${path.basename(file)} has ${f.count(errors.length, 'error', 'errors')}: ${first.join('; ')}${errors.length > 3 ? '; …' : ''}`);
    this.name = 'NotConfirmableError';
  }
}

/** The mailing as Send now and Schedule freeze it; throws NotConfirmableError while it has errors. */
export function toResolvedMailing(model: ConfirmModel): ResolvedMailing {
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new NotConfirmableError(model.file, errors);
  const resolved = renderableMailing(model.mailing);
  if (!resolved) {
    // Unreachable while the checks are complete; refuse rather than freeze half a mailing.
    throw new NotConfirmableError(model.file, [
      { code: 'content-missing', args: { kind: 'no-part' }, severity: 'error', step: 'file', range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } } },
    ]);
  }
  return resolved;
}
