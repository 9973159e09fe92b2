// The Confirm overview: one section per wizard step with its summary, its problems (errors in red,
// each with its code, a click reveals the range in the YAML) and the actions of that step.
import { html, nothing, type TemplateResult } from 'lit';
import {
  type ActionAvailability,
  type ActionName,
  type ConfirmView,
  type DiagnosticView,
  type Step,
  type StepSummary,
} from '../../src/protocol';
import { STATUS_STRING, STEP_STRING } from './strings';
import type { Formatter } from './format';
import type { PageActions, PageModel } from './pageModel';
import { resendLine, resultBanner } from './common';
import { severityIcon } from './icons';
import { previewDocument } from './previewDocument';

// The wizard's steps (setup, content, target list, test, schedule) always have a section, in the
// seed's order; these others get one only when they have problems.
const EXTRA_STEPS_BEFORE: readonly Step[] = ['file'];
const EXTRA_STEPS_AFTER: readonly Step[] = ['transport', 'state'];

export function confirmPage(state: PageModel, model: ConfirmView, f: Formatter, on: PageActions): TemplateResult {
  const indexed = model.diagnostics.map((d, index) => ({ d, index }));
  const forStep = (step: Step) => indexed.filter(({ d }) => d.step === step);
  const summaryOf = (step: Step): StepSummary =>
    model.steps.find((s) => s.step === step) ?? { step, complete: forStep(step).every(({ d }) => d.severity !== 'error'), errors: 0, warnings: 0, lines: [] };
  const extra = (steps: readonly Step[]) => steps.filter((step) => forStep(step).length > 0);

  const sections = [
    // The wizard's steps show their own fields; the others the core's summary lines.
    ...extra(EXTRA_STEPS_BEFORE).map((step) => section(step, summaryOf(step), forStep(step), undefined, f, on)),
    section('setup', summaryOf('setup'), forStep('setup'), setupBody(model, f), f, on),
    section('content', summaryOf('content'), forStep('content'), contentBody(state, model, f, on), f, on),
    // The message as the inboxes will see it: links, images, clipping, client support, spam score.
    section('inbox', summaryOf('inbox'), forStep('inbox'), inboxBody(state, model, summaryOf('inbox'), f, on), f, on),
    section('targetList', summaryOf('targetList'), forStep('targetList'), targetListBody(model, f), f, on),
    section('test', summaryOf('test'), forStep('test'), testBody(state, model, f, on), f, on),
    section('schedule', summaryOf('schedule'), forStep('schedule'), scheduleBody(state, model, f, on), f, on),
    ...extra(EXTRA_STEPS_AFTER).map((step) => section(step, summaryOf(step), forStep(step), undefined, f, on)),
  ];

  return html`
    <header class="page-header">
      <div class="title-row">
        <h1>${f.t('confirmTitle')}: ${model.setup.name ?? model.fileLabel}</h1>
        <vscode-badge class="status status-${model.state.status}">${f.t(STATUS_STRING[model.state.status])}</vscode-badge>
        <span class="spacer"></span>
        <vscode-button secondary data-action="openStatistics" @click=${() => on.showPage('statistics')}>${f.t('openStatistics')}</vscode-button>
      </div>
      <div class="subtitle">
        <span class="file">${model.fileLabel}</span>
        <span class="counts" data-testid="problem-counts">
          ${model.errorCount > 0 ? html`<span class="error-text">${f.count('errorCount', 'errorsCount', model.errorCount)}</span>` : nothing}
          ${model.warningCount > 0 ? html`<span class="warning-text">${f.count('warningCount', 'warningsCount', model.warningCount)}</span>` : nothing}
          ${model.errorCount === 0 && model.warningCount === 0 ? html`<span class="ok-text">${f.t('noProblems')}</span>` : nothing}
        </span>
      </div>
      ${model.state.scheduledAtText
        ? html`<div class="scheduled-for">${f.t('scheduledFor')} <strong>${model.state.scheduledAtText}</strong></div>`
        : nothing}
    </header>
    ${resultBanner(state, on)}
    <main class="steps">${sections}</main>
    <footer class="action-bar" data-testid="action-bar">
      ${actionButton('sendNow', model.actions.sendNow, state, f, on, false)}
      ${actionButton('stop', model.actions.stop, state, f, on, true)}
      ${actionButton('start', model.actions.start, state, f, on, true)}
      ${actionButton('resend', model.actions.resend, state, f, on, true)}
      ${state.busy ? html`<span class="busy" role="status"><vscode-progress-ring></vscode-progress-ring>${f.t('busy')}</span>` : nothing}
      ${resendLine(model, f)}
    </footer>
  `;
}

