// The confirm model: one mailing file turned into the mailing as it would be sent, a summary per
// wizard step and every diagnostic. The editor, the Confirm webview and the CLI all render this one
// object; Send now and Schedule freeze toResolvedMailing(model) and never re-read the file.
import * as path from 'node:path';
import { runChecks, type CheckContext } from './checks';
import { usedMergeFields } from './checks/content';
import { plural } from './checks/context';
import { resolveSchedule } from './checks/schedule';
import { contentHash } from './contentHash';
import { formatAddress } from './load/addresses';
import { FileCache } from './load/fileCache';
import { addressOf, loadMailing, type LoadedMailing } from './load/loadMailing';
import { pathPolicy } from './load/pathPolicy';
import type { LoadedSource } from './load/targetList';
import { perMinute } from './load/rate';
import { DEFAULT_SENDING } from './load/schema';
import { describeInstant, type WorkingHours } from './schedule/when';
import { paceSummary } from './pace/paceSummary';
import { PREVIEW_HORIZON_DAYS, pacePreview } from './pace/preview';
import { isValidTimeZone, machineTimeZone } from './schedule/zone';
import { mailingStateDir } from './state/paths';
import { findStateRoot, workspaceOf } from './state/stateRoot';
import { findEarlierSends } from './state/earlierSends';
import { readSendStateSummary } from './state/summary';
import { readTestRecord } from './state/testRecord';
import { STEPS, type ConfirmModel, type Diagnostic, type MailingDraft, type ResolvedMailing, type SendStateSummary, type Step, type StepSummary, type TestRecord } from './types';

export interface ConfirmOptions {
  /** The editor's unsaved text, used instead of the file's content. */
  text?: string;
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
}

export const DEFAULT_FINISH_WITHIN_DAYS = 7;

