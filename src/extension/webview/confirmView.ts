// The confirm model turned into the page's view (src/protocol.ts ConfirmView): relative file names,
// moments in words, the preview, a few sample rows and what the actions may do. Plain Node.
import * as path from 'node:path';
import { type Address, type ConfirmModel, describeInstant, type Diagnostic, Formatter, type RecipientLogEntry, type RecipientPage, renderDiagnostic, type Statistics, summaryLine, type TargetSourceSummary, type WhenLocale } from '../../core/index';
import type { ActionsView, ConfirmView, DiagnosticView, PreviewWidth, SourceView, StatisticsView } from '../../protocol';
import type { RenderedPreview } from './preview';

export const SAMPLE_ROWS = 5;
export const SAMPLE_COLUMNS = 8;
/** The recipients offered in the preview's picker. */
export const PREVIEW_CHOICES = 50;
/** The failed recipients listed on the statistics page (all of them are in the CSV export). */
export const FAILURES_SHOWN = 50;

export interface ConfirmViewOptions {
  now: Date;
  locale: WhenLocale;
  actions: ActionsView;
  preview?: RenderedPreview;
  previewWidth: PreviewWidth;
  /** The user asked to load remote images in this panel. */
  remoteImages?: boolean;
  /** Who Reload and resend would reach now (previewResend). */
  resend?: ConfirmView['resend'];
}

export function formatAddress(address: Address | undefined): string | undefined {
  if (!address) return undefined;
  return address.name ? `${address.name} <${address.email}>` : address.email;
}

export function relativeTo(model: ConfirmModel, file: string): string {
  const rel = path.relative(path.dirname(model.file), file);
  return rel.split(path.sep).join('/');
}

function sourceView(model: ConfirmModel, source: TargetSourceSummary, inlineLabel: string): SourceView {
  return {
    label: source.kind === 'file' && source.file ? relativeTo(model, source.file) : inlineLabel,
    rows: source.rows,
    invalid: source.invalid,
    duplicate: source.duplicate,
  };
}

/** A diagnostic as a page shows it: in words, and where it is written (another file than the mailing named relative to it). */
export function diagnosticView(model: ConfirmModel, d: Diagnostic, f: Formatter): DiagnosticView {
  return {
    code: d.code,
    severity: d.severity,
    step: d.step,
    message: renderDiagnostic(d, f),
    range: d.range,
    ...(d.file && path.resolve(d.file) !== path.resolve(model.file) ? { file: d.file, fileLabel: relativeTo(model, d.file) } : {}),
  };
}

