// How the CLI words the pace of a send: what a waiting mailing waits for and until when, the
// configured and current rate, and the local-time waves.
import { describeInstant } from '../core/schedule/when';
import { machineTimeZone } from '../core/schedule/zone';
import type { Statistics, WaitReason } from '../core/types';

const WAITING_FOR: Record<WaitReason, string> = {
  window: 'its send window',
  wave: 'its next local-time wave',
  quota: "the SMTP server's quota",
  warmup: "the warm-up's daily allowance",
};

/** "its send window: goes on Tue 8 Dec 2026 18:00 CET, in 3 hours" */
export function describeWait(reason: WaitReason, until: string | Date, now = new Date()): string {
  const at = typeof until === 'string' ? new Date(until) : until;
  return `${WAITING_FOR[reason]}: goes on ${describeInstant(at, machineTimeZone(), now)}`;
}

/** Lines for `status`: the rates and the waves, when there are any. */
export function paceLines(s: Statistics, now = new Date()): string[] {
  const lines: string[] = [];
  if (s.waiting) lines.push(`waiting for ${describeWait(s.waiting.reason, s.waiting.until, now)}`);
  const pace = s.pace;
  if (pace) {
    const configured = pace.configuredPerMinute === undefined ? 'no cap' : `${pace.configuredPerMinute}/minute`;
    const current = pace.currentPerMinute === undefined ? 'no cap' : `${pace.currentPerMinute}/minute`;
    const throttled = pace.throttledAt ? ` (lowered after a "too fast" reply at ${pace.throttledAt})` : '';
    lines.push(`rate: configured ${configured}, current ${current}${throttled}`);
    for (const domain of pace.domains) lines.push(`  ${domain.domain}: configured ${domain.configuredPerMinute}/minute, current ${domain.currentPerMinute}/minute`);
  }
  if (s.waves?.length) {
    lines.push('waves (local time):');
    for (const wave of s.waves) {
      const due = wave.dueAt ? describeInstant(new Date(wave.dueAt), wave.zone, now) : 'at the start';
      lines.push(`  ${wave.zone}: due ${due}; ${wave.sent} of ${wave.total} sent${wave.failed ? `, ${wave.failed} failed` : ''}`);
    }
  }
  return lines;
}
