import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { LeaderElection, readSchedulerLeader } from '../../src/core/schedule/leader';

const CHILD = path.join(__dirname, '..', 'support', 'leaderChild.js');

interface Child {
  process: ChildProcess;
  /** Resolves with the next line matching the predicate. */
  next(predicate: (message: { leader?: boolean; ready?: boolean }) => boolean): Promise<void>;
}

function startChild(stateRoot: string, retryMs: number): Child {
  const child = spawn(process.execPath, [CHILD, stateRoot, String(retryMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const waiting: { predicate: (m: { leader?: boolean; ready?: boolean }) => boolean; resolve: () => void }[] = [];
  const seen: { leader?: boolean; ready?: boolean }[] = [];
  lines.on('line', (line) => {
    const message = JSON.parse(line) as { leader?: boolean; ready?: boolean };
    seen.push(message);
    for (const w of [...waiting]) {
      if (w.predicate(message)) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  return {
    process: child,
    next: (predicate) =>
      new Promise<void>((resolve, reject) => {
        if (seen.some(predicate)) return resolve();
        waiting.push({ predicate, resolve });
        child.once('exit', (code) => reject(new Error(`child exited (${code}) before the expected message`)));
      }),
  };
}

/** The leadership changes of one election, recorded, with a way to await the next one to a value. */
class Changes {
  readonly seen: boolean[] = [];
  private waiting: { leader: boolean; resolve: () => void }[] = [];
  readonly record = (leader: boolean): void => {
    this.seen.push(leader);
    for (const w of this.waiting.filter((w) => w.leader === leader)) w.resolve();
    this.waiting = this.waiting.filter((w) => w.leader !== leader);
  };
  becomes(leader: boolean): Promise<void> {
    if (this.seen.includes(leader)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ leader, resolve }));
  }
}

describe('scheduler leader election (one scheduler per state root)', () => {
  let stateRoot: string;
  const cleanup: (() => Promise<void> | void)[] = [];

  beforeEach(async () => {
    stateRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-leader-'));
  });
  afterEach(async () => {
    for (const undo of cleanup.splice(0).reverse()) await undo();
    await fs.rm(stateRoot, { recursive: true, force: true });
  });

  function election(owner: string, changes: Changes): LeaderElection {
    // A short stale time makes the heartbeat (a quarter of it) notice a lost lease quickly.
    const e = new LeaderElection({ stateRoot, owner, retryMs: 50, staleMs: 2000, onChange: changes.record });
    cleanup.push(() => e.stop());
    return e;
  }

  it('elects exactly one of several candidates, and the next one when the leader stops', async () => {
    const changes = [new Changes(), new Changes(), new Changes()];
    const candidates = changes.map((c, i) => election(`candidate ${i}`, c));
    await Promise.all(candidates.map((c) => c.start()));
    assert.equal(candidates.filter((c) => c.isLeader).length, 1);
    const leader = candidates.find((c) => c.isLeader)!;
    const holder = await readSchedulerLeader(stateRoot);
    assert.equal(holder?.pid, process.pid);
    assert.equal(holder?.owner, `candidate ${candidates.indexOf(leader)}`);

    await leader.stop();
    const others = candidates.filter((c) => c !== leader);
    await Promise.race(others.map((c) => changes[candidates.indexOf(c)].becomes(true)));
    assert.equal(others.filter((c) => c.isLeader).length, 1);
  });

  it('replaces a leader killed with SIGKILL within about one retry period', async () => {
    const first = startChild(stateRoot, 50);
    cleanup.push(() => void first.process.kill('SIGKILL'));
    await first.next((m) => m.leader === true);
    const second = startChild(stateRoot, 50);
    cleanup.push(async () => {
      second.process.kill('SIGTERM');
      if (second.process.exitCode === null) await once(second.process, 'exit');
    });
    await second.next((m) => m.ready === true);
    assert.equal((await readSchedulerLeader(stateRoot))?.pid, first.process.pid, 'the first process still leads');

    first.process.kill('SIGKILL');
    await once(first.process, 'exit');
    await second.next((m) => m.leader === true);
    assert.equal((await readSchedulerLeader(stateRoot))?.pid, second.process.pid);
  });

  it('gives up leadership when another process took the lease over (e.g. after a long sleep)', async () => {
    const changes = new Changes();
    const sleeper = election('sleeper', changes);
    await sleeper.start();
    assert.ok(sleeper.isLeader);
    // Simulate a heartbeat so old that another process considered it stale and took over:
    // remove the sleeper's lease and let another candidate take it.
    await fs.rm(path.join(stateRoot, 'scheduler', 'lease'));
    const other = election('other', new Changes());
    await other.start();
    assert.ok(other.isLeader);
    await changes.becomes(false);
    assert.equal(sleeper.isLeader, false);
    assert.equal((await readSchedulerLeader(stateRoot))?.owner, 'other');
  });
});
