// The pace of a send before it starts, for Confirm and the `window-too-short` check: when it would
// begin and end at the configured rate inside the window, within the quotas and the warm-up, and
// its local-time waves. Pure over the resolved values and a given "now"; remembered per input so
// that re-validating an unchanged file costs nothing.
import type { PacePreview, Recipient, SendingOptions } from '../types';
import { perSecond } from '../send/rateLimiter';
import { DAY_MS } from './handoffLog';
import { estimateFinish, type EstimateGroup } from './estimate';
import { groupByZone, waveMoment, type ZoneGroups } from './waves';
import { SendWindow } from './window';

export interface PreviewInput {
  recipients: readonly Recipient[];
  sending: SendingOptions;
  /** The mailing's zone. */
  zone: string;
  /** The schedule resolved, when there is one. */
  scheduleAt?: Date;
  now: Date;
  /** How far the estimate looks. */
  horizonDays: number;
}

const groupsByList = new WeakMap<readonly Recipient[], { zone: string; groups: ZoneGroups }>();

function zoneGroups(recipients: readonly Recipient[], zone: string): ZoneGroups {
  const known = groupsByList.get(recipients);
  if (known?.zone === zone) return known.groups;
  const groups = groupByZone(recipients, zone);
  groupsByList.set(recipients, { zone, groups });
  return groups;
}

/** How far Confirm's estimate looks at least. */
export const PREVIEW_HORIZON_DAYS = 60;

const previews = new Map<string, PacePreview>();
/** An estimate is kept for a minute: "about Thu 20:14" does not change faster. */
const REUSE_MS = 60_000;

export function pacePreview(input: PreviewInput): PacePreview {
  const { sending, zone, recipients } = input;
  const now = input.now.getTime();
  const scheduled = input.scheduleAt && input.scheduleAt.getTime() > now ? input.scheduleAt.getTime() : undefined;
  const local = sending.localTime ? zoneGroups(recipients, zone) : undefined;
  const groups: EstimateGroup[] = local
    ? local.zones.map((groupZone, k) => ({ count: local.counts[k], zone: groupZone, dueAt: scheduled === undefined ? 0 : waveMoment(scheduled, zone, groupZone) }))
    : [{ count: recipients.length, zone, dueAt: 0 }];
  const start = local ? now : (scheduled ?? now);
  const key = JSON.stringify([Math.floor(now / REUSE_MS), start === now ? 0 : start, zone, groups, sending.rate, sending.window, sending.quotas, sending.warmup, input.horizonDays]);
  const known = previews.get(key);
  if (known) return known;

  const estimate = estimateFinish({
    start,
    groups,
    ratePerSecond: sending.rate ? perSecond(sending.rate) : Infinity,
    window: sending.window,
    quotas: sending.quotas,
    warmup: sending.warmup,
    horizonMs: input.horizonDays * DAY_MS,
  });
  const beginsAt = estimate.firstAt ?? start;
  const preview: PacePreview = { startAt: new Date(start).toISOString(), horizonDays: input.horizonDays, quotas: (sending.quotas ?? []).map((quota) => quota.text) };
  if (sending.window) {
    const opening = new SendWindow(sending.window, zone).nextOpening(start);
    if (opening !== undefined) preview.nextOpening = new Date(opening).toISOString();
  }
  if (estimate.finishAt !== undefined) preview.finishAt = new Date(Math.max(estimate.finishAt, beginsAt)).toISOString();
  if (sending.rate) preview.ratePerMinute = Math.round(perSecond(sending.rate) * 60 * 100) / 100;
  if (sending.warmup) preview.warmup = sending.warmup;
  if (local) {
    preview.waves = groups
      .filter((group) => group.count > 0)
      .map((group) => ({ zone: group.zone, count: group.count, ...(scheduled === undefined ? {} : { dueAt: new Date(Math.max(now, group.dueAt)).toISOString() }) }))
      .sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? '') || a.zone.localeCompare(b.zone));
    preview.withoutZone = local.withoutZone;
    preview.invalidZone = local.invalid;
  }
  if (previews.size > 64) previews.clear();
  previews.set(key, preview);
  return preview;
}
