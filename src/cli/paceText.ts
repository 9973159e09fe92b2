// How the CLI words the pace of a send: what a waiting mailing waits for and until when, the
// configured and current rate, and the local-time waves. Moments through the one Formatter, in the
// machine's zone (a wave's in its own); English, like the rest of the CLI's statistics.
import type { Statistics, WaitReason } from '../core/index';
import { formatterFor } from './text';

const WAITING_FOR: Record<WaitReason, string> = {
  window: 'its send window',
  wave: 'its next local-time wave',
  quota: "the SMTP server's quota",
  warmup: "the warm-up's daily allowance",
};

/** "its send window: goes on Tue 8 Dec 2026 18:00 CET, in 3 hours" */
export function describeWait(reason: WaitReason, until: string | Date): string {
  return `${WAITING_FOR[reason]}: goes on ${formatterFor('en').moment(until)}`;
}

/** Lines for `status`: the rates and the waves, when there are any. */
export function paceLines(s: Statistics): string[] {
  const f = formatterFor('en');
  const lines: string[] = [];
  if (s.waiting) lines.push(`waiting for ${describeWait(s.waiting.reason, s.waiting.until)}`);
  const pace = s.pace;
  if (pace) {
    const rate = (perMinute: number | undefined) => (perMinute === undefined ? 'no cap' : `${f.decimal(perMinute)}/minute`);
    const throttled = pace.throttledAt ? ` (lowered after a "too fast" reply at ${f.instant(pace.throttledAt)})` : '';
    lines.push(`rate: configured ${rate(pace.configuredPerMinute)}, current ${rate(pace.currentPerMinute)}${throttled}`);
    for (const domain of pace.domains) lines.push(`  ${domain.domain}: configured ${rate(domain.configuredPerMinute)}, current ${rate(domain.currentPerMinute)}`);
  }
  if (s.waves?.length) {
    lines.push('waves (local time):');
    for (const wave of s.waves) {
      const due = wave.dueAt ? formatterFor('en', wave.zone).moment(wave.dueAt) : 'at the start';
      lines.push(`  ${wave.zone}: due ${due}; ${wave.sent} of ${wave.total} sent${wave.failed ? `, ${wave.failed} failed` : ''}`);
    }
  }
  return lines;
}
