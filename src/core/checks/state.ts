// State: a confirmed mailing (scheduled, sending, stopped, completed) sends its frozen snapshot; an
// edit of the file afterwards changes nothing already confirmed, and says so.
import type { Diagnostic, MailingStatus } from '../types';
import { diagnostic, type CheckContext } from './context';

const CONFIRMED: Partial<Record<MailingStatus, string>> = {
  scheduled: 'it was scheduled',
  missed: 'it was scheduled',
  sending: 'it started sending',
  stopped: 'it was started',
  completed: 'it was sent',
};

export function checkState(ctx: CheckContext): Diagnostic[] {
  const { status, confirmedHash } = ctx.state;
  const when = CONFIRMED[status];
  if (!when || !confirmedHash || confirmedHash === ctx.contentHash) return [];
  const advice = status === 'completed' ? 'to send the new version, copy the file into a new mailing' : 'to send this version instead, stop it and confirm again';
  return [diagnostic('changed-since-confirm', 'warning', 'state', `Changed since ${when}: the confirmed version is what is sent; ${advice}`, ctx.loaded.ranges.rootRange())];
}
