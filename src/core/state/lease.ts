// The lease: which process may act on a mailing now (only one sends it: several VS Code windows, the
// CLI beside them). A file `lease` in the mailing's state folder, created with O_EXCL so exactly one
// creator wins; its mtime is the heartbeat, renewed while the holder runs. A lease is stale when its
// pid is dead on this host or its heartbeat is older than `staleMs`; a stale lease is removed and
// created anew. Removing is the delicate part: many takers may see the same stale lease at once, and
// none may ever remove the fresh lease one of them has just created. So every removal (takeover and
// release) first pins the inode it judges with a hard link (the inode cannot vanish or be reused
// while pinned), then holds that inode's claim file (created O_EXCL, one holder per inode), and only
// then unlinks the lease path if it still is that inode. Only a claim holder unlinks, so the path
// cannot change between that last look and the unlink.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LeaseInfo } from '../types';
import { LEASE_FILE } from './paths';

export type { LeaseInfo };

export const DEFAULT_LEASE_STALE_MS = 30_000;
export const DEFAULT_HEARTBEAT_MS = 5_000;


export interface LeaseOptions {
  staleMs?: number;
  heartbeatMs?: number;
  /**
   * Sync the lease file when it is created (default true). A lock held for milliseconds (the quota
   * ledger's) need not survive a power cut, which ends every holder anyway; skipping the two syncs
   * makes taking and releasing it about a hundred times cheaper.
   */
  durable?: boolean;
}

/** Another live process holds the lease. */
export class LeaseHeldError extends Error {
  constructor(readonly holder: LeaseInfo) {
    super(`the mailing is being handled by ${describeHolder(holder)}`);
    this.name = 'LeaseHeldError';
  }
}

/**
 * Every attempt to take the lease found it taken and then gone again: other takers acquire and
 * release it faster than this one gets a turn (a lock held for milliseconds by many processes, like
 * the quota ledger's). Nobody holds it for long: a caller of such a lock tries again.
 */
export class LeaseContendedError extends Error {
  constructor(readonly file: string) {
    super(`could not take the lease ${file}: it keeps changing hands`);
    this.name = 'LeaseContendedError';
  }
}

export function describeHolder(holder: Pick<LeaseInfo, 'owner' | 'pid' | 'host' | 'heartbeat'>): string {
  return `${holder.owner || 'another process'} (pid ${holder.pid} on ${holder.host}, last heartbeat ${holder.heartbeat})`;
}

interface LeaseFileState {
  info?: LeaseInfo;
  ino: number;
  mtimeMs: number;
}

