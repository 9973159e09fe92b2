// `mailings test|send|start|stop|status` as a user runs them: the built CLI entry (out/) in child
// processes over a copy of the example newsletter.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { getStatistics } from '../../src/core/actions';
import { STATE_DIR_NAME } from '../../src/core/state/paths';
import { tempDir } from '../support/resolvedMailings';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

const CLI = path.join(__dirname, '..', '..', 'src', 'cli', 'main.js');
const EXAMPLE = path.join(__dirname, '..', '..', '..', 'examples', 'newsletter');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function mailings(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, onSpawn?: (pid: number) => void): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, MAILINGS_SMTP_URL: '', MAILINGS_SMTP_PASSWORD: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (child.pid) onSpawn?.(child.pid);
  });
}

async function allFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('mailings test / send / start / stop / status (CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;
  let server: TestSmtpServer | undefined;

  beforeEach(async () => {
    dir = await tempDir('mailings-cli-send-');
    await fs.cp(EXAMPLE, dir, { recursive: true });
    file = path.join(dir, 'newsletter.mailing.yaml');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('test, then send --now to the outbox; status --json and --csv; Start of a completed mailing is refused', async () => {
    const notTested = await mailings(['send', file, '--now'], dir);
    assert.equal(notTested.code, 1);
    assert.match(notTested.stderr, /test-not-sent/);
    const tested = await mailings(['test', file], dir);
    assert.equal(tested.code, 0, tested.stderr);
    assert.match(tested.stdout, /^Test for editor@northwind\.example written to the outbox \S+\/test\/ \(<test\.[^>]+@northwind\.example>\); no mail left this machine\n$/);
    const dry = await mailings(['send', file], dir);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /nothing sent \(a dry run\); `mailings send \S+ --now` sends 37 messages to the outbox/);
    const sent = await mailings(['send', 'newsletter.mailing.yaml', '--now'], dir);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, /^status: completed\ntotal 37, sent 37, failed 0, deferred 0, pending 0, skipped 4, uncertain 0\n/);
    const status = await mailings(['status', file, '--json'], dir);
    const json = JSON.parse(status.stdout) as Record<string, unknown>;
    for (const key of ['status', 'total', 'sent', 'failed', 'deferred', 'pending', 'skipped', 'uncertain', 'scheduledAt', 'startedAt', 'finishedAt']) assert.ok(key in json, key);
    assert.deepEqual([json.status, json.total, json.sent, json.skipped], ['completed', 37, 37, 4]);
    const csv = await mailings(['status', file, '--csv'], dir);
    const rows = csv.stdout.trim().split('\r\n');
    // 37 recipients, then the 4 rows left out (with why): the log accounts for every row of the list.
    assert.equal(rows.length, 1 + 37 + 4);
    assert.match(rows[1], /^emma\.jansen@example\.com,sent,1,/);
    for (const row of rows.slice(38)) assert.match(row, /^[^,]*,skipped,0,,,,,,,,(invalid|duplicate|excluded)$/);
    const again = await mailings(['start', file], dir);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /cannot start: the mailing is completed/);
    const outbox = await allFiles(path.join(path.join(dir, STATE_DIR_NAME), 'outbox'));
    assert.equal(outbox.filter((f) => !f.includes(`${path.sep}test${path.sep}`)).length, 37);
  });

  it('speaks Dutch with --lang nl (and with LANG=nl_NL.UTF-8): the test line, the dry run, the summary and where the messages went', async () => {
    const tested = await mailings(['test', file, '--lang', 'nl'], dir);
    assert.equal(tested.code, 0, tested.stderr);
    assert.match(tested.stdout, /^Test voor editor@northwind\.example geschreven naar de outbox \S+\/test\/ \(<test\.[^>]+@northwind\.example>\); er is geen mail van deze computer vertrokken\n$/);
    const dry = await mailings(['send', file], dir, { LANG: 'nl_NL.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stderr, /niets verzonden \(een proefrun\); `mailings send \S+ --now` verzendt 37 berichten naar de outbox \S+ \(er vertrekt geen mail van deze computer\)/);
    const sent = await mailings(['send', file, '--now', '--lang', 'nl'], dir);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, /^status: voltooid\ntotaal 37, verzonden 37, mislukt 0, uitgesteld 0, wachtend 0, overgeslagen 4, onzeker 0\n/);
    assert.match(sent.stdout, /\nbestemming: de outbox \S+ \(er is geen mail van deze computer vertrokken\)\n/);
    const status = await mailings(['status', file, '--lang', 'nl'], dir);
    assert.match(status.stdout, /^status: voltooid\ntotaal 37, verzonden 37, /);
    assert.match(status.stdout, /\ngestart \S+, klaar \S+, verzendtijd /);
    // English stays as it was for the same state.
    const english = await mailings(['status', file, '--lang', 'en'], dir);
    assert.match(english.stdout, /^status: completed\ntotal 37, sent 37, /);
  });

  it('sends over SMTP with the password from MAILINGS_SMTP_PASSWORD only, never writing or printing it', async () => {
    const password = 'pw-9f3c2a71-never-shown';
    server = await startSmtpServer({ auth: { user: 'news sender', pass: password } });
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('transport: outbox', 'transport: smtp'));
    const smtp = `smtp://news%20sender@127.0.0.1:${server.port}?security=none`;
    const inUrl = await mailings(['test', file, '--smtp', `smtp://u:${password}@127.0.0.1:${server.port}`], dir);
    assert.equal(inUrl.code, 2);
    assert.match(inUrl.stderr, /MAILINGS_SMTP_PASSWORD, never in the URL/);
    assert.ok(!inUrl.stderr.includes(password));
    const env = { MAILINGS_SMTP_PASSWORD: password };
    const tested = await mailings(['test', file, '--smtp', smtp], dir, env);
    assert.equal(tested.code, 0, tested.stderr);
    const sent = await mailings(['send', file, '--now', '--json'], dir, { ...env, MAILINGS_SMTP_URL: smtp });
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal((JSON.parse(sent.stdout) as { sent: number }).sent, 37);
    assert.equal(server.received.length, 38);
    assert.ok(server.received.every((m) => m.user === 'news sender'));
    const wrong = await mailings(['test', file, '--smtp', smtp], dir, { MAILINGS_SMTP_PASSWORD: 'wrong' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /authentication failed/i);
    for (const output of [tested, sent, wrong]) assert.ok(!(output.stdout + output.stderr).includes(password));
    for (const stateFile of await allFiles(path.join(dir, STATE_DIR_NAME))) {
      assert.ok(!(await fs.readFile(stateFile, 'latin1')).includes(password), `${stateFile} holds the password`);
    }
  });

  it('Ctrl-C stops gracefully (exit 130, reason printed); start resumes it to the end', async () => {
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('rate: 600/minute', 'rate: 10/second'));
    assert.equal((await mailings(['test', file], dir)).code, 0);
    const stateRoot = path.join(dir, STATE_DIR_NAME);
    let pid = 0;
    const running = mailings(['send', file, '--now'], dir, {}, (p) => (pid = p));
    while ((await getStatistics(file, stateRoot)).sent < 3) await new Promise((resolve) => setTimeout(resolve, 50));
    process.kill(pid, 'SIGINT');
    const stopped = await running;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /stopping after the messages in flight/);
    assert.match(stopped.stderr, /stopped: stopped by the user \(Ctrl-C\); `mailings start` resumes it/);
    const status = JSON.parse((await mailings(['status', file, '--json'], dir)).stdout) as { status: string; sent: number };
    assert.equal(status.status, 'stopped');
    assert.ok(status.sent >= 3 && status.sent < 37);
    const resumed = await mailings(['start', file], dir);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /sent 37, failed 0/);
  });
});
