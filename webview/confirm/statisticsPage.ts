// The send status and statistics page: live progress while sending (counts, rate, time left), what a
// waiting mailing waits for and when it goes on, the pace (configured and current rate, per domain),
// the local-time waves, the totals, messages per minute, the outcome shares and the failed recipients.
import { html, nothing, type TemplateResult } from 'lit';
import type { ConfirmView, StatisticsView, UiStringKey } from '../../src/protocol';
import { STATUS_STRING } from './strings';
import { outcomeShares, perMinuteChart, progressBar } from './charts';
import { actionButton } from './confirmPage';
import { recipientTable } from './recipientTable';
import { resendLine, resultBanner } from './common';
import type { Formatter } from './format';
import type { PageActions, PageModel } from './pageModel';

export function statisticsPage(state: PageModel, model: ConfirmView, view: StatisticsView | undefined, f: Formatter, on: PageActions): TemplateResult {
  const stats = view?.statistics;
  const status = stats?.status ?? model.state.status;
  return html`
    <header class="page-header">
      <div class="title-row">
        <h1>${f.t('statisticsTitle')}: ${view?.name ?? model.setup.name ?? model.fileLabel}</h1>
        <vscode-badge class="status status-${status}" data-testid="status">${f.t(STATUS_STRING[status])}</vscode-badge>
        <span class="spacer"></span>
        <vscode-button secondary data-action="openConfirm" @click=${() => on.showPage('confirm')}>${f.t('openConfirm')}</vscode-button>
      </div>
      <div class="subtitle"><span class="file">${model.fileLabel}</span></div>
      ${model.state.scheduledAtText && status === 'scheduled'
        ? html`<div class="scheduled-for" data-testid="scheduled-for">${f.t('scheduledFor')} <strong>${model.state.scheduledAtText}</strong></div>`
        : nothing}
    </header>
    ${resultBanner(state, on)}
    <div class="action-bar top">
      ${actionButton('stop', model.actions.stop, state, f, on, false)}
      ${actionButton('start', model.actions.start, state, f, on, false)}
      ${actionButton('resend', model.actions.resend, state, f, on, false)}
      ${actionButton('exportCsv', model.actions.exportCsv, state, f, on, true)}
      ${state.busy ? html`<span class="busy" role="status"><vscode-progress-ring></vscode-progress-ring>${f.t('busy')}</span>` : nothing}
    </div>
    ${resendLine(model, f)}
    ${stats ? body(view!, f) : html`<p class="muted">${f.t('noData')}</p>`}
    ${stats && state.recipients ? recipientTable(state.recipients, f, on, model.actions.resend.offered, (iso) => state.recipients?.moments?.[iso] ?? moment(view!, iso)) : nothing}
  `;
}

function body(view: StatisticsView, f: Formatter): TemplateResult {
  const s = view.statistics;
  const done = s.sent + s.failed;
  const tiles: [string, string, string][] = [
    ['total', f.t('total'), f.number(s.total)],
    ['sent', f.t('sent'), f.number(s.sent)],
    ['failed', f.t('failed'), f.number(s.failed)],
    ['deferred', f.t('deferred'), f.number(s.deferred)],
    ['pending', f.t('pending'), f.number(s.pending)],
    ['skipped', f.t('skipped'), f.number(s.skipped)],
  ];
  if (s.uncertain > 0) tiles.push(['uncertain', f.t('uncertain'), f.number(s.uncertain)]);
  tiles.push(['rate', f.t('rate'), f.t('ratePerMinute', Math.round(s.ratePerMinute))]);
  if (s.status === 'sending' && view.etaMs !== undefined) tiles.push(['eta', f.t('eta'), f.duration(view.etaMs)]);
  if (s.startedAt) tiles.push(['started', f.t('started'), moment(view, s.startedAt)]);
  if (s.finishedAt) tiles.push(['finished', f.t('finished'), moment(view, s.finishedAt)]);
  if (s.durationMs !== undefined) tiles.push(['duration', f.t('duration'), f.duration(s.durationMs)]);

  return html`
    <section class="progress" data-testid="progress">
      ${progressBar(s.sent, s.failed, s.total, f.t('progress'))}
      <div class="progress-text"><strong>${f.number(done)}</strong> / ${f.number(s.total)}
        ${s.total > 0 ? html`<span class="muted">(${f.percent(done / s.total)})</span>` : nothing}</div>
    </section>
    ${s.stoppedReason
      ? html`<p class="${s.status === 'stopped' ? 'error-text' : 'muted'}" data-testid="stopped-reason">${f.t('stoppedReason')}: ${s.stoppedReason}</p>`
      : nothing}
    ${s.status === 'waiting' && s.waiting
      ? html`<p class="waiting" data-testid="waiting" data-reason=${s.waiting.reason}>${f.t(WAITING_STRING[s.waiting.reason], moment(view, s.waiting.until))}</p>`
      : nothing}
    ${s.sender ? html`<p class="muted">${f.t('sender')}: ${s.sender.owner ?? `${s.sender.host} (${s.sender.pid})`}</p>` : nothing}
    <dl class="tiles" data-testid="totals">
      ${tiles.map(([key, label, value]) => html`<div class="tile tile-${key}" data-key=${key}><dt>${label}</dt><dd>${value}</dd></div>`)}
    </dl>
    ${pace(view, f)} ${waves(view, f)}
    <section class="chart-section">
      <h2>${f.t('perMinuteChart')}</h2>
      ${perMinuteChart(s.perMinute, f, f.t('perMinuteChart'), f.t('noData'))}
    </section>
    <section class="chart-section">
      <h2>${f.t('outcomeShares')}</h2>
      ${outcomeShares(
        [
          { key: 'sent', label: f.t('sent'), count: s.sent },
          { key: 'failed', label: f.t('failed'), count: s.failed },
          { key: 'deferred', label: f.t('deferred'), count: s.deferred },
          { key: 'pending', label: f.t('pending'), count: s.pending },
          ...(s.uncertain > 0 ? [{ key: 'uncertain', label: f.t('uncertain'), count: s.uncertain }] : []),
        ],
        f,
        f.t('outcomeShares'),
      )}
    </section>
    <section class="failures">
      <h2>${f.t('failedRecipients')} (${f.number(view.failuresTotal)})</h2>
      ${view.failures.length === 0
        ? html`<p class="muted">${f.t('noFailures')}</p>`
        : html`
            <div class="table-scroll">
              <table class="data-table" data-testid="failures">
                <thead><tr><th>${f.t('email')}</th><th>${f.t('smtpReply')}</th><th class="num">${f.t('attempts')}</th><th>${f.t('time')}</th></tr></thead>
                <tbody>
                  ${view.failures.map(
                    (r) => html`<tr><td>${r.email}</td><td class="reply">${r.reply ?? ''}</td><td class="num">${r.attempts}</td><td>${r.at ? moment(view, r.at) : ''}</td></tr>`,
                  )}
                </tbody>
              </table>
            </div>
            ${view.failuresTotal > view.failures.length ? html`<p class="muted">${f.t('moreFailures', view.failuresTotal - view.failures.length)}</p>` : nothing}
          `}
    </section>
  `;
}

