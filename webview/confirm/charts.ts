// The two charts of the statistics page, drawn as inline SVG (no chart library): messages per minute
// over the run (sent and failed stacked) and the shares of the outcomes. Colours come from the VS Code
// theme (--vscode-charts-*) through the stylesheet, so they follow light, dark and high contrast.
import { html, svg, nothing, type TemplateResult } from 'lit';
import type { Statistics } from '../../src/protocol';
import type { Formatter } from './format';

const WIDTH = 640;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 12, bottom: 28, left: 44 };

/** A round upper bound for the y axis: 1, 2, 5 × 10^n. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

export function perMinuteChart(perMinute: Statistics['perMinute'], f: Formatter, title: string, empty: string): TemplateResult {
  if (perMinute.length === 0) return html`<p class="muted" data-testid="chart-empty">${empty}</p>`;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = niceMax(Math.max(...perMinute.map((m) => m.sent + m.failed)));
  const slot = plotW / perMinute.length;
  const barW = Math.max(1, Math.min(40, slot * 0.8));
  const y = (v: number) => MARGIN.top + plotH - (v / max) * plotH;
  // Whole messages only: a middle line when it falls on a whole number.
  const ticks = max % 2 === 0 ? [0, max / 2, max] : [0, max];
  const labelEvery = Math.max(1, Math.ceil(perMinute.length / 6));
  return html`
    <svg class="chart per-minute" data-testid="per-minute-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label=${title}
      preserveAspectRatio="xMidYMid meet">
      <title>${title}</title>
      ${ticks.map(
        (t) => svg`
          <line class="grid" x1=${MARGIN.left} x2=${WIDTH - MARGIN.right} y1=${y(t)} y2=${y(t)}></line>
          <text class="axis-label" x=${MARGIN.left - 6} y=${y(t) + 4} text-anchor="end">${f.number(t)}</text>`,
      )}
      ${perMinute.map((m, i) => {
        const x = MARGIN.left + i * slot + (slot - barW) / 2;
        const sentTop = y(m.sent);
        const failedTop = y(m.sent + m.failed);
        return svg`
          <g class="bar" data-minute=${m.minute}>
            <title>${f.time(m.minute)}: ${f.number(m.sent)} ✓, ${f.number(m.failed)} ✗</title>
            <rect class="fill-sent" x=${x} y=${sentTop} width=${barW} height=${Math.max(0, y(0) - sentTop)}></rect>
            ${m.failed > 0 ? svg`<rect class="fill-failed" x=${x} y=${failedTop} width=${barW} height=${Math.max(0, sentTop - failedTop)}></rect>` : nothing}
            ${i % labelEvery === 0 || i === perMinute.length - 1
              ? svg`<text class="axis-label" x=${x + barW / 2} y=${HEIGHT - 8} text-anchor="middle">${f.time(m.minute)}</text>`
              : nothing}
          </g>`;
      })}
      <line class="axis" x1=${MARGIN.left} x2=${WIDTH - MARGIN.right} y1=${y(0)} y2=${y(0)}></line>
    </svg>
  `;
}

export interface Share {
  key: string;
  label: string;
  count: number;
}

/** One stacked bar of the outcome shares, with a legend giving count and percentage of each. */
export function outcomeShares(shares: Share[], f: Formatter, title: string): TemplateResult {
  const total = shares.reduce((sum, s) => sum + s.count, 0);
  let offset = 0;
  const barWidth = 1000;
  return html`
    <svg class="chart shares" data-testid="outcome-chart" viewBox="0 0 ${barWidth} 24" preserveAspectRatio="none" role="img" aria-label=${title}>
      <title>${title}</title>
      <rect class="fill-empty" x="0" y="0" width=${barWidth} height="24"></rect>
      ${total > 0
        ? shares.map((s) => {
            const w = (s.count / total) * barWidth;
            const rect = svg`<rect class="fill-${s.key}" x=${offset} y="0" width=${w} height="24"><title>${s.label}: ${f.number(s.count)}</title></rect>`;
            offset += w;
            return rect;
          })
        : nothing}
    </svg>
    <ul class="legend">
      ${shares.map(
        (s) => html`<li data-outcome=${s.key}><span class="swatch fill-${s.key}"></span>${s.label}: <strong>${f.number(s.count)}</strong>
          <span class="muted">(${f.percent(total > 0 ? s.count / total : 0)})</span></li>`,
      )}
    </ul>
  `;
}

/** Done of total as a bar: sent and failed stacked on a track (a progressbar for screen readers). */
export function progressBar(sent: number, failed: number, total: number, label: string): TemplateResult {
  const width = 1000;
  const part = (n: number) => (total > 0 ? (Math.min(n, total) / total) * width : 0);
  return html`
    <svg class="progress-bar" viewBox="0 0 ${width} 10" preserveAspectRatio="none" role="progressbar" aria-label=${label}
      aria-valuemin="0" aria-valuemax=${total} aria-valuenow=${sent + failed}>
      <rect class="track" x="0" y="0" width=${width} height="10"></rect>
      <rect class="fill-sent" x="0" y="0" width=${part(sent)} height="10"></rect>
      <rect class="fill-failed" x=${part(sent)} y="0" width=${part(failed)} height="10"></rect>
    </svg>
  `;
}
