// The scheduler in this process, with real timers and a real SMTP server on 127.0.0.1: mailings
// scheduled a second or two ahead, every step awaited through the scheduler's events.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { getStatistics, SCHEDULER_ACTIONS, scheduleMailing, startMailing, stopMailing } from '../../src/core/actions';
import { planSchedule } from '../../src/core/schedule/plan';
import { Scheduler, type SchedulerOptions } from '../../src/core/schedule/scheduler';
import type { ConfirmModel, SendContext } from '../../src/core/types';
import { makeMailing, modelFor, recipients, tempDir } from '../support/mailingFixture';
import { EventLog, is } from '../support/schedulerEvents';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

describe('scheduler (one process, real timers)', function () {
  this.timeout(60_000);
  let dir: string;
  let server: TestSmtpServer;
  let ctx: SendContext;
  const schedulers: Scheduler[] = [];

  beforeEach(async () => {
    dir = await tempDir('mailings-scheduler-');
    server = await startSmtpServer();
    ctx = { stateRoot: path.join(dir, '.mailings'), smtp: { host: '127.0.0.1', port: server.port, security: 'none' }, owner: 'test' };
  });
  afterEach(async () => {
    for (const scheduler of schedulers.splice(0)) await scheduler.stop();
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** A confirmable mailing in its own folder `name`, sent over SMTP to `count` recipients at `name`.test. */
  async function mailing(name: string, count = 5): Promise<ConfirmModel> {
    const folder = path.join(dir, name);
    await fs.mkdir(folder, { recursive: true });
    return modelFor(await makeMailing({ dir: folder, recipients: recipients(count, `${name}.test`), sending: { transport: 'smtp' } }));
  }

  function scheduler(log: EventLog, options: Partial<SchedulerOptions> = {}): Scheduler {
    const s = new Scheduler({ stateRoot: ctx.stateRoot, actions: SCHEDULER_ACTIONS, sendContext: ctx, pollMs: 60_000, onEvent: log.record, ...options });
    schedulers.push(s);
    return s;
  }

  function receivedBy(domain: string): number {
    return server.received.filter((m) => m.to.every((to) => to.endsWith(`@${domain}`))).length;
  }

  it('arms the exact moment and sends the mailing then (no poll needed)', async () => {
    const model = await mailing('soon');
    const at = new Date(Date.now() + 1500);
    await scheduleMailing(model, ctx, at);
    const log = new EventLog();
    await scheduler(log).start();
    assert.deepEqual(await log.first(is('armed', model.file)), { type: 'armed', file: model.file, at: at.toISOString() });

    const due = await log.first(is('due', model.file));
    assert.ok(Date.now() >= at.getTime(), 'never started before its moment');
    assert.equal(due.type === 'due' && due.at, at.toISOString());
    await log.first(is('started', model.file));
    const completed = await log.first(is('completed', model.file));
    assert.equal(completed.type === 'completed' && completed.statistics.sent, 5);
    assert.equal(receivedBy('soon.test'), 5);
    assert.deepEqual(
      log.events.filter((e) => 'file' in e).map((e) => e.type),
      ['armed', 'due', 'started', 'completed'],
    );
  });

  it('understands English and Dutch moments end to end ("in 2 seconds", "over 2 seconden")', async () => {
    const english = await mailing('english', 2);
    const dutch = await mailing('dutch', 3);
    const now = new Date();
    const planEn = planSchedule(english, 'in 2 seconds', { now });
    const planNl = planSchedule(dutch, 'over 2 seconden', { now, locale: 'nl' });
    assert.ok(planEn.ok && planNl.ok);
    assert.match(planEn.description, /, in 2 seconds$/);
    assert.match(planNl.description, /, over 2 seconden$/);
    await scheduleMailing(english, ctx, planEn.at);
    await scheduleMailing(dutch, ctx, planNl.at);
    const log = new EventLog();
    await scheduler(log).start();
    await Promise.all([log.first(is('completed', english.file)), log.first(is('completed', dutch.file))]);
    assert.equal(receivedBy('english.test'), 2);
    assert.equal(receivedBy('dutch.test'), 3);
  });

  it('restart: a scheduler stopped before the moment loses nothing; the next one arms from the journal', async () => {
    const model = await mailing('restart');
    const at = new Date(Date.now() + 2000);
    await scheduleMailing(model, ctx, at);
    const first = new EventLog();
    const s1 = scheduler(first);
    await s1.start();
    await first.first(is('armed', model.file));
    await s1.stop();
    assert.equal(first.of('due').length, 0);

    const second = new EventLog();
    await scheduler(second).start();
    await second.first(is('armed', model.file));
    await second.first(is('completed', model.file));
    assert.equal(receivedBy('restart.test'), 5);
  });

  it('catch-up: a mailing that came due while nothing ran starts at start-up when within the grace period', async () => {
    const model = await mailing('catchup');
    const at = new Date(Date.now() + 1000);
    await scheduleMailing(model, ctx, at);
    // Nothing ran at the moment; the scheduler starts as if 10 minutes later, with a 1 hour grace.
    const log = new EventLog();
    await scheduler(log, { now: () => new Date(Date.now() + 10 * 60_000), graceMs: 60 * 60_000 }).start();
    const due = await log.first(is('due', model.file));
    assert.ok(due.type === 'due' && due.lateMs >= 9 * 60_000, 'late, but within grace');
    await log.first(is('completed', model.file));
    assert.equal(receivedBy('catchup.test'), 5);
    assert.equal(log.of('armed').length, 0);
  });

  it('missed: later than the grace period it is marked missed and sends nothing; Start then sends it', async () => {
    const model = await mailing('missed');
    const at = new Date(Date.now() + 1000);
    await scheduleMailing(model, ctx, at);
    const log = new EventLog();
    await scheduler(log, { now: () => new Date(Date.now() + 2 * 60 * 60_000), graceMs: 60 * 60_000 }).start();
    const missed = await log.first(is('missed', model.file));
    assert.ok(missed.type === 'missed' && missed.lateMs > 60 * 60_000);
    const stats = await getStatistics(model.file, ctx.stateRoot);
    assert.equal(stats.status, 'missed');
    assert.equal(stats.scheduledAt, at.toISOString());
    assert.equal(receivedBy('missed.test'), 0);
    assert.deepEqual(log.of('due'), []);

    // A later check leaves it alone: missed waits for the user.
    await schedulers[0].check();
    assert.equal(log.of('missed').length, 1);
    assert.equal((await startMailing(model.file, ctx)).status, 'completed');
    assert.equal(receivedBy('missed.test'), 5);
  });

  it('Stop on a scheduled mailing unschedules it (disarmed, draft) and it can be scheduled again', async () => {
    const model = await mailing('unschedule');
    await scheduleMailing(model, ctx, new Date(Date.now() + 60 * 60_000));
    const log = new EventLog();
    await scheduler(log).start();
    await log.first(is('armed', model.file));
    assert.equal((await stopMailing(model.file, ctx)).status, 'draft');
    await log.first(is('disarmed', model.file));

    const again = new Date(Date.now() + 1500);
    await scheduleMailing(model, ctx, again);
    const armed = await log.next(is('armed', model.file));
    assert.equal(armed.type === 'armed' && armed.at, again.toISOString());
    await log.first(is('completed', model.file));
    assert.equal(receivedBy('unschedule.test'), 5);
  });

  it('Start before the moment sends now; the scheduler then drops its timer and never sends it again', async () => {
    const model = await mailing('early');
    await scheduleMailing(model, ctx, new Date(Date.now() + 60 * 60_000));
    const log = new EventLog();
    const s = scheduler(log);
    await s.start();
    await log.first(is('armed', model.file));
    assert.equal((await startMailing(model.file, ctx)).status, 'completed');
    await s.check();
    await log.first(is('disarmed', model.file));
    assert.equal(receivedBy('early.test'), 5);
    assert.deepEqual(log.of('due'), []);
  });

  it('only the leader of a state root arms; a follower takes over when the leader stops', async () => {
    const model = await mailing('leader');
    await scheduleMailing(model, ctx, new Date(Date.now() + 60 * 60_000));
    const a = new EventLog();
    const b = new EventLog();
    const sa = scheduler(a, { pollMs: 100 });
    const sb = scheduler(b, { pollMs: 100 });
    await sa.start();
    await sb.start();
    assert.equal(sa.isLeader, true);
    assert.equal(sb.isLeader, false);
    await a.first(is('armed', model.file));
    assert.deepEqual(b.of('armed'), []);
    await sa.stop();
    await b.first(is('armed', model.file));
    assert.equal(sb.isLeader, true);
  });
});
