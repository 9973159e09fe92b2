// How the CLI shows send statistics: a one-line progress bar for a terminal, a short summary, and the
// JSON of `status --json` (architecture.md, Faces).
import { type Statistics, statusWord } from '../core/index';
import { paceLines } from './paceText';
import { destinationLine } from './destinationText';
import { formatterFor } from './text';
import { cliWords, type CliWords } from './words';

/** The `--json` shape: every field of Statistics, the optional ones present as null. */
export function statisticsJson(s: Statistics): Record<string, unknown> {
  return {
    status: s.status,
    total: s.total,
    sent: s.sent,
    failed: s.failed,
    deferred: s.deferred,
    pending: s.pending,
    skipped: s.skipped,
    uncertain: s.uncertain,
    suppressed: s.suppressed ?? 0,
    bounced: s.bounced ?? 0,
    complained: s.complained ?? 0,
    ratePerMinute: s.ratePerMinute,
    scheduledAt: s.scheduledAt ?? null,
    startedAt: s.startedAt ?? null,
    finishedAt: s.finishedAt ?? null,
    durationMs: s.durationMs ?? null,
    stoppedReason: s.stoppedReason ?? null,
    waiting: s.waiting ?? null,
    pace: s.pace ?? null,
    waves: s.waves ?? null,
    sender: s.sender ?? null,
    destination: s.destination ?? null,
    perMinute: s.perMinute,
  };
}

export function formatDurationMs(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** `[#########.........]  812/2000  41%  sent 800  failed 2  deferred 10  1,234/min` */
export function progressLine(s: Statistics, width = 24, w: CliWords = cliWords()): string {
  const done = s.sent + s.failed;
  const fraction = s.total > 0 ? done / s.total : 1;
  const filled = Math.round(fraction * width);
  const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
  const p = w.progress;
  const parts = [`[${bar}]`, `${done}/${s.total}`, `${Math.floor(fraction * 100)}%`, `${p.sent} ${s.sent}`, `${p.failed} ${s.failed}`];
  if (s.deferred) parts.push(`${p.deferred} ${s.deferred}`);
  if (s.uncertain) parts.push(`${p.uncertain} ${s.uncertain}`);
  if (s.ratePerMinute) parts.push(`${Math.round(s.ratePerMinute).toLocaleString(w.lang)}${p.perMinute}`);
  return parts.join('  ');
}

/** The human summary printed on stdout when a command ends; paths relative to `cwd`. */
export function summaryText(s: Statistics, cwd: string, w: CliWords = cliWords()): string {
  const lines = [w.status(statusWord(s.status, formatterFor(w.lang)), s.stoppedReason)];
  lines.push(w.counts(s));
  // Only when there are any: most mailings have none, and the line above stays as it always was.
  const after = [s.suppressed ? w.suppressed(s.suppressed) : '', s.bounced ? w.bounced(s.bounced) : '', s.complained ? w.complained(s.complained) : ''].filter(Boolean);
  if (after.length) lines.push(after.join(', '));
  if (s.scheduledAt) lines.push(w.scheduledAt(s.scheduledAt));
  if (s.startedAt) {
    const times = [w.started(s.startedAt)];
    if (s.finishedAt) times.push(w.finished(s.finishedAt));
    if (s.durationMs !== undefined) times.push(w.sendingTime(formatDurationMs(s.durationMs)));
    if (s.ratePerMinute) times.push(w.perMinute(s.ratePerMinute));
    lines.push(times.join(', '));
  }
  if (s.destination) lines.push(destinationLine(s.destination, cwd, s.status !== 'sending', w));
  lines.push(...paceLines(s, w));
  if (s.sender) lines.push(w.beingSentBy(s.sender.owner, s.sender.pid, s.sender.host));
  return lines.join('\n') + '\n';
}
