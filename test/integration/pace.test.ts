// The pace of a send against a real SMTP server on 127.0.0.1: a server that throttles (454 beyond N
// messages a second), three `mailings run` processes sharing one quota while their leaders are
// killed, and a send window that closes a few seconds after the start — in real time, through the
// CLI as a user runs it.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { getRecipientLog, getStatistics, scheduleMailing, sendNow, sendTest } from '../../src/core/actions';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { ledgerDir, LEDGER_FILE, serverKey } from '../../src/core/pace/ledger';
import { forEachJournalEvent } from '../../src/core/state/journalReader';
import type { JournalEvent } from '../../src/core/state/journalEvents';
import { mailingStateDir, STATE_DIR_NAME } from '../../src/core/state/paths';
import type { SendContext, SmtpConfig, Statistics } from '../../src/core/types';
import { until as waitFor } from '../support/cli';
import { listMailingYaml } from '../support/listMailing';
import { makeMailing, modelFor, recipients, tempDir } from '../support/resolvedMailings';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');

function mailingYaml(name: string, count: number, sending: string, timezone = 'Europe/Amsterdam'): string {
  return listMailingYaml(name, count, { subject: 'paced news', sending: `  transport: smtp\n${sending}`, timezone });
}

/** Every run of `count + 1` consecutive instants spans at least `periodMs - slack`: nothing over the quota. */
function assertWithinQuota(times: number[], count: number, periodMs: number, slack: number, what: string): void {
  const sorted = [...times].sort((a, b) => a - b);
  for (let j = count; j < sorted.length; j++) {
    const span = sorted[j] - sorted[j - count];
    assert.ok(span >= periodMs - slack, `${what}: ${count + 1} hand-offs within ${span} ms (quota ${count} per ${periodMs} ms)`);
  }
}

async function journalOf(stateRoot: string, file: string): Promise<JournalEvent[]> {
  const events: JournalEvent[] = [];
  await forEachJournalEvent(mailingStateDir(stateRoot, file), (event) => events.push(event));
  return events;
}

/** The ledger file as hand-offs: `+` lines minus the `-` lines that cancelled them. */
async function ledgerTimes(stateRoot: string, smtp: SmtpConfig): Promise<number[]> {
  const text = await fs.readFile(path.join(ledgerDir(stateRoot, serverKey(smtp)), LEDGER_FILE), 'utf8');
  const times: number[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('+')) times.push(Number(line.slice(1)));
    else if (line.startsWith('-')) times.splice(times.indexOf(Number(line.slice(1))), 1);
  }
  return times;
}

/** "HH:MM:SS" of an instant in UTC. */
function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

