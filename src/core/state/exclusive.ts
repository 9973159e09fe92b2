// A short critical section across processes: the lease of lease.ts (O_EXCL create, stale when its
// process died), waited for instead of refused. For work that takes milliseconds — rewriting a small
// file — where the caller would rather wait for the other process than fail.
import { acquireLease, describeHolder, LeaseHeldError, type Lease, type LeaseInfo } from './lease';

export interface ExclusiveOptions {
  /** How long to wait for the other holder (default 10 s). */
  timeoutMs?: number;
  /** When a holder that stopped renewing counts as gone (default 30 s: lease.ts). */
  staleMs?: number;
  /** Renew the lease while `work` runs (work that may take longer than a waiter's staleMs). */
  heartbeat?: boolean;
}

export class ExclusiveTimeoutError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: LeaseInfo,
  ) {
    super(`${dir} stayed locked by ${describeHolder(holder)}`);
    this.name = 'ExclusiveTimeoutError';
  }
}

/** Runs `work` while holding the lease in `dir`, waiting for it as long as `timeoutMs`. */
export async function withExclusive<T>(dir: string, owner: string, work: () => Promise<T>, options: ExclusiveOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    let lease: Lease;
    try {
      lease = await acquireLease(dir, owner, { staleMs: options.staleMs });
    } catch (error) {
      if (!(error instanceof LeaseHeldError)) throw error;
      if (Date.now() >= deadline) throw new ExclusiveTimeoutError(dir, error.holder);
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
      continue;
    }
    if (options.heartbeat) lease.startHeartbeat();
    try {
      return await work();
    } finally {
      await lease.release();
    }
  }
}
