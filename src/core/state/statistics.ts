// Statistics and the send-state summary from a journal fold plus the lease (is anyone sending?).
import type { MailingStatus, SendStateSummary, Statistics } from '../types';
import type { JournalFold } from './journalFold';
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
    default:
      return { status: fold.status };
  }
}

export function summaryFromFold(fold: JournalFold, sender: LeaseInfo | undefined): SendStateSummary {
  const { status } = effectiveStatus(fold, sender);
  const summary: SendStateSummary = { status };
  if (fold.scheduledAt && (status === 'scheduled' || status === 'missed')) summary.scheduledAt = fold.scheduledAt;
  if (fold.confirmedHash) {
    summary.confirmedHash = fold.confirmedHash;
    summary.total = fold.total;
    summary.sent = fold.sent;
    summary.failed = fold.failed;
  }
  return summary;
}

const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

export function statisticsFromFold(fold: JournalFold, sender: LeaseInfo | undefined, now = Date.now()): Statistics {
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
  if (fold.runDestination) stats.destination = fold.runDestination;
  return stats;
}