function section(
  step: Step,
  summary: StepSummary,
  diagnostics: { d: DiagnosticView; index: number }[],
  body: TemplateResult | undefined,
  f: Formatter,
  on: PageActions,
): TemplateResult {
  const errors = diagnostics.filter(({ d }) => d.severity === 'error').length;
  const warnings = diagnostics.filter(({ d }) => d.severity === 'warning').length;
  const complete = summary.complete && errors === 0;
  return html`
    <vscode-collapsible open class="step ${complete ? 'complete' : 'incomplete'}" data-step=${step} heading=${f.t(STEP_STRING[step])}
      description=${complete ? f.t('complete') : f.t('incomplete')}>
      <span slot="decorations" class="step-marks">
        ${errors > 0 ? html`<vscode-badge class="badge-error" title=${f.count('errorCount', 'errorsCount', errors)}>${errors}</vscode-badge>` : nothing}
        ${warnings > 0 ? html`<vscode-badge class="badge-warning" title=${f.count('warningCount', 'warningsCount', warnings)}>${warnings}</vscode-badge>` : nothing}
        <span class="step-state ${complete ? 'ok-text' : 'error-text'}" aria-hidden="true">${complete ? '✓' : '✗'}</span>
      </span>
      <div class="step-body">
        ${body ?? (summary.lines.length > 0 ? html`<p class="summary-lines">${summary.lines.join(' · ')}</p>` : nothing)}
        ${diagnostics.length > 0 ? html`<ul class="diagnostics">${diagnostics.map(({ d, index }) => diagnosticItem(d, index, f, on))}</ul>` : nothing}
      </div>
    </vscode-collapsible>
  `;
}

function diagnosticItem(d: DiagnosticView, index: number, f: Formatter, on: PageActions): TemplateResult {
  const severity = d.severity === 'error' ? f.t('severityError') : d.severity === 'warning' ? f.t('severityWarning') : f.t('severityInfo');
  const where = `${d.fileLabel ? `${d.fileLabel}:` : ''}${d.range.start.line + 1}:${d.range.start.column + 1}`;
  return html`
    <li>
      <button type="button" class="diagnostic ${d.severity}" data-code=${d.code} data-index=${index} title=${f.t('revealHint')}
        @click=${() => on.reveal(index)}>
        ${severityIcon(d.severity, severity)}
        <code class="code">${d.code}</code>
        <span class="message">${d.message}</span>
        <span class="where">${where}</span>
      </button>
    </li>
  `;
}

function field(label: string, value: string | undefined, f: Formatter, testId?: string): TemplateResult {
  return html`<div class="field"><dt>${label}</dt><dd data-testid=${testId ?? nothing} class=${value ? '' : 'missing'}>${value || f.t('notSet')}</dd></div>`;
}

/** The Inbox step: its summary lines and its two on-demand checks (off the typing path: they fetch and run SpamAssassin). */
function inboxBody(state: PageModel, model: ConfirmView, summary: StepSummary, f: Formatter, on: PageActions): TemplateResult {
  const checks = [actionButton('checkLinks', model.actions.checkLinks, state, f, on, true), actionButton('checkSpamScore', model.actions.checkSpamScore, state, f, on, true)];
  return html`
    ${summary.lines.length > 0 ? html`<p class="summary-lines">${summary.lines.join(' · ')}</p>` : nothing}
    ${model.actions.checkLinks.offered || model.actions.checkSpamScore.offered ? html`<div class="actions" data-testid="inbox-checks">${checks}</div>` : nothing}
  `;
}

function setupBody(model: ConfirmView, f: Formatter): TemplateResult {
  const s = model.setup;
  return html`
    <dl class="fields">
      ${field(f.t('name'), s.name, f, 'setup-name')}
      ${field(f.t('from'), s.from, f, 'setup-from')}
      ${field(f.t('replyTo'), s.replyTo ?? f.t('none'), f)}
      ${field(f.t('subject'), s.subject, f)}
      ${s.firstRecipient ? field(f.t('subjectFirstRecipient', s.firstRecipient), s.subjectForFirst, f, 'subject-first') : nothing}
    </dl>
  `;
}

function contentBody(state: PageModel, model: ConfirmView, f: Formatter, on: PageActions): TemplateResult {
  const c = model.content;
  const part = (p: { file?: string; length: number } | undefined, derived = false) =>
    p ? `${p.file ?? f.t('inline')} (${f.number(p.length)})` : derived ? f.t('textDerived') : undefined;
  return html`
    <dl class="fields">
      ${field(f.t('htmlPart'), part(c.html), f)}
      ${field(f.t('textPart'), part(c.text, c.textDerived), f)}
      ${field(
        f.t('attachments'),
        c.attachments.length ? c.attachments.map((a) => `${a.filename} (${f.bytes(a.size)})`).join(', ') : f.t('none'),
        f,
      )}
      ${field(f.t('unsubscribe'), c.unsubscribe.length ? c.unsubscribe.join(', ') : undefined, f)}
    </dl>
    ${previewBlock(state, model, f, on)}
  `;
}