describe('pace against a real SMTP server', function () {
  this.timeout(180_000);
  let dir: string;
  let server: TestSmtpServer | undefined;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    dir = await tempDir('mailings-pace-');
  });
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }
    await server?.close();
    server = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  for (const smtpThread of ['main', 'worker'] as const) {
    it(`a server that answers 454 beyond 20 messages a second: the rate converges below it, nothing lost, nobody twice (SMTP on the ${smtpThread} thread)`, async () => {
      const limit = 20;
      server = await startSmtpServer({ throttle: { perSecond: limit } });
      // attempts: 2 and maxConsecutiveErrors: 10 — were throttled replies counted, recipients would fail and the send would stop.
      const mailing = await makeMailing({ dir, recipients: recipients(240), sending: { transport: 'smtp', connections: 4, attempts: 2, retryDelay: 50, maxRetryDelay: 200, maxConsecutiveErrors: 10 } });
      const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtpThread, smtp: { host: '127.0.0.1', port: server.port, security: 'none' } };
      const stats = await sendNow(modelFor(mailing), ctx);
      assert.equal(stats.status, 'completed', stats.stoppedReason);
      assert.deepEqual([stats.sent, stats.failed, stats.deferred, stats.pending], [240, 0, 0, 0]);
      const counts = server.counts();
      assert.equal(counts.size, 240);
      assert.ok([...counts.values()].every((n) => n === 1), 'nobody twice');
      const log = await getRecipientLog(mailing.file, ctx.stateRoot);
      assert.ok(log.every((entry) => entry.attempts === 1), 'throttled tries are not counted as attempts');

      // It was throttled, and it learned: the throttled share of attempts falls, and the attempt rate
      // over the second half of the send is below the server's limit.
      const throttled = server.throttled;
      assert.ok(throttled.length > 0, 'the server throttled');
      const attempts = [...server.admitted, ...throttled].sort((a, b) => a - b);
      const middle = attempts[Math.floor(attempts.length / 2)];
      const end = attempts[attempts.length - 1];
      const share = (from: number, to: number) => throttled.filter((t) => t >= from && t <= to).length / attempts.filter((t) => t >= from && t <= to).length;
      const firstShare = share(attempts[0], middle);
      const secondShare = share(middle, end);
      const secondRate = attempts.filter((t) => t >= middle).length / ((end - middle) / 1000);
      assert.ok(secondShare < firstShare, `throttled share ${firstShare.toFixed(2)} in the first half, ${secondShare.toFixed(2)} in the second`);
      assert.ok(secondRate < limit, `${secondRate.toFixed(1)} attempts a second in the second half (limit ${limit})`);
      assert.ok(stats.pace?.throttledAt, 'the statistics say when it was throttled');
      assert.ok((stats.pace?.currentPerMinute ?? Infinity) <= limit * 60 * 1.5, `current rate ${stats.pace?.currentPerMinute}/minute`);
      const rates = (await journalOf(ctx.stateRoot, mailing.file)).filter((event) => event.e === 'rate');
      assert.ok(rates.length > 0, 'rate changes are journaled');
    });
  }

  /** `mailings run` in a child process, its stdout lines awaitable. */
  function startRun(args: string[]): { child: ChildProcess; lines: string[]; leads: () => boolean } {
    const child = spawn(process.execPath, [CLI, 'run', ...args], { cwd: dir, env: { ...process.env, LANG: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    const lines: string[] = [];
    readline.createInterface({ input: child.stdout! }).on('line', (line) => lines.push(line));
    child.stderr!.on('data', (d: Buffer) => lines.push(`stderr: ${d.toString().trim()}`));
    const leads = () => {
      const changes = lines.filter((line) => /this process (now|no longer) schedules/.test(line));
      return /now schedules/.test(changes[changes.length - 1] ?? '');
    };
    return { child, lines, leads };
  }

  function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, LANG: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Writes a mailing, sends its test (so it validates clean), and returns its path. */
  async function testedMailing(name: string, yaml: string, ctx: SendContext): Promise<string> {
    const file = path.join(dir, `${name}.mailing.yaml`);
    await fs.writeFile(file, yaml);
    await sendTest(await buildConfirmModel(file, { stateRoot: ctx.stateRoot, smtpConfigured: true }), ctx);
    return file;
  }

  it('three `mailings run` processes share one quota: never over it, though the leaders are killed while the mailings wait for it', async () => {
    server = await startSmtpServer();
    const smtp: SmtpConfig = { host: '127.0.0.1', port: server.port, security: 'none' };
    const stateRoot = path.join(dir, STATE_DIR_NAME);
    const ctx: SendContext = { stateRoot, smtp, owner: 'test' };
    const names = ['alpha', 'beta', 'gamma'];
    // 27 messages through a quota of 6 per 5 seconds: four waits for the quota, so the two kills each
    // find one to strike in even when a takeover was slow (a loaded machine) and a wait went by unseen.
    const each = 9;
    const files: string[] = [];
    for (const name of names) {
      const file = await testedMailing(name, mailingYaml(name, each, '  connections: 2\n  quota: 6/5 seconds\n'), ctx);
      await scheduleMailing(await buildConfirmModel(file, { stateRoot, smtpConfigured: true }), ctx, new Date());
      files.push(file);
    }
    const url = `smtp://127.0.0.1:${server.port}?security=none`;
    const runs = [0, 1, 2].map(() => startRun(['--poll', '200ms', '--smtp', url]));
    const statuses = () => Promise.all(files.map((file) => getStatistics(file, stateRoot)));
    let last: Statistics[] = [];
    const seen = () => last.map((s) => `${s.status}${s.stoppedReason ? ` (${s.stoppedReason})` : ''} ${s.sent}/${s.total}${s.waiting ? ` until ${s.waiting.until}` : ''}`).join('; ') + ` | run output: ${runs.map((r) => r.lines.slice(-3).join(' / ')).join(' || ')}`;

    for (let kill = 0; kill < 2; kill++) {
      // Every mailing waits for the quota (none sending, none in flight): kill whoever leads now.
      await waitFor(
        `all three mailings waiting for the quota (round ${kill + 1})`,
        async () => {
          last = await statuses();
          if (last.some((s) => s.status === 'stopped')) throw new Error(`a mailing stopped: ${seen()}`);
          const done = last.reduce((sum, s) => sum + s.sent, 0);
          // Not while the leader is about to resume one: the kill must find nothing in flight.
          const settled = last.every((s) => s.status === 'completed' || (s.status === 'waiting' && Date.parse(s.waiting!.until) > Date.now() + 1_500));
          return settled && last.some((s) => s.status === 'waiting') && done >= 6 * (kill + 1) ? true : undefined;
        },
        seen,
        40_000,
      );
      // A child killed earlier has exitCode null too (it ended by a signal): alive is neither set.
      const leader = runs.find((run) => run.child.exitCode === null && run.child.signalCode === null && run.leads());
      assert.ok(leader, `a leader among the runs: ${seen()}`);
      leader.child.kill('SIGKILL');
      await once(leader.child, 'exit');
    }
    await waitFor(
      'all three mailings completed',
      async () => {
        last = await statuses();
        if (last.some((s) => s.status === 'stopped')) throw new Error(`a mailing stopped: ${seen()}`);
        return last.every((s) => s.status === 'completed') ? true : undefined;
      },
      seen,
      40_000,
    );

    // Nobody lost, nobody twice.
    const mailed = server.received.filter((message) => !message.to.includes('tester@acme.example'));
    const counts = new Map<string, number>();
    for (const message of mailed) for (const to of message.to) counts.set(to, (counts.get(to) ?? 0) + 1);
    assert.equal(counts.size, each * names.length);
    assert.ok([...counts.values()].every((n) => n === 1), `each exactly once: ${[...counts].filter(([, n]) => n > 1).join(', ')}`);
    // The quota held: exactly over the ledger, and as the server saw it (the MAIL FROM arrives a few
    // milliseconds after the hand-off is recorded: that much jitter is allowed there).
    const handedOff = await ledgerTimes(stateRoot, smtp);
    assert.equal(handedOff.length, each * names.length, 'one ledger entry per message that went out');
    assertWithinQuota(handedOff, 6, 5_000, 0, 'ledger');
    assertWithinQuota(mailed.map((message) => message.at), 6, 5_000, 250, 'server');
    // The waiting was journaled, and each of the three processes led and resumed mailings at some point.
    for (const file of files) assert.ok((await journalOf(stateRoot, file)).some((event) => event.e === 'waiting' && event.why === 'quota'));
    assert.ok(
      runs.every((run) => run.lines.some((line) => /this process now schedules/.test(line))),
      runs.map((run) => run.lines.join('\n')).join('\n----\n'),
    );
    assert.ok(runs.some((run) => run.lines.some((line) => /waiting for the SMTP server's quota: goes on/.test(line))), 'mailings run says what it waits for');
  });

  it('a window that closes a few seconds after the start: the send pauses, `mailings run` resumes it at the next opening, and it completes', async () => {
    server = await startSmtpServer();
    const smtp: SmtpConfig = { host: '127.0.0.1', port: server.port, security: 'none' };
    const stateRoot = path.join(dir, STATE_DIR_NAME);
    const ctx: SendContext = { stateRoot, smtp, owner: 'test' };
    const now = Math.floor(Date.now() / 1000) * 1000;
    const closes = now + 4_000;
    const reopens = now + 14_000;
    const window = `  rate: 4/second\n  connections: 2\n  window:\n    hours: ["${clock(now - 2_000)}-${clock(closes)}", "${clock(reopens)}-${clock(now + 180_000)}"]\n`;
    const file = await testedMailing('windowed', mailingYaml('windowed', 40, window, 'UTC'), ctx);
    await scheduleMailing(await buildConfirmModel(file, { stateRoot, smtpConfigured: true }), ctx, new Date());
    const run = startRun(['--poll', '200ms', '--smtp', `smtp://127.0.0.1:${server.port}?security=none`]);

    const paused = await waitFor('the run to pause for the window', async () => run.lines.find((line) => /windowed\.mailing\.yaml: paused after \d+ of 40 sent, waiting for its send window: goes on/.test(line)), () => run.lines.join('\n'));
    const status = await cli(['status', 'windowed.mailing.yaml', '--json']);
    assert.equal(status.code, 0, status.stderr);
    const json = JSON.parse(status.stdout) as { status: string; waiting: { reason: string; until: string }; sent: number };
    assert.equal(json.status, 'waiting', paused);
    assert.deepEqual(json.waiting, { reason: 'window', until: new Date(reopens).toISOString() });
    assert.ok(json.sent > 0 && json.sent < 40, `${json.sent} sent before the window closed`);
    const text = await cli(['status', 'windowed.mailing.yaml']);
    assert.match(text.stdout, /^status: waiting\n/);
    assert.match(text.stdout, /^waiting for its send window: goes on .*$/m);
    assert.match(text.stdout, /^rate: configured 240\/minute, current 240\/minute$/m);

    await waitFor('the mailing to complete', async () => run.lines.find((line) => /windowed\.mailing\.yaml: completed: 40 sent, 0 failed/.test(line)), () => run.lines.join('\n'));
    const mailed = server.received.filter((message) => !message.to.includes('tester@acme.example'));
    assert.equal(new Set(mailed.flatMap((message) => message.to)).size, 40);
    assert.equal(mailed.length, 40, 'nobody twice');
    // Nothing was handed off while the window was closed (a message handed off just before it closed arrives within moments).
    const inGap = mailed.filter((message) => message.at >= closes + 500 && message.at < reopens);
    assert.deepEqual(inGap.map((message) => new Date(message.at).toISOString()), []);
    assert.ok(mailed.some((message) => message.at < closes) && mailed.some((message) => message.at >= reopens), 'sent on both sides of the gap');
    const events = (await journalOf(stateRoot, file)).map((event) => event.e).filter((e) => ['started', 'waiting', 'resumed', 'completed'].includes(e));
    assert.deepEqual(events, ['started', 'waiting', 'resumed', 'completed']);
    assert.ok(run.lines.some((line) => /windowed\.mailing\.yaml: waiting for its send window: goes on/.test(line)), 'the scheduler armed the opening');
  });

  it('`send --now` outside its window waits in the foreground, holding the mailing, and sends when it opens', async () => {
    server = await startSmtpServer();
    const smtp: SmtpConfig = { host: '127.0.0.1', port: server.port, security: 'none' };
    const stateRoot = path.join(dir, STATE_DIR_NAME);
    const ctx: SendContext = { stateRoot, smtp, owner: 'test' };
    // The test message first (the window is no part of what a test covers), then the window, so a slow
    // test send on a busy machine cannot eat the seconds before it opens.
    const file = await testedMailing('later', mailingYaml('later', 5, '', 'UTC'), ctx);
    const opens = Math.ceil(Date.now() / 1000) * 1000 + 8_000;
    const window = `  window:\n    hours: "${clock(opens)}-${clock(opens + 120_000)}"\n`;
    await fs.writeFile(file, mailingYaml('later', 5, window, 'UTC'));
    const sending = cli(['send', 'later.mailing.yaml', '--now', '--smtp', `smtp://127.0.0.1:${server.port}?security=none`]);
    let last: Statistics | undefined;
    const waiting = await waitFor(
      'the mailing to wait for its window',
      async () => {
        last = await getStatistics(file, stateRoot);
        return last.status === 'waiting' ? last : undefined;
      },
      () => JSON.stringify(last),
    );
    assert.deepEqual(waiting.waiting, { reason: 'window', until: new Date(opens).toISOString() });
    assert.ok(waiting.sender, 'the foreground process holds the mailing while it waits');
    const result = await sending;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /mailings send: waiting for its send window: goes on .* \(Ctrl-C stops it; `mailings start` resumes\)/);
    assert.match(result.stdout, /^status: completed/);
    const mailed = server.received.filter((message) => !message.to.includes('tester@acme.example'));
    assert.equal(mailed.length, 5);
    assert.ok(mailed.every((message) => message.at >= opens), 'nothing before the window opened');
  });
});
