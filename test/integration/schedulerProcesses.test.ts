// Several scheduler processes on one state root (VS Code windows, an old and a new extension host, a
// `mailings run`): each due mailing is sent by exactly one of them, counted at a real SMTP server.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { getStatistics, scheduleMailing } from '../../src/core/actions';
import { readSchedulerLeader } from '../../src/core/schedule/leader';
import type { ConfirmModel, SendContext } from '../../src/core/types';
import { makeMailing, modelFor, recipients, tempDir } from '../support/resolvedMailings';
import { EventLog, is, type RecordedEvent } from '../support/schedulerEvents';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

const CHILD = path.join(__dirname, '..', 'support', 'schedulerProcess.js');

describe('three scheduler processes on one state folder', function () {
  this.timeout(90_000);
  let dir: string;
  let server: TestSmtpServer;
  let ctx: SendContext;
  let children: ChildProcess[] = [];
  let log: EventLog;

  beforeEach(async () => {
    dir = await tempDir('mailings-schedulers-');
    server = await startSmtpServer();
    ctx = { stateRoot: path.join(dir, '.mailings'), smtp: { host: '127.0.0.1', port: server.port, security: 'none' }, owner: 'test' };
    log = new EventLog();
    // The state root exists before the schedulers start (as it does once anything was confirmed).
    await fs.mkdir(ctx.stateRoot, { recursive: true });
  });
  afterEach(async () => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        await once(child, 'exit');
      }),
    );
    children = [];
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  function startScheduler(pollMs: number, leaderStaleMs?: number): ChildProcess {
    const args = [CHILD, ctx.stateRoot, String(server.port), String(pollMs), String(60 * 60_000), ...(leaderStaleMs ? [String(leaderStaleMs)] : [])];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    readline.createInterface({ input: child.stdout! }).on('line', (line) => log.record(JSON.parse(line) as RecordedEvent));
    children.push(child);
    return child;
  }

  async function mailings(count: number, size: number): Promise<ConfirmModel[]> {
    const models: ConfirmModel[] = [];
    for (let m = 0; m < count; m++) {
      const folder = path.join(dir, `m${m}`);
      await fs.mkdir(folder, { recursive: true });
      models.push(modelFor(await makeMailing({ dir: folder, recipients: recipients(size, `m${m}.test`), sending: { transport: 'smtp', connections: 2 } })));
    }
    return models;
  }

  async function assertEachSentOnce(models: ConfirmModel[], size: number): Promise<void> {
    await Promise.all(models.map((m) => log.first(is('completed', m.file))));
    await server.waitFor(models.length * size);
    const counts = server.counts();
    assert.equal(counts.size, models.length * size, 'every recipient received');
    assert.deepEqual([...counts.values()].filter((n) => n !== 1), [], 'nobody received twice');
    assert.equal(server.received.length, models.length * size);
    for (const m of models) {
      const stats = await getStatistics(m.file, ctx.stateRoot);
      assert.deepEqual([stats.status, stats.sent, stats.uncertain], ['completed', size, 0]);
      assert.equal(log.of('started', m.file).length, 1, `${m.file} started once`);
      assert.equal(log.of('completed', m.file).length, 1, `${m.file} completed once`);
    }
  }

  it('elects one leader; each of several due mailings is sent exactly once', async () => {
    for (let i = 0; i < 3; i++) startScheduler(200);
    await log.count(is('ready'), 3);
    const leaders = log.events.filter((e) => e.type === 'ready' && e.leader);
    assert.equal(leaders.length, 1, 'one leader');
    assert.equal((await readSchedulerLeader(ctx.stateRoot))?.pid, leaders[0].pid);

    const size = 15;
    const models = await mailings(5, size);
    const base = Date.now() + 1500;
    for (const [i, m] of models.entries()) await scheduleMailing(m, ctx, new Date(base + i * 250));
    await assertEachSentOnce(models, size);
    assert.deepEqual([...new Set(log.of('started').map((e) => e.pid))], [leaders[0].pid], 'the leader sent them all');
  });

  it('a leader killed with SIGKILL before the moment is replaced, and its mailings still go out once', async () => {
    const first = startScheduler(200);
    await log.count(is('ready'), 1);
    for (let i = 0; i < 2; i++) startScheduler(200);
    await log.count(is('ready'), 3);
    assert.equal((await readSchedulerLeader(ctx.stateRoot))?.pid, first.pid);

    const size = 10;
    const models = await mailings(3, size);
    const base = Date.now() + 2500;
    for (const [i, m] of models.entries()) await scheduleMailing(m, ctx, new Date(base + i * 200));
    await log.count((e) => e.type === 'armed' && e.pid === first.pid, 3);
    first.kill('SIGKILL');
    await once(first, 'exit');

    await assertEachSentOnce(models, size);
    const senders = new Set(log.of('started').map((e) => e.pid));
    assert.equal(senders.size, 1);
    assert.ok(!senders.has(first.pid));
  });

  it('leaders that overlap (constant stale takeovers) still send each mailing exactly once: the mailing lease decides', async () => {
    // A 1 ms stale time makes every process take the leadership over from the others all the time,
    // so several believe they lead at the moment the mailings come due.
    for (let i = 0; i < 3; i++) startScheduler(50, 1);
    await log.count(is('ready'), 3);
    const size = 15;
    const models = await mailings(4, size);
    const at = new Date(Date.now() + 1500);
    for (const m of models) await scheduleMailing(m, ctx, at);
    await assertEachSentOnce(models, size);
    const leadersSeen = new Set(log.events.filter((e) => e.type === 'leader' && e.leader).map((e) => e.pid));
    assert.ok(leadersSeen.size > 1, 'leadership changed hands');
  });
});