/** The words for what a waiting mailing waits for. */
const WAITING_STRING: { readonly [R in NonNullable<StatisticsView['statistics']['waiting']>['reason']]: UiStringKey } = {
  window: 'waitingWindow',
  wave: 'waitingWave',
  quota: 'waitingQuota',
  warmup: 'waitingWarmup',
};

/** The configured and the current rate (the controller lowers it on "too fast" replies), and each domain's. */
function pace(view: StatisticsView, f: Formatter): TemplateResult | typeof nothing {
  const p = view.statistics.pace;
  if (!p) return nothing;
  const rate = (perMinute: number | undefined) => (perMinute === undefined ? f.t('rateUncapped') : f.t('ratePerMinute', perMinute));
  const throttled = p.configuredPerMinute !== undefined && p.currentPerMinute !== undefined && p.currentPerMinute < p.configuredPerMinute;
  return html`
    <section class="pace" data-testid="pace">
      <h2>${f.t('paceTitle')}</h2>
      <dl class="tiles">
        <div class="tile" data-key="rate-configured"><dt>${f.t('rateConfigured')}</dt><dd>${rate(p.configuredPerMinute)}</dd></div>
        <div class="tile ${throttled ? 'tile-throttled' : ''}" data-key="rate-current"><dt>${f.t('rateCurrent')}</dt><dd>${rate(p.currentPerMinute)}</dd></div>
        ${p.throttledAt ? html`<div class="tile" data-key="throttled-at"><dt>${f.t('throttledAt')}</dt><dd>${moment(view, p.throttledAt)}</dd></div>` : nothing}
      </dl>
      ${p.domains.length === 0
        ? nothing
        : html`
            <div class="table-scroll">
              <table class="data-table" data-testid="domain-rates">
                <thead><tr><th>${f.t('domain')}</th><th class="num">${f.t('rateConfigured')}</th><th class="num">${f.t('rateCurrent')}</th></tr></thead>
                <tbody>
                  ${p.domains.map((d) => html`<tr><td>${d.domain}</td><td class="num">${rate(d.configuredPerMinute)}</td><td class="num">${rate(d.currentPerMinute)}</td></tr>`)}
                </tbody>
              </table>
            </div>
          `}
    </section>
  `;
}

/** One row per local-time wave (`schedule.localTime`): its zone, when it is due, and how far it got. */
function waves(view: StatisticsView, f: Formatter): TemplateResult | typeof nothing {
  const list = view.statistics.waves ?? [];
  if (list.length === 0) return nothing;
  return html`
    <section class="waves">
      <h2>${f.t('wavesTitle')}</h2>
      <div class="table-scroll">
        <table class="data-table" data-testid="waves">
          <thead><tr><th>${f.t('timezone')}</th><th>${f.t('due')}</th><th class="num">${f.t('recipients')}</th><th class="num">${f.t('sent')}</th><th class="num">${f.t('failed')}</th></tr></thead>
          <tbody>
            ${list.map(
              (w) => html`<tr data-zone=${w.zone}><td>${w.zone}</td><td>${w.dueAt ? moment(view, w.dueAt) : ''}</td><td class="num">${f.number(w.total)}</td><td class="num">${f.number(w.sent)}</td><td class="num">${f.number(w.failed)}</td></tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>
  `;
}

/** An instant as the host wrote it (one date-time format across faces); the ISO text if it did not. */
function moment(view: StatisticsView, iso: string): string {
  return view.moments[iso] ?? iso;
}
