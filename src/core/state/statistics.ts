// Statistics and the send-state summary from a journal fold plus the lease (is anyone sending?).
import type { MailingStatus, PaceStatistics, SendStateSummary, Statistics, WaitReason, WaveStatistics } from '../types';
import type { PacePlan } from '../pace/pacePlan';
import { waveMoment } from '../pace/waves';
import { Progress, type JournalFold } from './journalFold';
import type { LeaseInfo } from './lease';

export const CRASH_REASON = 'interrupted: the sending process ended without stopping (crash or kill); Start resumes it';
export const NOT_STARTED_REASON = 'interrupted after confirming, before sending began; Start sends it';
export const RESEND_NOT_STARTED_REASON = 'interrupted after the resend was recorded, before its run began; Start sends it';

/**
 * The status a user should see. The journal says `sending` while a run is on, and also after a crash:
 * then nobody holds the lease, and the mailing is stopped for every purpose (Start resumes it).
 */
export function effectiveStatus(fold: JournalFold, sender: LeaseInfo | undefined): { status: MailingStatus; reason?: string } {
  switch (fold.status) {
    case 'confirmed':
      return sender ? { status: 'sending' } : { status: 'stopped', reason: fold.runs.length > 1 ? RESEND_NOT_STARTED_REASON : NOT_STARTED_REASON };
    case 'sending':
      return sender ? { status: 'sending' } : { status: 'stopped', reason: CRASH_REASON };
    case 'stopped':
      return { status: 'stopped', reason: fold.stoppedReason };
    // Waiting for its window (or wave, quota): nobody need hold the lease; the scheduler resumes it.
    default:
      return { status: fold.status };
  }
}

export function summaryFromFold(fold: JournalFold, sender: LeaseInfo | undefined): SendStateSummary {
  const { status } = effectiveStatus(fold, sender);
  const summary: SendStateSummary = { status };
  if (fold.scheduledAt && (status === 'scheduled' || status === 'missed')) summary.scheduledAt = fold.scheduledAt;
  const waiting = waitingOf(fold, status);
  if (waiting) summary.waiting = waiting;
  if (fold.confirmedHash) {
    summary.confirmedHash = fold.confirmedHash;
    summary.total = fold.total;
    summary.sent = fold.sent;
    summary.failed = fold.failed;
  }
  return summary;
}

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

function waitingOf(fold: JournalFold, status: MailingStatus): { reason: WaitReason; until: string } | undefined {
  return status === 'waiting' && fold.waitingUntil !== undefined && fold.waitingFor ? { reason: fold.waitingFor, until: new Date(fold.waitingUntil).toISOString() } : undefined;
}

/** The pace plan written at confirm (pace/pacePlan.ts), with each recipient's zone decoded. */
export interface PaceFacts {
  plan: PacePlan;
  zoneOf?: Uint16Array;
}

/** Configured and current rates: the controller journals every change it makes (`rate` events). */
function paceOf(fold: JournalFold, facts: PaceFacts | undefined): PaceStatistics | undefined {
  const configured = facts?.plan.ratePerSecond ?? undefined;
  if (configured === undefined && fold.rates.size === 0) return undefined;
  const perMinute = (perSecond: number) => Math.round(perSecond * 60 * 100) / 100;
  const current = fold.rates.get('') ?? configured;
  const pace: PaceStatistics = { domains: [] };
  if (configured !== undefined) pace.configuredPerMinute = perMinute(configured);
  if (current !== undefined) pace.currentPerMinute = perMinute(current);
  if (fold.throttledAt !== undefined) pace.throttledAt = new Date(fold.throttledAt).toISOString();
  for (const [domain, rate] of fold.rates) {
    if (!domain) continue;
    const own = facts?.plan.domains[domain] ?? facts?.plan.domains['*'];
    pace.domains.push({ domain, configuredPerMinute: own === undefined ? perMinute(rate) : perMinute(own), currentPerMinute: perMinute(rate) });
  }
  pace.domains.sort((a, b) => a.domain.localeCompare(b.domain));
  return pace;
}

