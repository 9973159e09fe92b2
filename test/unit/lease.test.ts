import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { acquireLease, LeaseHeldError, readLiveLease } from '../../src/core/state/lease';
import { LEASE_FILE } from '../../src/core/state/paths';

/** A pid that is certainly dead: a child that has exited. */
function deadPid(): number {
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(result.stdout.toString());
}

describe('lease', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-lease-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('lets one holder in and refuses a second, saying who holds it', async () => {
    const lease = await acquireLease(dir, 'VS Code window 1');
    assert.equal(lease.info.pid, process.pid);
    assert.equal(lease.info.host, os.hostname());
    await assert.rejects(acquireLease(dir, 'cli'), (error: unknown) => {
      assert.ok(error instanceof LeaseHeldError);
      assert.equal(error.holder.owner, 'VS Code window 1');
      assert.match(error.message, /VS Code window 1 \(pid \d+ on .+, last heartbeat /);
      return true;
    });
    assert.equal((await readLiveLease(dir))?.token, lease.info.token);
    await lease.release();
    assert.equal(await readLiveLease(dir), undefined);
    const again = await acquireLease(dir, 'cli');
    await again.release();
  });

  it('exactly one of many simultaneous takers wins', async () => {
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, k) => acquireLease(dir, `taker ${k}`)));
    const won = results.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1);
    assert.ok(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof LeaseHeldError));
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLease>>>).value.release();
  });

  it('exactly one of many simultaneous takers takes over a stale lease, round after round', async () => {
    // One round rarely shows a race; many rounds did (two winners, before removal was claimed per inode).
    const crashed = deadPid();
    for (let round = 0; round < 40; round++) {
      await fs.writeFile(path.join(dir, LEASE_FILE), JSON.stringify({ token: 'old', pid: crashed, host: os.hostname(), owner: 'crashed', acquiredAt: '' }));
      const results = await Promise.allSettled(Array.from({ length: 12 }, (_, k) => acquireLease(dir, `taker ${k}`)));
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1, `round ${round}`);
      assert.ok(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof LeaseHeldError));
      const winner = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLease>>>).value;
      assert.equal((await readLiveLease(dir))?.token, winner.info.token, `round ${round}`);
      await winner.release();
      assert.deepEqual(await fs.readdir(dir), [], 'no pins or claims are left behind');
    }
  });

  it('clears a removal claim left by a process that crashed while taking over', async () => {
    const file = path.join(dir, LEASE_FILE);
    await fs.writeFile(file, JSON.stringify({ token: 'old', pid: deadPid(), host: os.hostname(), owner: 'crashed', acquiredAt: '' }));
    const { ino } = await fs.stat(file);
    await fs.writeFile(`${file}.claim-${ino}`, JSON.stringify({ pid: deadPid(), host: os.hostname() }));
    const lease = await acquireLease(dir, 'cli');
    assert.equal((await readLiveLease(dir))?.token, lease.info.token);
    await lease.release();
    assert.deepEqual(await fs.readdir(dir), []);
  });

  it('takes over the lease of a dead process on this host', async () => {
    const pid = deadPid();
    await fs.writeFile(path.join(dir, LEASE_FILE), JSON.stringify({ token: 'old', pid, host: os.hostname(), owner: 'crashed cli', acquiredAt: new Date().toISOString() }));
    assert.equal(await readLiveLease(dir), undefined, 'a dead holder is no holder');
    const lease = await acquireLease(dir, 'cli');
    assert.notEqual(lease.info.token, 'old');
    await lease.release();
  });

  it('takes over a lease whose heartbeat is too old (another host), never a fresh one', async () => {
    const file = path.join(dir, LEASE_FILE);
    await fs.writeFile(file, JSON.stringify({ token: 'remote', pid: 1, host: 'another-host', owner: 'elsewhere', acquiredAt: new Date().toISOString() }));
    await assert.rejects(acquireLease(dir, 'cli', { staleMs: 60_000 }), LeaseHeldError);
    const old = new Date(Date.now() - 120_000);
    await fs.utimes(file, old, old);
    const lease = await acquireLease(dir, 'cli', { staleMs: 60_000 });
    assert.equal((await readLiveLease(dir))?.token, lease.info.token);
    await lease.release();
  });

  it('treats a lease file being written (no content yet) as held until it is old', async () => {
    const file = path.join(dir, LEASE_FILE);
    await fs.writeFile(file, '');
    await assert.rejects(acquireLease(dir, 'cli'), LeaseHeldError);
    const old = new Date(Date.now() - 120_000);
    await fs.utimes(file, old, old);
    const lease = await acquireLease(dir, 'cli');
    await lease.release();
  });

  it('renews its heartbeat and notices when another process took it over', async () => {
    const lease = await acquireLease(dir, 'slow', { staleMs: 60_000 });
    const file = path.join(dir, LEASE_FILE);
    const old = new Date(Date.now() - 50_000);
    await fs.utimes(file, old, old);
    assert.ok(await lease.renew());
    assert.ok(Date.now() - (await fs.stat(file)).mtimeMs < 10_000, 'heartbeat renewed');
    // It stalled past the timeout and someone else took over.
    const older = new Date(Date.now() - 120_000);
    await fs.utimes(file, older, older);
    const other = await acquireLease(dir, 'taker', { staleMs: 60_000 });
    let lost = false;
    lease.onLost(() => (lost = true));
    assert.equal(await lease.renew(), false);
    assert.ok(lost);
    await lease.release();
    assert.equal((await readLiveLease(dir))?.token, other.info.token, 'releasing a lost lease leaves the new holder alone');
    await other.release();
  });
});