async function statLease(file: string): Promise<LeaseFileState | undefined> {
  let text: string;
  let stat: import('node:fs').Stats;
  try {
    stat = await fs.stat(file);
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const heartbeat = new Date(stat.mtimeMs).toISOString();
  try {
    const value = JSON.parse(text) as Partial<LeaseInfo>;
    if (typeof value.token === 'string' && typeof value.pid === 'number' && typeof value.host === 'string') {
      return {
        ino: stat.ino,
        mtimeMs: stat.mtimeMs,
        info: { token: value.token, pid: value.pid, host: value.host, owner: String(value.owner ?? ''), acquiredAt: String(value.acquiredAt ?? heartbeat), heartbeat },
      };
    }
  } catch {
    // A lease being written right now (created, content not yet there) or torn by a crash while creating.
  }
  return { ino: stat.ino, mtimeMs: stat.mtimeMs };
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(state: LeaseFileState, now: number, staleMs: number): boolean {
  if (now - state.mtimeMs > staleMs) return true;
  const info = state.info;
  return info !== undefined && info.host === os.hostname() && !isProcessAlive(info.pid);
}

/** The live holder of a mailing's lease, if any (a stale lease is no holder). */
export async function readLiveLease(stateDir: string, options: LeaseOptions = {}): Promise<LeaseInfo | undefined> {
  const state = await statLease(path.join(stateDir, LEASE_FILE));
  if (!state || isStale(state, Date.now(), options.staleMs ?? DEFAULT_LEASE_STALE_MS)) return undefined;
  return state.info ?? unknownHolder(state);
}

function unknownHolder(state: LeaseFileState): LeaseInfo {
  const at = new Date(state.mtimeMs).toISOString();
  return { token: '', pid: 0, host: 'unknown', owner: 'a process that is taking the lease', acquiredAt: at, heartbeat: at };
}

/** A held lease: renews its heartbeat until released; tells when another process took it. */
export class Lease {
  private timer?: NodeJS.Timeout;
  private lostHandlers: (() => void)[] = [];
  private released = false;
  lost = false;

  constructor(
    readonly stateDir: string,
    readonly info: LeaseInfo,
    private readonly heartbeatMs: number,
    private readonly durable = true,
  ) {}

  get file(): string {
    return path.join(this.stateDir, LEASE_FILE);
  }

  /** Renews the heartbeat every heartbeatMs (timer unref'd: it never keeps a process alive). */
  startHeartbeat(): void {
    if (this.timer || this.released) return;
    this.timer = setInterval(() => void this.renew(), this.heartbeatMs);
    this.timer.unref();
  }

  onLost(handler: () => void): void {
    this.lostHandlers.push(handler);
  }

  /** Touches the heartbeat; false (and the lost handlers run) when the lease is no longer ours. */
  async renew(): Promise<boolean> {
    if (this.released || this.lost) return !this.lost;
    const state = await statLease(this.file).catch(() => undefined);
    if (this.released) return true;
    if (!state?.info || state.info.token !== this.info.token) {
      this.markLost();
      return false;
    }
    const now = new Date();
    await fs.utimes(this.file, now, now).catch(() => undefined);
    return true;
  }

  private markLost(): void {
    if (this.lost) return;
    this.lost = true;
    this.stopHeartbeat();
    for (const handler of this.lostHandlers) handler();
  }

  private stopHeartbeat(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Removes the lease file if it is still ours. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.stopHeartbeat();
    await removeLeaseIf(this.file, (state) => state.info?.token === this.info.token, this.durable).catch(() => undefined);
  }
}

/**
 * Takes the lease of a mailing's state folder for `owner`, or throws LeaseHeldError naming the live
 * holder. Call `startHeartbeat()` on the result when holding it for long (a send).
 */
export async function acquireLease(stateDir: string, owner: string, options: LeaseOptions = {}): Promise<Lease> {
  const staleMs = options.staleMs ?? DEFAULT_LEASE_STALE_MS;
  const durable = options.durable ?? true;
  const heartbeatMs = options.heartbeatMs ?? Math.min(DEFAULT_HEARTBEAT_MS, Math.max(50, Math.floor(staleMs / 4)));
  const file = path.join(stateDir, LEASE_FILE);
  await fs.mkdir(stateDir, { recursive: true });
  // A lease file with no content yet is being written by its creator: give it a moment, so the
  // refusal can say who holds it.
  const unreadableUntil = Date.now() + 1_000;
  for (let round = 0; round < 100; round++) {
    const info: LeaseInfo = {
      token: randomBytes(9).toString('base64url'),
      pid: process.pid,
      host: os.hostname(),
      owner,
      acquiredAt: new Date().toISOString(),
      heartbeat: new Date().toISOString(),
    };
    if (await createExclusive(file, JSON.stringify(info) + '\n', durable)) return new Lease(stateDir, info, heartbeatMs, durable);
    const current = await statLease(file);
    if (!current) continue; // released between our create and our look: try again
    if (!isStale(current, Date.now(), staleMs)) {
      if (!current.info && Date.now() < unreadableUntil) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      throw new LeaseHeldError(current.info ?? unknownHolder(current));
    }
    if ((await removeLeaseIf(file, (state) => isStale(state, Date.now(), staleMs), durable)) === 'busy') {
      // Another taker is removing this very lease; it finishes in a moment.
      await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 8));
    }
  }
  throw new LeaseContendedError(file);
}

async function createExclusive(file: string, content: string, durable = true): Promise<boolean> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await fs.open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
    if (durable) await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/** A claim left by a process that crashed while removing a lease; a removal takes milliseconds. */
const CLAIM_ABANDONED_MS = 10_000;

/**
 * Unlinks the lease at `file` if the inode there satisfies `judge`, never any other inode (see the
 * header comment). 'busy' when another process is removing that inode right now.
 */
async function removeLeaseIf(file: string, judge: (state: LeaseFileState) => boolean, durable = true): Promise<'removed' | 'kept' | 'busy'> {
  const pin = `${file}.pin-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.link(file, pin);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'kept';
    throw error;
  }
  try {
    const pinned = await statLease(pin);
    if (!pinned || !judge(pinned)) return 'kept';
    const claim = `${file}.claim-${pinned.ino}`;
    if (!(await createExclusive(claim, JSON.stringify({ pid: process.pid, host: os.hostname() }), durable))) {
      await clearAbandonedClaim(claim);
      return 'busy';
    }
    try {
      const current = await fs.stat(file).catch(() => undefined);
      if (current?.ino !== pinned.ino) return 'kept';
      await fs.rm(file, { force: true });
      return 'removed';
    } finally {
      await fs.rm(claim, { force: true });
    }
  } finally {
    await fs.rm(pin, { force: true });
  }
}

async function clearAbandonedClaim(claim: string): Promise<void> {
  try {
    const stat = await fs.stat(claim);
    let holder: { pid?: unknown; host?: unknown } = {};
    try {
      holder = JSON.parse(await fs.readFile(claim, 'utf8')) as typeof holder;
    } catch {
      // Being written (or torn by a crash): only its age can tell.
    }
    const dead = holder.host === os.hostname() && typeof holder.pid === 'number' && !isProcessAlive(holder.pid);
    if (dead || Date.now() - stat.mtimeMs > CLAIM_ABANDONED_MS) await fs.rm(claim, { force: true });
  } catch {
    // Gone already: its holder finished.
  }
}
