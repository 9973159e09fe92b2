// One scheduler per state root: the processes that share a state root (VS Code windows, an old and a
// new extension host, `mailings run`) elect a leader, and only the leader polls and arms timers.
// Leadership is the same lease a mailing's sender holds (core/state/lease: O_EXCL create, heartbeat,
// stale takeover), kept in the state root's `scheduler/` folder. Followers try again every `retryMs`,
// so a dead leader is replaced within about one retry period (at once when its pid is dead on this
// host, after `staleMs` when it is on another host or hung). Two leaders may overlap briefly (a
// heartbeat not yet noticed as lost); the per-mailing lease still lets only one of them send.
import * as path from 'node:path';
import { acquireLease, LeaseHeldError, readLiveLease, type Lease, type LeaseInfo } from '../state/lease';

/** The folder in the state root whose lease names the scheduler leader. */
export const SCHEDULER_DIR = 'scheduler';

export interface LeaderElectionOptions {
  stateRoot: string;
  /** Who we are, written in the lease ("VS Code window 1234", "mailings run"). */
  owner: string;
  /** How often a follower tries to become leader. */
  retryMs: number;
  /** A leader whose heartbeat is older than this is replaced (default: the lease's default, 30 s). */
  staleMs?: number;
  /** Called when this process becomes leader (true) or stops being leader (false). */
  onChange?: (leader: boolean) => void;
  /** Called when an attempt fails for another reason than a live leader (a disk error). */
  onError?: (error: unknown) => void;
}

export function schedulerLeaseDir(stateRoot: string): string {
  return path.join(stateRoot, SCHEDULER_DIR);
}

/** Who leads the scheduling of a state root now, if anyone. */
export async function readSchedulerLeader(stateRoot: string, staleMs?: number): Promise<LeaseInfo | undefined> {
  return readLiveLease(schedulerLeaseDir(stateRoot), staleMs === undefined ? {} : { staleMs });
}

export class LeaderElection {
  private lease?: Lease;
  private timer?: NodeJS.Timeout;
  private attempt?: Promise<void>;
  private running = false;

  constructor(private readonly options: LeaderElectionOptions) {}

  get isLeader(): boolean {
    return this.lease !== undefined && !this.lease.lost;
  }

  /** Starts campaigning: one attempt now (awaited), then one every retryMs while a follower. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.tryOnce();
    this.timer = setInterval(() => void this.tryOnce(), this.options.retryMs);
  }

  /** Stops campaigning and gives up leadership (the lease file is removed, so a follower takes over at once). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.attempt;
    const lease = this.lease;
    this.lease = undefined;
    if (lease) {
      await lease.release();
      this.options.onChange?.(false);
    }
  }

  /** One attempt to become leader; serialized so a slow disk never makes two attempts overlap. */
  tryOnce(): Promise<void> {
    if (!this.attempt) {
      this.attempt = this.campaign().finally(() => (this.attempt = undefined));
    }
    return this.attempt;
  }

  private async campaign(): Promise<void> {
    if (!this.running || this.isLeader) return;
    const { staleMs } = this.options;
    let lease: Lease;
    try {
      lease = await acquireLease(schedulerLeaseDir(this.options.stateRoot), this.options.owner, staleMs === undefined ? {} : { staleMs });
    } catch (error) {
      if (!(error instanceof LeaseHeldError)) this.options.onError?.(error);
      return;
    }
    if (!this.running) {
      await lease.release();
      return;
    }
    this.lease = lease;
    lease.onLost(() => {
      if (this.lease !== lease) return;
      this.lease = undefined;
      this.options.onChange?.(false);
    });
    lease.startHeartbeat();
    this.options.onChange?.(true);
  }
}
