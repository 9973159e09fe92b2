// What the statistics need to know about a confirmed mailing's pace without reading its snapshot
// (which can be megabytes): the configured rates and, with local-time waves, each recipient's zone.
// Written once when the mailing is confirmed, beside the snapshot (`pace.json`); read back cached by
// its stamp.
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../state/atomicWrite';
import type { ResolvedMailing } from '../types';
import { perSecond } from '../send/rateLimiter';
import { groupByZone } from './waves';

export const PACE_PLAN_FILE = 'pace.json';

export interface PacePlan {
  version: 1;
  /** `sending.rate` in messages per second (null: no cap). */
  ratePerSecond: number | null;
  /** `sending.perDomain`, messages per second by domain (`*`: each other domain). */
  domains: Record<string, number>;
  /** The mailing's zone. */
  zone: string;
  localTime: boolean;
  /** With localTime: the zones (index 0 the mailing's), recipients per zone, and each recipient's zone index (base64 of a Uint16Array). */
  zones?: string[];
  counts?: number[];
  withoutZone?: number;
  invalidZone?: number;
  zoneOf?: string;
}

export function pacePlanOf(mailing: ResolvedMailing): PacePlan {
  const { sending } = mailing;
  const plan: PacePlan = {
    version: 1,
    ratePerSecond: sending.rate ? perSecond(sending.rate) : null,
    domains: Object.fromEntries((sending.perDomain ?? []).map((entry) => [entry.domain, perSecond(entry.rate)])),
    zone: mailing.timezone,
    localTime: sending.localTime === true,
  };
  if (plan.localTime) {
    const groups = groupByZone(mailing.targetList.recipients, mailing.timezone);
    plan.zones = groups.zones;
    plan.counts = groups.counts;
    plan.withoutZone = groups.withoutZone;
    plan.invalidZone = groups.invalid;
    plan.zoneOf = Buffer.from(groups.zoneOf.buffer, groups.zoneOf.byteOffset, groups.zoneOf.byteLength).toString('base64');
  }
  return plan;
}

export async function writePacePlan(stateDir: string, plan: PacePlan): Promise<void> {
  await writeFileAtomic(path.join(stateDir, PACE_PLAN_FILE), JSON.stringify(plan));
}

/** Each recipient's zone index of a plan with waves. */
export function zoneIndexOf(plan: PacePlan): Uint16Array | undefined {
  if (!plan.zoneOf) return undefined;
  const bytes = Buffer.from(plan.zoneOf, 'base64');
  const copy = new Uint8Array(bytes.length - (bytes.length % 2));
  copy.set(bytes.subarray(0, copy.length));
  return new Uint16Array(copy.buffer);
}

const cache = new Map<string, { stamp: string; plan: PacePlan | undefined; zoneOf?: Uint16Array }>();

/** The pace plan of a confirmed mailing (undefined before it is confirmed, or for one confirmed before plans existed). */
export async function readPacePlan(stateDir: string): Promise<{ plan: PacePlan; zoneOf?: Uint16Array } | undefined> {
  const file = path.join(stateDir, PACE_PLAN_FILE);
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return undefined;
  const stamp = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  const known = cache.get(file);
  if (known?.stamp === stamp) return known.plan ? { plan: known.plan, zoneOf: known.zoneOf } : undefined;
  let plan: PacePlan | undefined;
  try {
    const value = JSON.parse(await fs.readFile(file, 'utf8')) as PacePlan;
    plan = value && value.version === 1 ? value : undefined;
  } catch {
    plan = undefined;
  }
  const zoneOf = plan ? zoneIndexOf(plan) : undefined;
  if (cache.size > 200) cache.clear();
  cache.set(file, { stamp, plan, zoneOf });
  return plan ? { plan, zoneOf } : undefined;
}
