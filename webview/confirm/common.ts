// Pieces both pages use.
import { html, nothing, type TemplateResult } from 'lit';
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