/** One wave per zone: due at the scheduled wall-clock time there (when scheduled), and how far it got. */
function wavesOf(fold: JournalFold, facts: PaceFacts | undefined): WaveStatistics[] | undefined {
  const plan = facts?.plan;
  const zoneOf = facts?.zoneOf;
  if (!plan?.localTime || !plan.zones || !plan.counts || !zoneOf) return undefined;
  const sent = new Array<number>(plan.zones.length).fill(0);
  const failed = new Array<number>(plan.zones.length).fill(0);
  const n = Math.min(zoneOf.length, fold.total);
  for (let i = 0; i < n; i++) {
    const progress = fold.progress[i];
    if (progress === Progress.Sent) sent[zoneOf[i]]++;
    else if (progress === Progress.Failed) failed[zoneOf[i]]++;
  }
  const scheduled = fold.scheduledAt ? Date.parse(fold.scheduledAt) : NaN;
  const waves = plan.zones.map((zone, k): WaveStatistics => {
    const wave: WaveStatistics = { zone, total: plan.counts![k], sent: sent[k], failed: failed[k] };
    if (!Number.isNaN(scheduled)) wave.dueAt = new Date(waveMoment(scheduled, plan.zone, zone)).toISOString();
    return wave;
  });
  return waves.filter((wave) => wave.total > 0).sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? '') || a.zone.localeCompare(b.zone));
}

export function statisticsFromFold(fold: JournalFold, sender: LeaseInfo | undefined, now = Date.now(), facts?: PaceFacts): Statistics {
  const { status, reason } = effectiveStatus(fold, sender);
  const crashed = fold.status === 'sending' && !sender;
  // A crashed run lasted until its last event; a live one until now.
  const durationMs = fold.startedAt === undefined ? undefined : fold.activeMs(crashed ? fold.lastAt : now);
  const skipped = fold.skipped.invalid + fold.skipped.duplicate + fold.skipped.excluded;
  const suppressed = (fold.skipped.suppressed ?? 0) + fold.withdrawn;
  const stats: Statistics = {
    status,
    total: fold.total,
    sent: fold.sent,
    failed: fold.failed,
    deferred: fold.deferred,
    pending: fold.pending,
    skipped,
    // After a crash, the recipients still in flight are uncertain already (Start resends them).
    uncertain: fold.uncertain + (crashed ? fold.inFlight.size : 0),
    ratePerMinute: durationMs ? Math.round((fold.sent / durationMs) * 60_000 * 10) / 10 : 0,
    perMinute: [...fold.perMinute.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([minute, counts]) => ({ minute: new Date(minute * 60_000).toISOString(), sent: counts.sent, failed: counts.failed })),
    suppressed,
    bounced: fold.bounced,
    complained: fold.complained,
    runs: fold.runs.map((run) => ({ ...run, at: new Date(run.at).toISOString() })),
  };
  if (fold.scheduledAt && (status === 'scheduled' || status === 'missed')) stats.scheduledAt = fold.scheduledAt;
  if (fold.startedAt !== undefined) stats.startedAt = iso(fold.startedAt);
  if (fold.finishedAt !== undefined) stats.finishedAt = iso(fold.finishedAt);
  if (durationMs !== undefined) stats.durationMs = durationMs;
  if (status === 'stopped' && reason) stats.stoppedReason = reason;
  if (sender) stats.sender = { pid: sender.pid, host: sender.host, owner: sender.owner };
  const waiting = waitingOf(fold, status);
  if (waiting) stats.waiting = waiting;
  const pace = paceOf(fold, facts);
  if (pace) stats.pace = pace;
  const waves = wavesOf(fold, facts);
  if (waves) stats.waves = waves;
  if (fold.runDestination) stats.destination = fold.runDestination;
  return stats;
}