function previewBlock(state: PageModel, model: ConfirmView, f: Formatter, on: PageActions): TemplateResult {
  const p = model.preview;
  if (!p) return html`<p class="muted" data-testid="preview-unavailable">${f.t('previewUnavailable')}</p>`;
  const width = state.previewWidth;
  const prepared = p.html !== undefined ? previewDocument(p.html, state.previewDark) : undefined;
  return html`
    <div class="preview">
      <div class="preview-toolbar">
        ${p.recipientCount > 0
          ? html`
              <label class="inline-label" for="preview-recipient">${f.t('previewFor')}</label>
              <vscode-single-select id="preview-recipient" data-testid="preview-recipient"
                @change=${(e: Event) => on.selectPreviewRecipient(Number((e.target as HTMLSelectElement).value))}>
                ${p.recipientChoices.map(
                  (email, index) => html`<vscode-option value=${String(index)} ?selected=${index === p.recipientIndex}>${email}</vscode-option>`,
                )}
              </vscode-single-select>
              <span class="muted">${p.recipientIndex + 1} / ${f.number(p.recipientCount)}</span>`
          : html`<span class="muted">${f.t('previewNoRecipients')}</span>`}
        <span class="spacer"></span>
        <div class="segmented" role="group" aria-label=${f.t('preview')}>
          <vscode-button ?secondary=${width !== 'desktop'} aria-pressed=${String(width === 'desktop')} data-width="desktop"
            @click=${() => on.setPreviewWidth('desktop')}>${f.t('previewDesktop')}</vscode-button>
          <vscode-button ?secondary=${width !== 'mobile'} aria-pressed=${String(width === 'mobile')} data-width="mobile"
            @click=${() => on.setPreviewWidth('mobile')}>${f.t('previewMobile')}</vscode-button>
        </div>
        ${p.html !== undefined
          ? html`<vscode-button ?secondary=${!state.previewDark} aria-pressed=${String(state.previewDark)} data-action="toggleDark"
              @click=${() => on.setPreviewDark(!state.previewDark)}>${f.t('previewDark')}</vscode-button>`
          : nothing}
      </div>
      ${prepared?.dark ? html`<div class="preview-dark-note muted" data-testid="preview-dark" data-dark=${prepared.dark}>${f.t(prepared.dark === 'own' ? 'previewDarkOwn' : 'previewDarkInverted')}</div>` : nothing}
      ${p.subject !== undefined ? html`<div class="preview-subject"><span class="muted">${f.t('subject')}:</span> ${p.subject}</div>` : nothing}
      ${prepared && prepared.remoteImages > 0 && !p.remoteImages
        ? html`<div class="remote-images" role="note" data-testid="remote-images">
            <span class="remote-images-text"><strong>${f.t('remoteImagesBlocked')}</strong> ${f.t('remoteImagesWhy')}</span>
            <vscode-button secondary data-action="loadRemoteImages" @click=${() => on.loadRemoteImages()}>${f.t('loadRemoteImages')}</vscode-button>
          </div>`
        : nothing}
      <div class="preview-frame-holder ${width}${prepared?.dark ? ' dark' : ''}">
        ${prepared
          ? html`<iframe class="preview-frame" sandbox="" referrerpolicy="no-referrer" title=${f.t('previewTitle')} .srcdoc=${prepared.html}></iframe>`
          : html`<pre class="preview-text">${p.text ?? ''}</pre>`}
      </div>
    </div>
  `;
}

function sourcesTable(title: string, sources: ConfirmView['targetList']['sources'], f: Formatter): TemplateResult | typeof nothing {
  if (sources.length === 0) return nothing;
  return html`
    <h3>${title}</h3>
    <table class="data-table">
      <thead><tr><th>${f.t('source')}</th><th class="num">${f.t('rows')}</th><th class="num">${f.t('invalid')}</th><th class="num">${f.t('duplicate')}</th></tr></thead>
      <tbody>
        ${sources.map((s) => html`<tr><td>${s.label}</td><td class="num">${f.number(s.rows)}</td><td class="num">${f.number(s.invalid)}</td><td class="num">${f.number(s.duplicate)}</td></tr>`)}
      </tbody>
    </table>
  `;
}

