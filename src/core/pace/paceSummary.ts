// The Confirm overview's facts about the pace: the window, its next opening, the waves and the
// finish estimate (schedule step); the quotas, per-domain rates and warm-up (transport step). Their
// words are in facts/summaries.ts.
import type { SummaryFact } from '../facts/summaries';
import { perMinute } from '../load/rate';
import type { PacePreview, SendingOptions } from '../types';

export function paceSummary(sending: SendingOptions, preview: PacePreview | undefined, zone: string): { schedule: SummaryFact[]; transport: SummaryFact[] } {
  const schedule: SummaryFact[] = [];
  const transport: SummaryFact[] = [];
  if (sending.window) {
    schedule.push({ code: 'summary-window', args: { window: sending.window, ...(sending.localTime ? {} : { zone }) } });
    if (preview?.nextOpening && preview.nextOpening > preview.startAt) schedule.push({ code: 'summary-window-opens', args: { at: preview.nextOpening } });
  }
  if (preview?.waves) {
    schedule.push({ code: 'summary-waves', args: { waves: preview.waves.map((w) => ({ zone: w.zone, count: w.count, ...(w.dueAt ? { dueAt: w.dueAt } : {}) })) } });
    if (preview.withoutZone || preview.invalidZone) schedule.push({ code: 'summary-home-zone', args: { zone, withoutZone: preview.withoutZone ?? 0, invalidZone: preview.invalidZone ?? 0 } });
  }
  // A rate alone matters once it stretches the send beyond a minute.
  const long = preview?.finishAt !== undefined && Date.parse(preview.finishAt) - Date.parse(preview.startAt) > 60_000;
  if (preview && (sending.window || sending.quotas || sending.warmup || long)) {
    schedule.push({ code: 'summary-finish', args: preview.finishAt ? { finishAt: preview.finishAt } : { horizonDays: preview.horizonDays } });
  }
  if (sending.quotas) transport.push({ code: 'summary-quota', args: { quotas: sending.quotas.map((q) => ({ count: q.count, periodMs: q.periodMs })) } });
  if (sending.perDomain) transport.push({ code: 'summary-per-domain', args: { domains: sending.perDomain.map((d) => ({ domain: d.domain, perMinute: perMinute(d.rate) })) } });
  if (sending.warmup) transport.push({ code: 'summary-warmup', args: { start: sending.warmup.start, growth: sending.warmup.growth } });
  return { schedule, transport };
}