export async function buildConfirmModel(file: string, options: ConfirmOptions = {}): Promise<ConfirmModel> {
  const absolute = path.resolve(file);
  const files = (options.cache ?? new FileCache()).access();
  const now = options.now ?? new Date();
  const stateDir = options.stateRoot ? mailingStateDir(options.stateRoot, absolute) : undefined;
  // The state is read while the file is: both are I/O.
  const draftState: SendStateSummary = { status: 'draft' };
  const pendingState = stateDir ? readSendStateSummary(stateDir).catch(() => draftState) : Promise.resolve(draftState);
  const pendingTest = stateDir ? readTestRecord(stateDir) : Promise.resolve(undefined);
  // The machine's zone costs an Intl lookup: only asked for when the file names no valid zone.
  const defaultTimezone = () => options.defaultTimezone ?? machineTimeZone();

  let text = options.text;
  if (text === undefined) {
    const read = await files.text(absolute);
    if (!read.ok) {
      const [state, test] = await Promise.all([pendingState, pendingTest]);
      return unreadableModel(absolute, read.problem.kind === 'missing' ? 'does not exist' : read.problem.message, defaultTimezone(), state, test);
    }
    text = read.value;
  }

  // The workspace is the folder the state rule finds for the file, wherever `--state-dir` puts the state.
  const policy = pathPolicy(workspaceOf(findStateRoot(absolute)), options.confine);
  const loaded = await loadMailing(absolute, text, files, policy);
  const [state, test] = await Promise.all([pendingState, pendingTest]);
  const timezone = loaded.timezone && isValidTimeZone(loaded.timezone) ? loaded.timezone : defaultTimezone();
  const mailing = draftOf(loaded, timezone);
  const hash = contentHash(mailing);
  // Only a draft can be sent again by mistake: a confirmed one follows its own state.
  const earlierSends =
    options.stateRoot && state.status === 'draft' ? await findEarlierSends({ file: absolute, stateRoot: options.stateRoot, contentHash: hash, recipients: loaded.targetList.recipients }) : [];
  const ctx: CheckContext = {
    loaded,
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
  if (loaded.targetList.recipients.length > 0) {
    // A scheduled mailing keeps its moment; a draft's is the one the file proposes.
    const resolved = state.scheduledAt ? new Date(state.scheduledAt) : ctx.schedule?.ok ? ctx.schedule.at : undefined;
    ctx.pace = pacePreview({ recipients: loaded.targetList.recipients, sending: loaded.sending, zone: timezone, scheduleAt: resolved, now, horizonDays: Math.max(ctx.finishWithinDays, PREVIEW_HORIZON_DAYS) });
  }
  const diagnostics = sortDiagnostics([...loaded.source.diagnostics, ...loaded.schemaDiagnostics, ...runChecks(ctx)], absolute);
  const schedule = ctx.schedule?.ok ? ctx.schedule : undefined;
  const model: ConfirmModel = {
    file: absolute,
    mailing,
    steps: [],
    diagnostics,
    hasErrors: diagnostics.some((d) => d.severity === 'error'),
    contentHash: hash,
    state,
    referencedFiles: loaded.referencedFiles,
  };
  if (test) model.test = test;
  if (schedule) model.scheduleAt = schedule.at.toISOString();
  if (ctx.pace) model.pace = ctx.pace;
  model.steps = summarize(model, loaded, ctx, schedule?.description);
  return model;
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
  if (loaded.data.targetList !== undefined) draft.targetList = loaded.targetList;
  const unsubscribe: ResolvedMailing['unsubscribe'] = {};
  if (loaded.unsubscribe.url) unsubscribe.url = loaded.unsubscribe.url;
  if (loaded.unsubscribe.mailto) unsubscribe.mailto = loaded.unsubscribe.mailto;
  draft.unsubscribe = unsubscribe;
  draft.test = { recipients: loaded.testRecipients.map((address) => address.trim()).filter(Boolean) };
  if (loaded.schedule) draft.schedule = loaded.schedule;
  return draft;
}

function unreadableModel(file: string, problem: string, timezone: string, state: SendStateSummary, test: TestRecord | undefined): ConfirmModel {
  const diagnostic: Diagnostic = {
    code: problem === 'does not exist' ? 'file-missing' : 'file-unreadable',
    severity: 'error',
    step: 'file',
    message: `The mailing file ${path.basename(file)} ${problem}`,
    range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } },
  };
  const model: ConfirmModel = {
    file,
    mailing: { file, timezone, sending: { ...DEFAULT_SENDING } },
    steps: STEPS.map((step) => ({ step, complete: step !== 'file', errors: step === 'file' ? 1 : 0, warnings: 0, lines: step === 'file' ? [diagnostic.message] : [] })),
    diagnostics: [diagnostic],
    hasErrors: true,
    state,
    referencedFiles: [],
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

function summarize(model: ConfirmModel, loaded: LoadedMailing, ctx: CheckContext, scheduleDescription: string | undefined): StepSummary[] {
  const mailing = model.mailing;
  const relative = (file: string) => path.relative(loaded.dir, file) || path.basename(file);
  const lines: Record<Step, string[]> = { file: [], setup: [], content: [], targetList: [], test: [], schedule: [], transport: [], state: [] };

  lines.file.push(`File: ${path.basename(model.file)}`);

  lines.setup.push(`Name: ${mailing.name ?? '(missing)'}`);
  const address = (value: typeof mailing.from, written: unknown) =>
    value ? formatAddress(value) : typeof written === 'string' && written.trim() ? `${written.trim()} (invalid)` : written ? '(invalid)' : '(missing)';
  lines.setup.push(`From: ${address(mailing.from, loaded.data.from)}`);
  if (loaded.data.replyTo !== undefined) lines.setup.push(`Reply-To: ${address(mailing.replyTo, loaded.data.replyTo)}`);
  lines.setup.push(`Subject: ${mailing.subject ?? '(missing)'}`);

  const part = (kind: 'html' | 'text') => {
    const loadedPart = loaded.content[kind];
    if (!loadedPart) return undefined;
    return loadedPart.file ? relative(loadedPart.file) : 'inline';
  };
  lines.content.push(`HTML: ${part('html') ?? 'none'}`);
  lines.content.push(`Text: ${part('text') ?? (loaded.content.html ? 'derived from the HTML' : 'none')}`);
  const attachments = mailing.attachments ?? [];
  lines.content.push(attachments.length ? `Attachments: ${attachments.map((a) => `${a.filename} (${formatSize(a.size)})`).join(', ')}` : 'Attachments: none');
  const fields = usedMergeFields(loaded);
  lines.content.push(`Merge fields: ${fields.length ? fields.join(', ') : 'none'}`);
  if (mailing.unsubscribe?.url || mailing.unsubscribe?.mailto) lines.content.push(`Unsubscribe: ${[mailing.unsubscribe.url, mailing.unsubscribe.mailto].filter(Boolean).join(', ')}`);

  const list = loaded.targetList;
  const { excluded, invalid, duplicate } = list.skipped;
  const skipped = excluded + invalid + duplicate;
  lines.targetList.push(`${plural(list.recipients.length, 'recipient')}, ${skipped} skipped (${excluded} excluded, ${invalid} invalid, ${duplicate} duplicate)`);
  const describeSources = (sources: LoadedSource[]) => {
    const files: string[] = [];
    let contacts = 0;
    for (const source of sources) {
      if (source.kind === 'inline') contacts++;
      else files.push(`${relative(source.file!)} (${source.table && !source.problem ? plural(source.table.rows, 'row') : 'not read'})`);
    }
    return [...files, ...(contacts ? [plural(contacts, 'contact')] : [])].join(', ');
  };
  if (loaded.includes.length) lines.targetList.push(`Sources: ${describeSources(loaded.includes)}`);
  if (loaded.excludes.length) lines.targetList.push(`Excluded: ${describeSources(loaded.excludes)}`);
  lines.targetList.push(`Fields: ${list.fields.join(', ')}`);

  if (model.test) {
    const at = new Date(model.test.at);
    const when = Number.isNaN(at.getTime()) ? model.test.at : describeInstant(at, ctx.timezone, ctx.now);
    const outdated = model.test.hash !== model.contentHash ? ' (outdated: changed since)' : '';
    lines.test.push(`Last test: ${when} to ${model.test.to.join(', ')}${outdated}`);
  } else {
    lines.test.push('No test sent yet');
  }
  lines.test.push(`Test recipients: ${mailing.test?.recipients.length ? mailing.test.recipients.join(', ') : 'none'}`);

  if (model.state.scheduledAt) {
    const at = new Date(model.state.scheduledAt);
    lines.schedule.push(`Scheduled to send at ${Number.isNaN(at.getTime()) ? model.state.scheduledAt : describeInstant(at, ctx.timezone, ctx.now)}`);
  }
  if (mailing.schedule) lines.schedule.push(`Proposed: ${scheduleDescription ?? mailing.schedule}`);
  else if (!model.state.scheduledAt) lines.schedule.push('No moment proposed: Send now, or Schedule and pick one');
  lines.schedule.push(`Time zone: ${mailing.timezone}`);
  const pace = paceSummary(mailing.sending, ctx.pace, ctx.timezone, ctx.now);
  lines.schedule.push(...pace.schedule);

  const sending = mailing.sending;
  lines.transport.push(sending.transport === 'smtp' ? 'Transport: SMTP server' : 'Transport: outbox (.eml files under .mailings/outbox)');
  const rate = sending.rate;
  const minute = rate && rate.per !== 'minute' ? ` (${Math.round(perMinute(rate) * 100) / 100}/minute)` : '';
  lines.transport.push(rate ? `Rate: at most ${rate.count}/${rate.per}${minute}` : 'Rate: no cap');
  if (sending.transport === 'smtp') lines.transport.push(`Connections: ${sending.connections}`);
  lines.transport.push(...pace.transport);

  const state = model.state;
  lines.state.push(`Status: ${state.status}`);
  if (state.total !== undefined) lines.state.push(`Sent ${state.sent ?? 0} of ${state.total}${state.failed ? `, ${state.failed} failed` : ''}`);

  return STEPS.map((step) => {
    const own = model.diagnostics.filter((d) => d.step === step);
    const errors = own.filter((d) => d.severity === 'error').length;
    return { step, complete: errors === 0, errors, warnings: own.filter((d) => d.severity === 'warning').length, lines: lines[step] };
  });
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Thrown by toResolvedMailing when the mailing has errors: Send now and Schedule are refused. */
export class NotConfirmableError extends Error {
  readonly code = 'not-confirmable';
  constructor(
    readonly file: string,
    readonly errors: Diagnostic[],
  ) {
    const first = errors.slice(0, 3).map((d) => d.message);
    super(`${path.basename(file)} has ${plural(errors.length, 'error')}: ${first.join('; ')}${errors.length > 3 ? '; …' : ''}`);
    this.name = 'NotConfirmableError';
  }
}

/** The mailing as Send now and Schedule freeze it; throws NotConfirmableError while it has errors. */
export function toResolvedMailing(model: ConfirmModel): ResolvedMailing {
  const errors = model.diagnostics.filter((d) => d.severity === 'error');
  const m = model.mailing;
  if (errors.length > 0) throw new NotConfirmableError(model.file, errors);
  if (!m.name || !m.from || !m.subject || !m.targetList || (!m.html && !m.text)) {
    // Unreachable while the checks are complete; refuse rather than freeze half a mailing.
    throw new NotConfirmableError(model.file, [
      { code: 'content-missing', severity: 'error', step: 'file', message: 'The mailing is incomplete', range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } } },
    ]);
  }
  const resolved: ResolvedMailing = {
    file: m.file,
    name: m.name,
    from: m.from,
    subject: m.subject,
    attachments: m.attachments ?? [],
    targetList: m.targetList,
    unsubscribe: m.unsubscribe ?? {},
    test: m.test ?? { recipients: [] },
    timezone: m.timezone,
    sending: m.sending,
  };
  if (m.replyTo) resolved.replyTo = m.replyTo;
  if (m.html) resolved.html = m.html;
  if (m.text) resolved.text = m.text;
  if (m.schedule) resolved.schedule = m.schedule;
  return resolved;
}