export function toConfirmView(model: ConfirmModel, o: ConfirmViewOptions & { inlineLabel: string }): ConfirmView {
  const m = model.mailing;
  const timezone = m.timezone;
  const f = new Formatter(o.locale, { timezone, now: o.now });
  const when = (iso: string | undefined) => (iso ? describeInstant(new Date(iso), timezone, o.now, o.locale) : undefined);
  const recipients = m.targetList?.recipients ?? [];
  const columns = (m.targetList?.fields ?? ['email']).slice(0, SAMPLE_COLUMNS);
  const errors = model.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = model.diagnostics.filter((d) => d.severity === 'warning').length;
  const preview = o.preview;
  return {
    file: model.file,
    fileLabel: path.basename(model.file),
    timezone,
    steps: model.steps.map(({ facts, ...step }) => ({ ...step, lines: facts.map((fact) => summaryLine(fact, f)) })),
    diagnostics: model.diagnostics.map((d) => diagnosticView(model, d, f)),
    errorCount: errors,
    warningCount: warnings,
    setup: {
      name: m.name,
      from: formatAddress(m.from),
      replyTo: formatAddress(m.replyTo),
      subject: m.subject,
      ...(preview && recipients.length > 0 && preview.index === 0 ? { subjectForFirst: preview.subject, firstRecipient: preview.recipient.email } : {}),
    },
    content: {
      html: m.html ? { file: m.html.file ? relativeTo(model, m.html.file) : undefined, length: m.html.source.length } : undefined,
      text: m.text ? { file: m.text.file ? relativeTo(model, m.text.file) : undefined, length: m.text.source.length } : undefined,
      textDerived: !m.text && !!m.html,
      attachments: (m.attachments ?? []).map((a) => ({ filename: a.filename, size: a.size })),
      unsubscribe: [m.unsubscribe?.url, m.unsubscribe?.mailto].filter((u): u is string => !!u),
    },
    preview: preview
      ? {
          recipientIndex: preview.index,
          recipientCount: recipients.length,
          recipientChoices: recipients.slice(0, Math.max(PREVIEW_CHOICES, preview.index + 1)).map((r) => r.email),
          subject: preview.subject,
          html: preview.html,
          text: preview.text,
          width: o.previewWidth,
          remoteImages: o.remoteImages ?? false,
        }
      : undefined,
    targetList: {
      recipients: recipients.length,
      skipped: m.targetList?.skipped ?? { invalid: 0, duplicate: 0, excluded: 0 },
      sources: (m.targetList?.sources ?? []).map((s) => sourceView(model, s, o.inlineLabel)),
      excludes: (m.targetList?.excludeSources ?? []).map((s) => sourceView(model, s, o.inlineLabel)),
      fields: m.targetList?.fields ?? [],
      sample: { columns, rows: recipients.slice(0, SAMPLE_ROWS).map((r) => columns.map((c) => r.fields[c] ?? '')) },
    },
    test: {
      recipients: m.test?.recipients ?? [],
      ...(model.test ? { lastAt: when(model.test.at), lastTo: model.test.to } : {}),
      outdated: model.diagnostics.some((d) => d.code === 'test-outdated'),
    },
    schedule: { expression: m.schedule, resolved: when(model.scheduleAt) },
    state: { ...model.state, ...(model.state.scheduledAt ? { scheduledAtText: when(model.state.scheduledAt) } : {}) },
    actions: o.actions,
    ...(o.resend ? { resend: o.resend } : {}),
  };
}

/** A page of the recipient table with its moments written by the one Formatter, as the tiles' are. */
export function recipientPageMoments(page: RecipientPage, timezone: string, locale: WhenLocale = 'en'): Record<string, string> {
  const f = new Formatter(locale, { timezone, now: new Date() });
  const moments: Record<string, string> = {};
  for (const row of page.rows) if (row.at && !Number.isNaN(Date.parse(row.at))) moments[row.at] = f.instant(row.at);
  return moments;
}

/**
 * The Statistics page's view. Its moments are written here, by the one Formatter, so the tiles say
 * "Tue 1 Dec 2026 20:28:04 CET" as the CLI and the Confirm page do (the page's Intl wrote another format).
 */
export function toStatisticsView(file: string, name: string | undefined, timezone: string, statistics: Statistics, log: RecipientLogEntry[], locale: WhenLocale = 'en'): StatisticsView {
  const failed = log.filter((entry) => entry.outcome === 'failed');
  const remaining = statistics.pending + statistics.deferred;
  const etaMs = statistics.status === 'sending' && statistics.ratePerMinute > 0 ? (remaining / statistics.ratePerMinute) * 60_000 : undefined;
  const f = new Formatter(locale, { timezone, now: new Date() });
  const moments: Record<string, string> = {};
  const keep = (iso: string | undefined) => {
    if (iso && !Number.isNaN(Date.parse(iso))) moments[iso] = f.instant(iso);
  };
  keep(statistics.startedAt);
  keep(statistics.finishedAt);
  keep(statistics.waiting?.until);
  keep(statistics.pace?.throttledAt);
  for (const wave of statistics.waves ?? []) keep(wave.dueAt);
  const failures = failed.slice(0, FAILURES_SHOWN);
  for (const entry of failures) keep(entry.at);
  return {
    file,
    name,
    timezone,
    statistics,
    ...(etaMs !== undefined ? { etaMs } : {}),
    failures,
    failuresTotal: failed.length,
    moments,
  };
}
