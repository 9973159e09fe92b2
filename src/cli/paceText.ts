// How the CLI words the pace of a send: what a waiting mailing waits for and until when, the
// configured and current rate, and the local-time waves. Moments through the one Formatter, in the
// machine's zone (a wave's in its own); in the command's language (words.ts).
import type { Statistics, WaitReason } from '../core/index';
import { formatterFor } from './text';
import { cliWords, type CliWords } from './words';

/** "its send window: goes on Tue 8 Dec 2026 18:00 CET, in 3 hours" */
export function describeWait(reason: WaitReason, until: string | Date, w: CliWords = cliWords()): string {
  return w.goesOn(w.waitingFor[reason], formatterFor(w.lang).moment(until));
}

/** Lines for `status`: the rates and the waves, when there are any. */
export function paceLines(s: Statistics, w: CliWords = cliWords()): string[] {
  const f = formatterFor(w.lang);
  const lines: string[] = [];
  if (s.waiting) lines.push(w.waiting(describeWait(s.waiting.reason, s.waiting.until, w)));
  const pace = s.pace;
  if (pace) {
    const rate = (perMinute: number | undefined) => (perMinute === undefined ? w.noCap : w.ratePerMinute(f.decimal(perMinute)));
    const lowered = pace.throttledAt ? w.lowered(f.instant(pace.throttledAt)) : '';
    lines.push(w.rate(rate(pace.configuredPerMinute), rate(pace.currentPerMinute), lowered));
    for (const domain of pace.domains) lines.push(w.domainRate(domain.domain, rate(domain.configuredPerMinute), rate(domain.currentPerMinute)));
  }
  if (s.waves?.length) {
    lines.push(w.waves);
    for (const wave of s.waves) {
      const due = wave.dueAt ? formatterFor(w.lang, wave.zone).moment(wave.dueAt) : w.atTheStart;
      lines.push(w.wave(wave.zone, due, wave.sent, wave.total, wave.failed));
    }
  }
  return lines;
}
