// The Statistics page's recipient table: every recipient with its outcome, filtered by kind (with the
// count of each), searched by address or reply, a page of rows at a time (the host keeps the log and
// answers one page per query, so 100,000 rows never reach the page), rows selectable for "Resend to
// selected", and the CSV export of exactly the filtered view.
import { html, nothing, type TemplateResult } from 'lit';
import { RECIPIENT_FILTERS, RECIPIENT_PAGE_SIZE, type RecipientLogEntry, type RecipientLogFilter, type UiStringKey } from '../../src/protocol';
import type { Formatter } from './format';
import type { PageActions, RecipientTableState } from './pageModel';

/** The words of each kind (the outcomes share the statistics tiles' words). */
const FILTER_STRING: { readonly [F in RecipientLogFilter]: UiStringKey } = {
  sent: 'sent',
  failed: 'failed',
  bounced: 'filterBounced',
  complained: 'filterComplained',
  suppressed: 'filterSuppressed',
  pending: 'pending',
  deferred: 'deferred',
  skipped: 'skipped',
  uncertain: 'uncertain',
};

export function recipientTable(table: RecipientTableState, f: Formatter, on: PageActions, resendOffered: boolean, moment: (iso: string) => string): TemplateResult {
  const page = table.page;
  const counts = page?.counts;
  const rows = page?.rows ?? [];
  const first = page && page.total > 0 ? page.offset + 1 : 0;
  const last = page ? page.offset + rows.length : 0;
  const selectable = resendOffered;
  const pageAll = rows.length > 0 && rows.every((r) => table.selected.has(r.email));
  return html`
    <section class="recipients" data-testid="recipient-table">
      <h2>${f.t('recipientTable')}${counts ? ` (${f.number(counts.all)})` : ''}</h2>
      <div class="form-row recipient-controls">
        <label class="inline-label" for="recipient-filter">${f.t('filterBy')}</label>
        <select id="recipient-filter" data-testid="recipient-filter" @change=${(e: Event) => on.queryRecipients({ filter: ((e.target as HTMLSelectElement).value || undefined) as RecipientLogFilter | undefined, offset: 0 })}>
          <option value="" ?selected=${!table.filter}>${f.t('filterAll')}${counts ? ` (${f.number(counts.all)})` : ''}</option>
          ${RECIPIENT_FILTERS.map(
            (filter) => html`<option value=${filter} ?selected=${table.filter === filter}>${f.t(FILTER_STRING[filter])}${counts ? ` (${f.number(counts[filter])})` : ''}</option>`,
          )}
        </select>
        <input type="search" class="recipient-search" data-testid="recipient-search" placeholder=${f.t('recipientSearch')} aria-label=${f.t('recipientSearch')} .value=${table.search}
          @input=${(e: Event) => on.queryRecipients({ search: (e.target as HTMLInputElement).value, offset: 0 })} />
        <span class="spacer"></span>
        <span class="muted" data-testid="recipient-range">${f.t('pagerRange', f.number(first), f.number(last), f.number(page?.total ?? 0))}</span>
        <vscode-button secondary data-action="pagePrevious" ?disabled=${!page || page.offset === 0}
          @click=${() => page && page.offset > 0 && on.queryRecipients({ offset: Math.max(0, page.offset - RECIPIENT_PAGE_SIZE) })}>${f.t('pagePrevious')}</vscode-button>
        <vscode-button secondary data-action="pageNext" ?disabled=${!page || last >= page.total}
          @click=${() => page && last < page.total && on.queryRecipients({ offset: page.offset + RECIPIENT_PAGE_SIZE })}>${f.t('pageNext')}</vscode-button>
      </div>
      <div class="actions recipient-actions">
        ${selectable
          ? html`<vscode-button data-action="resendSelected" ?disabled=${table.selected.size === 0}
              @click=${() => table.selected.size > 0 && on.resendSelected()}>${f.t('resendSelected', f.number(table.selected.size))}</vscode-button>`
          : nothing}
        <vscode-button secondary data-action="exportView" @click=${() => on.exportView()}>${f.t('exportView')}</vscode-button>
      </div>
      ${page && rows.length === 0
        ? html`<p class="muted" data-testid="recipient-none">${f.t('noRecipientMatches')}</p>`
        : html`
            <div class="table-scroll">
              <table class="data-table" data-testid="recipient-rows">
                <thead>
                  <tr>
                    ${selectable
                      ? html`<th><input type="checkbox" aria-label=${f.t('selectPage')} data-testid="select-page" .checked=${pageAll}
                          @change=${(e: Event) => on.selectRecipients(rows.map((r) => r.email), (e.target as HTMLInputElement).checked)} /></th>`
                      : nothing}
                    <th>${f.t('email')}</th><th>${f.t('outcome')}</th><th class="num">${f.t('attempts')}</th><th>${f.t('smtpReply')}</th><th>${f.t('bounceColumn')}</th><th class="num">${f.t('runColumn')}</th><th>${f.t('time')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows.map((r) => row(r, table, f, on, selectable, moment))}
                </tbody>
              </table>
            </div>
          `}
    </section>
  `;
}

function row(r: RecipientLogEntry, table: RecipientTableState, f: Formatter, on: PageActions, selectable: boolean, moment: (iso: string) => string): TemplateResult {
  const outcome = f.t(FILTER_STRING[r.outcome]);
  return html`<tr data-email=${r.email}>
    ${selectable
      ? html`<td><input type="checkbox" aria-label=${f.t('selectRecipient', r.email)} .checked=${table.selected.has(r.email)}
          @change=${(e: Event) => on.selectRecipients([r.email], (e.target as HTMLInputElement).checked)} /></td>`
      : nothing}
    <td>${r.email}</td>
    <td class="outcome outcome-${r.outcome}">${outcome}${r.complained ? ` · ${f.t('filterComplained')}` : ''}</td>
    <td class="num">${r.attempts}</td>
    <td class="reply">${r.reply ?? r.reason ?? ''}</td>
    <td>${r.bounce ?? ''}</td>
    <td class="num">${r.run ?? ''}</td>
    <td>${r.at ? moment(r.at) : ''}</td>
  </tr>`;
}