function targetListBody(model: ConfirmView, f: Formatter): TemplateResult {
  const t = model.targetList;
  const skippedTotal = t.skipped.invalid + t.skipped.duplicate + t.skipped.excluded;
  return html`
    <dl class="fields">
      ${field(f.t('recipients'), f.count('recipientCount', 'recipientsCount', t.recipients), f, 'recipient-count')}
      ${field(
        f.t('skipped'),
        skippedTotal === 0
          ? f.t('none')
          : [f.t('skippedInvalid', t.skipped.invalid), f.t('skippedDuplicate', t.skipped.duplicate), f.t('skippedExcluded', t.skipped.excluded)].join(', '),
        f,
        'skipped',
      )}
    </dl>
    ${sourcesTable(f.t('sources'), t.sources, f)}
    ${sourcesTable(f.t('excludeSources'), t.excludes, f)}
    ${t.sample.rows.length > 0
      ? html`
          <h3>${f.t('sampleRows')}</h3>
          <div class="table-scroll">
            <table class="data-table" data-testid="sample-rows">
              <thead><tr>${t.sample.columns.map((c) => html`<th>${c}</th>`)}</tr></thead>
              <tbody>${t.sample.rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody>
            </table>
          </div>
        `
      : nothing}
  `;
}

function testBody(state: PageModel, model: ConfirmView, f: Formatter, on: PageActions): TemplateResult {
  const t = model.test;
  const last = t.lastAt ? f.t('testLast', t.lastAt, (t.lastTo ?? []).join(', ')) : f.t('testNone');
  return html`
    <p data-testid="test-last" class=${t.lastAt ? (t.outdated ? 'warning-text' : '') : 'muted'}>${last}</p>
    ${t.lastAt && t.outdated ? html`<p class="error-text">${f.t('testOutdated')}</p>` : nothing}
    <dl class="fields">${field(f.t('testRecipients'), t.recipients.join(', ') || undefined, f)}</dl>
    <div class="actions">${actionButton('sendTest', model.actions.sendTest, state, f, on, true)}</div>
  `;
}

function scheduleBody(state: PageModel, model: ConfirmView, f: Formatter, on: PageActions): TemplateResult {
  const s = model.schedule;
  const availability = model.actions.schedule;
  const resolution = state.when.resolution;
  return html`
    <dl class="fields">
      ${s.expression ? field(f.t('scheduleExpression'), s.resolved ? `${s.expression} → ${s.resolved}` : s.expression, f) : nothing}
      ${field(f.t('timezone'), model.timezone, f)}
    </dl>
    ${availability.offered
      ? html`
          <div class="schedule-form" data-testid="schedule-form">
            <div class="form-row">
              <label class="inline-label" for="schedule-picker">${f.t('pickDate')}</label>
              <vscode-textfield id="schedule-picker" type="datetime-local" step="1" .value=${state.picker}
                @input=${(e: Event) => on.pickerChanged((e.target as HTMLInputElement).value)}
                @change=${(e: Event) => on.pickerChanged((e.target as HTMLInputElement).value)}></vscode-textfield>
              <vscode-button secondary data-action="setNow" @click=${() => on.setNow()}>${f.t('setNow')}</vscode-button>
            </div>
            <div class="form-row">
              <label class="inline-label" for="schedule-text">${f.t('whenExpression')}</label>
              <vscode-textfield id="schedule-text" placeholder=${f.t('whenPlaceholder')} .value=${state.when.text}
                ?invalid=${resolution !== undefined && !resolution.ok}
                @input=${(e: Event) => on.whenTextChanged((e.target as HTMLInputElement).value)}></vscode-textfield>
            </div>
            <div class="when-resolution ${resolution && !resolution.ok ? 'error-text' : 'muted'}" data-testid="when-resolution" aria-live="polite">
              ${resolution ? (resolution.ok ? `→ ${resolution.description}` : resolution.message) : ''}
            </div>
            <div class="actions">${actionButton('schedule', availability, state, f, on, false, () => on.schedule(), !state.picker && !state.when.text.trim())}</div>
          </div>
        `
      : nothing}
  `;
}

/** A button with, when it cannot be used, the reason beside it (the seed's "fix the errors first"). */
export function actionButton(
  action: ActionName,
  availability: ActionAvailability,
  state: PageModel,
  f: Formatter,
  on: PageActions,
  secondary: boolean,
  handler?: () => void,
  extraDisabled = false,
): TemplateResult | typeof nothing {
  if (!availability.offered) return nothing;
  const disabled = !availability.enabled || state.busy !== undefined || extraDisabled;
  const reasonId = `reason-${action}`;
  return html`
    <span class="action" data-action-wrapper=${action}>
      <vscode-button data-action=${action} ?secondary=${secondary} ?disabled=${disabled}
        aria-describedby=${!availability.enabled && availability.reason ? reasonId : nothing}
        @click=${() => { if (!disabled) (handler ?? (() => on.post(action)))(); }}>${f.t(action)}</vscode-button>
      ${!availability.enabled && availability.reason
        ? html`<span class="reason" id=${reasonId} data-testid="reason-${action}">${availability.reason}</span>`
        : nothing}
    </span>
  `;
}
