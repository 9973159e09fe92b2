// State: a confirmed mailing (scheduled, sending, stopped, completed) sends its frozen snapshot; an
// edit of the file afterwards changes nothing already confirmed, and says so.
import * as path from 'node:path';
import { describeInstant } from '../schedule/when';
import type { EarlierSend } from '../state/earlierSends';
import type { Diagnostic, MailingStatus } from '../types';
import { diagnostic, plural, type CheckContext } from './context';

const CONFIRMED: Partial<Record<MailingStatus, string>> = {
  scheduled: 'it was scheduled',
  missed: 'it was scheduled',
  sending: 'it started sending',
  stopped: 'it was started',
  completed: 'it was sent',
};

export function checkState(ctx: CheckContext): Diagnostic[] {
  return [...changedSinceConfirm(ctx), ...ctx.earlierSends.slice(0, 1).map((earlier) => alreadySent(ctx, earlier))];
}

function changedSinceConfirm(ctx: CheckContext): Diagnostic[] {
  const { status, confirmedHash } = ctx.state;
  const when = CONFIRMED[status];
  if (!when || !confirmedHash || confirmedHash === ctx.contentHash) return [];
  const advice = status === 'completed' ? 'to send the new version, copy the file into a new mailing' : 'to send this version instead, stop it and confirm again';
  return [diagnostic('changed-since-confirm', 'warning', 'state', `Changed since ${when}: the confirmed version is what is sent; ${advice}`, ctx.loaded.ranges.rootRange())];
}

/** A copy, renamed or moved file of a mailing already confirmed: sending needs an explicit "again". */
function alreadySent(ctx: CheckContext, earlier: EarlierSend): Diagnostic {
  const { loaded } = ctx;
  const where = path.relative(loaded.dir, earlier.file) || path.basename(earlier.file);
  const at = (iso: string) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : describeInstant(date, ctx.timezone, ctx.now);
  };
  const total = loaded.targetList.recipients.length;
  const share = earlier.overlap === total ? `all ${plural(total, 'recipient')}` : `${earlier.overlap} of the ${plural(total, 'recipient')}`;
  const what =
    earlier.status === 'scheduled' || earlier.status === 'missed'
      ? `is scheduled for ${share}${earlier.scheduledAt ? ` at ${at(earlier.scheduledAt)}` : ''}`
      : `was ${earlier.status === 'completed' ? 'sent' : `confirmed (${earlier.status})`} to ${share} on ${at(earlier.confirmedAt)}`;
  return diagnostic(
    'already-sent',
    'error',
    'state',
    `Already sent: this mailing, with the same content, ${what}, as ${where} (state in ${earlier.stateDir}); sending it again needs an explicit choice (mailings send --now --again, or Send again in VS Code)`,
    loaded.ranges.rootRange(),
    { data: { overridable: 'again' } },
  );
}
