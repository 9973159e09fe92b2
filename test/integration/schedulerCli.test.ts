// `mailings schedule` and `mailings run` as a user runs them: the CLI in child processes over a real
// mailing file (outbox transport), awaited through what they print.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { getStatistics, sendTest } from '../../src/core/actions';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { STATE_DIR_NAME } from '../../src/core/state/paths';
import { listMailingYaml } from '../support/listMailing';
import { tempDir } from '../support/resolvedMailings';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');

function mailingYaml(name: string, count: number): string {
  return listMailingYaml(name, count, { subject: 'scheduled news', sending: '  transport: outbox\n' });
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('mailings schedule / mailings run (CLI)', function () {
  this.timeout(60_000);
  let dir: string;
  let stateRoot: string;
  const running: ChildProcess[] = [];

  beforeEach(async () => {
    dir = await tempDir('mailings-cli-schedule-');
    stateRoot = path.join(dir, STATE_DIR_NAME);
  });
  afterEach(async () => {
    for (const child of running.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }
    await fs.rm(dir, { recursive: true, force: true });
  });

  function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, LANG: 'C', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** A mailing file whose test was sent (so it validates clean and can be scheduled). */
  async function testedMailing(name: string, count: number): Promise<string> {
    const file = path.join(dir, `${name}.mailing.yaml`);
    await fs.writeFile(file, mailingYaml(name, count));
    await sendTest(await buildConfirmModel(file, { stateRoot }), { stateRoot, owner: 'test' });
    return file;
  }

  /** Starts `mailings run` and returns it with a way to await a line of its stdout. */
  function startRun(args: string[]): { child: ChildProcess; line(pattern: RegExp): Promise<string>; stderr: () => string } {
    const child = spawn(process.execPath, [CLI, 'run', ...args], { cwd: dir, env: { ...process.env, LANG: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    const lines: string[] = [];
    const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      for (const w of [...waiting]) {
        if (w.pattern.test(line)) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve(line);
        }
      }
    });
    return {
      child,
      stderr: () => stderr,
      line: (pattern) => {
        const seen = lines.find((l) => pattern.test(l));
        return seen ? Promise.resolve(seen) : new Promise((resolve) => waiting.push({ pattern, resolve }));
      },
    };
  }

  it('schedules with --at, prints the moment in words, and `mailings run` sends it once, then stops on SIGINT', async () => {
    const file = await testedMailing('cli', 4);
    const scheduled = await cli(['schedule', 'cli.mailing.yaml', '--at', 'in 2 seconds']);
    assert.equal(scheduled.code, 0, scheduled.stderr);
    // Seconds are shown unless they are zero (time/when.ts): one moment in sixty falls on a whole minute.
    assert.match(scheduled.stdout, /^Scheduled to send at \w{3} \d+ \w{3} \d{4} \d\d:\d\d(?::\d\d)? CET, in 2 seconds \(.+Z\), 4 recipients\n$/);
    assert.equal((await getStatistics(file, stateRoot)).status, 'scheduled');

    const again = await cli(['schedule', 'cli.mailing.yaml', '--at', 'tomorrow 19:00']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /cannot schedule: the mailing is scheduled; Start sends it now, Stop unschedules it \(.*\)/);

    // Two `mailings run` side by side: one schedules, the other waits; the mailing goes out once.
    const first = startRun(['--poll', '200ms']);
    await first.line(/this process now schedules/);
    const second = startRun(['--poll', '200ms']);
    await first.line(/cli\.mailing\.yaml: sending to the outbox \.mailings\/outbox\/cli-[0-9a-f]{8}\/ \(no mail leaves this machine\)$/);
    await first.line(/cli\.mailing\.yaml: completed: 4 sent, 0 failed, to the outbox \.mailings\/outbox\/cli-[0-9a-f]{8}\/ \(no mail left this machine\)$/);
    const stats = await getStatistics(file, stateRoot);
    assert.deepEqual([stats.status, stats.sent, stats.total], ['completed', 4, 4]);
    assert.doesNotMatch(second.stderr(), /error/);

    first.child.kill('SIGINT');
    const [code] = (await once(first.child, 'exit')) as [number | null];
    assert.equal(code, 0);
    assert.match(first.stderr(), /mailings run: stopping/);
    // The second takes over when the first is gone.
    await second.line(/this process now schedules/);
    second.child.kill('SIGTERM');
    assert.deepEqual(await once(second.child, 'exit'), [0, null]);
    const outbox = await fs.readdir(path.join(stateRoot, 'outbox'), { recursive: true });
    assert.equal(outbox.filter((name) => String(name).endsWith('.eml') && !String(name).includes('test')).length, 4);
  });

  it('takes the file\'s `schedule:`, speaks Dutch, and warns inside working hours', async () => {
    const file = await testedMailing('dutch', 2);
    await fs.appendFile(file, 'schedule: "volgende maandag 10:00"\n');
    const result = await cli(['schedule', 'dutch.mailing.yaml', '--lang', 'nl']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Gepland voor verzenden om ma \d+ \w+ \d{4} 10:00 CES?T, over \d+ dag(en)? \(.+Z\), 2 ontvangers\n$/);
    assert.match(result.stderr, /warning schedule-working-hours: dit tijdstip valt binnen werkuren \(ma–vr 09:00–17:00\)/);
  });

  it('refuses what it cannot understand, the past, and a mailing with errors (exit 1, nothing scheduled)', async () => {
    const file = await testedMailing('refused', 2);
    const garbage = await cli(['schedule', 'refused.mailing.yaml', '--at', 'whenever']);
    assert.equal(garbage.code, 1);
    assert.match(garbage.stderr, /cannot understand `whenever` as a moment; try 'tomorrow 19:00', 'next friday 20:00' or '2026-12-04 19:00'/);
    const past = await cli(['schedule', 'refused.mailing.yaml', '--at', '2020-01-01 10:00']);
    assert.equal(past.code, 1);
    assert.match(past.stderr, /cannot schedule: Wed 1 Jan 2020 10:00 CET, .* ago is in the past/);
    const none = await cli(['schedule', 'refused.mailing.yaml']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no time given/);

    // Changing the subject after the test makes the test outdated: an error that blocks scheduling.
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('scheduled news', 'other news'));
    const errors = await cli(['schedule', 'refused.mailing.yaml', '--at', 'tomorrow 19:00', '--json']);
    assert.equal(errors.code, 1);
    assert.match(errors.stderr, /cannot schedule: the mailing has 1 error: test-outdated/);
    assert.match(errors.stderr, /refused\.mailing\.yaml:\d+:\d+: error test-outdated/);
    assert.deepEqual(JSON.parse(errors.stdout).reason, 'errors');
    assert.equal((await getStatistics(file, stateRoot)).status, 'draft');

    const usage = await cli(['run', '--poll', 'often']);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--poll: 'often' is not a duration/);
  });
});
