// Small helpers shared by the benchmarks: timing, medians, and printing ratios against a baseline
// measured in the same run (absolute figures on a shared 2-core machine say little on their own).
import { performance } from 'node:perf_hooks';

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs each named async function `rounds` times, alternating between them so that drift (thermal,
 * other load) hits all of them alike; returns the median milliseconds of each.
 */
export async function alternate(fns, { rounds = 30, warmup = 3 } = {}) {
  const names = Object.keys(fns);
  for (let i = 0; i < warmup; i++) for (const n of names) await fns[n]();
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < rounds; i++) {
    for (const n of names) {
      const t0 = performance.now();
      await fns[n]();
      samples[n].push(performance.now() - t0);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]));
}

export function ms(value) {
  return value < 1 ? `${(value * 1000).toFixed(0)} µs` : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ')).join('\n');
}

/**
 * The text of a benchmark's mailing file: content from `html` and `text` beside it, recipients from
 * readers.csv, a test recipient, SMTP with `connections` sessions; `replyTo` and `mailto` optional.
 */
export function benchMailingYaml({ name, from, subject, html, text, unsubscribe, replyTo, mailto, connections }) {
  return (
    [
      'version: 1',
      `name: ${name}`,
      `from: ${from}`,
      ...(replyTo ? [`replyTo: ${replyTo}`] : []),
      `subject: "${subject}"`,
      'content:',
      `  html: ${html}`,
      `  text: ${text}`,
      'targetList:',
      '  include:',
      '    - file: readers.csv',
      'unsubscribe:',
      `  url: ${unsubscribe}`,
      ...(mailto ? [`  mailto: ${mailto}`] : []),
      'test:',
      '  recipients: [editor@northwind.example]',
      'timezone: Europe/Amsterdam',
      'sending:',
      '  transport: smtp',
      `  connections: ${connections}`,
    ].join('\n') + '\n'
  );
}
