// Every mailing's target list without the workspace's suppression list: the addresses on it are left
// out and counted as suppressed (skipped.suppressed, and one `leftOut` row each), never silently. The
// loaded list is shared and read-only (load/loadMailing.ts), so the result is a new list, kept per
// pair of loaded list and suppression set: validating again, with neither changed, costs a lookup.
import type { TargetList } from '../types';
import type { SuppressionSet } from './suppressionList';

const applied = new WeakMap<TargetList, { set: SuppressionSet; list: TargetList }>();

/** The target list without the suppressed addresses (the same object when none of them is on it). */
export function withoutSuppressed(list: TargetList, set: SuppressionSet): TargetList {
  if (set.size === 0) return list;
  const known = applied.get(list);
  if (known?.set === set) return known.list;
  const recipients = [];
  const leftOut = [...(list.leftOut ?? [])];
  let suppressed = 0;
  for (const recipient of list.recipients) {
    if (set.has(recipient.email)) {
      suppressed++;
      leftOut.push({ email: recipient.email, reason: 'suppressed' });
    } else recipients.push(recipient);
  }
  const result: TargetList = suppressed === 0 ? list : { ...list, recipients, skipped: { ...list.skipped, suppressed }, leftOut };
  applied.set(list, { set, list: result });
  return result;
}
