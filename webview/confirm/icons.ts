// Severity icons as inline SVG (the codicon font is not bundled; emoji fonts are not everywhere).
// They draw in currentColor, so the theme colours of the text around them apply.
import { svg, type SVGTemplateResult } from 'lit';
import type { Severity } from '../../src/protocol';

const PATHS: Record<Severity, SVGTemplateResult> = {
  error: svg`<circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.5"></circle>
    <path d="M5.5 5.5l5 5m0-5l-5 5" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"></path>`,
  warning: svg`<path d="M8 1.8L15 14.2H1z" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linejoin="round"></path>
    <path d="M8 6v4" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"></path><circle cx="8" cy="12" r="0.9" fill="currentColor"></circle>`,
  info: svg`<circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.5"></circle>
    <path d="M8 7.2v4" stroke="currentColor" stroke-width="1.5" stroke-linecap="round"></path><circle cx="8" cy="4.9" r="0.9" fill="currentColor"></circle>`,
};

export function severityIcon(severity: Severity, label: string) {
  return svg`<svg class="severity-icon" viewBox="0 0 16 16" width="14" height="14" role="img" aria-label=${label}>${PATHS[severity]}</svg>`;
}
