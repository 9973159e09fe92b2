// Pieces both pages use.
import { html, nothing, type TemplateResult } from 'lit';
import type { ConfirmView } from '../../src/protocol';
import type { Formatter } from './format';
import type { PageActions, PageModel } from './pageModel';

/** The outcome of the last action: an error in red (with its code) or a notice; dismissible. */
export function resultBanner(state: PageModel, on: PageActions): TemplateResult | typeof nothing {
  const result = state.result;
  if (!result) return nothing;
  return html`
    <div class="banner ${result.ok ? 'banner-ok' : 'banner-error'}" role=${result.ok ? 'status' : 'alert'} data-testid="result-banner">
      ${result.code ? html`<code class="code">${result.code}</code>` : nothing}
      <span class="message">${result.message}</span>
      <span class="spacer"></span>
      <button type="button" class="link-button" aria-label="×" @click=${() => on.dismissResult()}>×</button>
    </div>
  `;
}

/** Who Reload and resend would reach now, beside its button (the host counted it). */
export function resendLine(model: ConfirmView, f: Formatter): TemplateResult | typeof nothing {
  const r = model.resend;
  if (!r || !model.actions.resend.offered || r.added + r.retry === 0) return nothing;
  return html`<p class="resend-who muted" data-testid="resend-who">${f.t('resendWho', f.number(r.added + r.retry), f.number(r.added), f.number(r.retry), f.number(r.suppressed))}</p>`;
}
