// State: a confirmed mailing (scheduled, sending, stopped, completed) sends its frozen snapshot; an
// edit of the file afterwards changes nothing already confirmed, and says so. A copy, a renamed or a
// moved file of a confirmed mailing is recognised (state/earlierSends.ts) before it is sent again.
import * as path from 'node:path';
import type { EarlierSend } from '../state/earlierSends';
import type { Diagnostic } from '../types';
import { diagnostic, type CheckContext } from './context';

export function checkState(ctx: CheckContext): Diagnostic[] {
  return [...stateUnreadable(ctx), ...changedSinceConfirm(ctx), ...ctx.earlierSends.slice(0, 1).map((earlier) => alreadySent(ctx, earlier))];
}

/** A state that cannot be read is no draft: it may say everyone was sent (an archive gone, a folder not readable). */
function stateUnreadable(ctx: CheckContext): Diagnostic[] {
  if (ctx.stateUnreadable === undefined) return [];
  return [diagnostic('state-unreadable', 'error', 'state', { detail: ctx.stateUnreadable }, ctx.loaded.ranges.rootRange())];
}

function changedSinceConfirm(ctx: CheckContext): Diagnostic[] {
  const { status, confirmedHash } = ctx.state;
  if (status === 'draft' || !confirmedHash || confirmedHash === ctx.contentHash) return [];
  return [diagnostic('changed-since-confirm', 'warning', 'state', { status }, ctx.loaded.ranges.rootRange())];
}

/** A copy, renamed or moved file of a mailing already confirmed: sending needs an explicit "again". */
function alreadySent(ctx: CheckContext, earlier: EarlierSend): Diagnostic {
  const { loaded } = ctx;
  const args = {
    status: earlier.status,
    file: path.relative(loaded.dir, earlier.file) || path.basename(earlier.file),
    stateDir: earlier.stateDir,
    confirmedAt: earlier.confirmedAt,
    ...(earlier.scheduledAt ? { scheduledAt: earlier.scheduledAt } : {}),
    overlap: earlier.overlap,
    total: loaded.targetList.recipients.length,
  };
  return diagnostic('already-sent', 'error', 'state', args, loaded.ranges.rootRange(), { data: { overridable: 'again' } });
}
