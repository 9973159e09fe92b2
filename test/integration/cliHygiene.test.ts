// The built CLI (dist/cli.js) as a user meets it outside the happy path: signals, a closed pipe, exit
// codes, every command's --help, --version, --smtp for an outbox mailing, AUTH without TLS, and the
// lines that name where the messages went — against a real SMTP server on 127.0.0.1.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commandList } from '../../src/cli/commands';
import { ENVIRONMENT } from '../../src/cli/command';
import { JOURNAL_FILE, STATE_DIR_NAME, mailingStateDir, outboxDir } from '../../src/core/state/paths';
import { cliEnv, CLI, ROOT, runCli, startCli, until } from '../support/cli';
import { tempDir } from '../support/mailingFixture';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

const EXAMPLE = path.join(ROOT, 'examples', 'newsletter');

/** The lines of one section of a help text (`Options:` up to the next blank line). */
function section(help: string, heading: RegExp): string[] {
  const lines = help.split('\n');
  const start = lines.findIndex((line) => heading.test(line));
  assert.ok(start >= 0, `no ${heading} section in:\n${help}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

async function journalEvents(stateRoot: string, file: string): Promise<{ e: string; by?: string; reason?: string }[]> {
  const text = await fs.readFile(path.join(mailingStateDir(stateRoot, file), JOURNAL_FILE), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { e: string });
}

async function emlFiles(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((name) => name.endsWith('.eml'));
}

describe('the CLI (dist/cli.js): exit codes, signals, pipes, help, destinations', function () {
  this.timeout(120_000);
  let dir: string;
  let file: string;
  let stateRoot: string;
  let server: TestSmtpServer | undefined;
  const cli = (args: string[], env?: NodeJS.ProcessEnv) => runCli(args, { cwd: dir, env });

  beforeEach(async () => {
    dir = await tempDir('mailings-cli-hygiene-');
    await fs.cp(EXAMPLE, dir, { recursive: true });
    file = path.join(dir, 'newsletter.mailing.yaml');
    stateRoot = path.join(dir, STATE_DIR_NAME);
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function useSmtp(rate = '600/minute'): Promise<TestSmtpServer> {
    server = await startSmtpServer({ auth: { user: 'news', pass: 'secret-7c1e' } });
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('transport: outbox', 'transport: smtp').replace('rate: 600/minute', `rate: ${rate}`));
    return server;
  }
  const smtpEnv = (port: number) => ({ MAILINGS_SMTP_URL: `smtp://news@127.0.0.1:${port}?security=none`, MAILINGS_SMTP_PASSWORD: 'secret-7c1e' });

  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(await fs.readFile(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const result = await cli([flag]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${version}\n`);
    }
  });

  it('--help of every command lists each option its parser takes, the environment it reads, its exit codes and an example', async () => {
    const overview = await cli(['--help']);
    assert.equal(overview.code, 0);
    for (const command of commandList) assert.match(overview.stdout, new RegExp(`^  ${command.name} +\\S`, 'm'));
    assert.deepEqual(section(overview.stdout, /^Exit codes:$/).map((line) => line.trim().split(/\s+/)[0]), ['0', '1', '2', '130']);

    for (const command of commandList) {
      const result = await cli([command.name, '--help']);
      assert.equal(result.code, 0, `${command.name}: ${result.stderr}`);
      assert.equal(result.stderr, '');
      assert.equal(result.stdout, command.help);
      assert.equal((await cli([command.name, '-h'])).stdout, result.stdout);
      const help = result.stdout;
      assert.match(help, new RegExp(`^Usage: mailings ${command.name}\\b`, 'm'));

      // Options: exactly the options the parser takes, each with its short form and a line of text.
      const listed = new Map<string, string | undefined>();
      for (const line of section(help, /^Options:$/)) {
        const match = /^  (?:-(\w), )?--([\w-]+)(?: \S+)?\s{2,}\S.{9,}$/.exec(line);
        assert.ok(match, `${command.name}: an option line without an explanation: '${line}'`);
        listed.set(match[2], match[1]);
      }
      const parsed = new Map(Object.entries(command.parseOptions).map(([name, option]) => [name, option.short]));
      assert.deepEqual([...listed.entries()].sort(), [...parsed.entries()].sort(), `${command.name}: the help and the parser disagree`);
      for (const name of parsed.keys()) if (name !== 'help') assert.ok(command.usage.includes(`[--${name}`), `${command.name}: --${name} not in the usage`);

      // Environment: known variables only; the SMTP ones wherever --smtp is an option.
      const environment = section(help, /^Environment:$/).map((line) => line.trim().split(/\s+/)[0]);
      if (environment[0] !== 'none') for (const name of environment) assert.ok(name in ENVIRONMENT, `${command.name}: unknown variable ${name}`);
      if (parsed.has('smtp')) assert.ok(environment.includes('MAILINGS_SMTP_URL'), `${command.name} takes --smtp but lists no MAILINGS_SMTP_URL`);

      const codes = section(help, /^Exit codes:$/).map((line) => /^  (\d+)\s{2,}\S/.exec(line)?.[1]);
      for (const code of ['0', '2', '130']) assert.ok(codes.includes(code), `${command.name}: exit code ${code} not described`);
      const examples = section(help, /^Examples?:$/);
      assert.ok(examples.length > 0 && examples.every((line) => line.includes(`mailings ${command.name}`)), `${command.name}: examples ${examples.join(' | ')}`);
    }

    const unknown = await cli(['status', '--bogus']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown option '--bogus'[\s\S]*Usage: mailings status <file>[\s\S]*mailings status --help/);
  });

  it('send without --now is a dry run: exit 0 when the mailing could be sent (saying how), 1 while it has errors', async () => {
    const untested = await cli(['send', 'newsletter.mailing.yaml']);
    assert.equal(untested.code, 1);
    assert.match(untested.stdout, /^ERR test: /m);
    assert.match(untested.stderr, /1 error to fix first .*; nothing sent/);
    assert.equal((await cli(['test', 'newsletter.mailing.yaml'])).code, 0);
    const dry = await cli(['send', 'newsletter.mailing.yaml']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stderr,
      /^mailings send: nothing sent \(a dry run\); `mailings send newsletter\.mailing\.yaml --now` sends 37 messages to the outbox \.mailings\/outbox\/newsletter-[0-9a-f]{8}\/ \(no mail leaves this machine\)\n$/,
    );
    assert.deepEqual(await emlFiles(outboxDir(stateRoot, file)), []);
  });

  it('--smtp or MAILINGS_SMTP_URL for an outbox mailing is a usage error (exit 2) that says where its messages go', async () => {
    const url = 'smtp://127.0.0.1:9?security=none';
    const test = await cli(['test', 'newsletter.mailing.yaml', '--smtp', url]);
    assert.equal(test.code, 2);
    assert.match(test.stderr, /--smtp given, but newsletter\.mailing\.yaml uses transport outbox: its messages are written to the outbox \.mailings\/outbox\/newsletter-[0-9a-f]{8}\/, not sent to any server/);
    assert.match(test.stderr, /set `transport: smtp` under `sending:` in the file, or leave out --smtp/);
    await assert.rejects(fs.stat(path.join(stateRoot, 'outbox')), 'nothing written to the outbox');

    assert.equal((await cli(['test', 'newsletter.mailing.yaml'])).code, 0);
    const send = await cli(['send', 'newsletter.mailing.yaml', '--now'], { MAILINGS_SMTP_URL: url });
    assert.equal(send.code, 2);
    assert.match(send.stderr, /MAILINGS_SMTP_URL is set, but .* uses transport outbox: .*, or unset MAILINGS_SMTP_URL/);
    assert.equal(JSON.parse((await cli(['status', 'newsletter.mailing.yaml', '--json'])).stdout).status, 'draft');

    // Start sends what was confirmed: the snapshot's outbox counts, not the file's transport now.
    assert.equal((await cli(['schedule', 'newsletter.mailing.yaml', '--at', 'tomorrow 19:00'])).code, 0);
    await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('transport: outbox', 'transport: smtp'));
    const start = await cli(['start', 'newsletter.mailing.yaml', '--smtp', url]);
    assert.equal(start.code, 2);
    assert.match(start.stderr, /--smtp given, but newsletter\.mailing\.yaml was confirmed with transport outbox: /);
    assert.equal(JSON.parse((await cli(['status', 'newsletter.mailing.yaml', '--json'])).stdout).status, 'scheduled');
  });

  it('names where the messages went: the outbox folder (no mail left the machine), or the SMTP server as host:port', async () => {
    const test = await cli(['test', 'newsletter.mailing.yaml']);
    assert.equal(test.code, 0, test.stderr);
    assert.match(
      test.stdout,
      /^Test for editor@northwind\.example written to the outbox \.mailings\/outbox\/newsletter-[0-9a-f]{8}\/test\/ \(<test\.[^>]+>\); no mail left this machine\n$/,
    );
    const sent = await cli(['send', 'newsletter.mailing.yaml', '--now']);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stderr, /^mailings send: sending to the outbox \.mailings\/outbox\/newsletter-[0-9a-f]{8}\/ \(no mail leaves this machine\)$/m);
    assert.match(sent.stdout, /^destination: the outbox \.mailings\/outbox\/newsletter-[0-9a-f]{8}\/ \(no mail left this machine\)$/m);
    const json = JSON.parse((await cli(['status', 'newsletter.mailing.yaml', '--json'])).stdout) as { destination: { transport: string; dir: string } };
    assert.deepEqual(json.destination, { transport: 'outbox', dir: outboxDir(stateRoot, file) });
    assert.equal((await emlFiles(json.destination.dir)).length, 37);

    // The same mailing as a new one over SMTP: host:port, never the user name or password.
    await fs.rm(stateRoot, { recursive: true });
    const smtp = await useSmtp();
    const env = smtpEnv(smtp.port);
    const smtpTest = await cli(['test', 'newsletter.mailing.yaml'], env);
    assert.equal(smtpTest.code, 0, smtpTest.stderr);
    assert.match(smtpTest.stdout, new RegExp(`^Test sent to editor@northwind\\.example via smtp 127\\.0\\.0\\.1:${smtp.port} \\(<test\\.[^>]+>\\)\\n$`));
    const smtpSent = await cli(['send', 'newsletter.mailing.yaml', '--now'], env);
    assert.equal(smtpSent.code, 0, smtpSent.stderr);
    assert.match(smtpSent.stderr, new RegExp(`^mailings send: sending via smtp 127\\.0\\.0\\.1:${smtp.port}$`, 'm'));
    assert.match(smtpSent.stdout, new RegExp(`^destination: smtp 127\\.0\\.0\\.1:${smtp.port}$`, 'm'));
    const status = await cli(['status', 'newsletter.mailing.yaml', '--json']);
    assert.deepEqual(JSON.parse(status.stdout).destination, { transport: 'smtp', host: '127.0.0.1', port: smtp.port });
    for (const output of [smtpTest, smtpSent, status]) assert.doesNotMatch(output.stdout + output.stderr, /news@|secret-7c1e/);
    assert.equal(smtp.received.length, 38);
  });

  it('refuses AUTH without TLS to a host that is not loopback, before connecting, and says why and how to allow it', async () => {
    const smtp = await useSmtp();
    // Loopback is allowed: the password never leaves the machine.
    const local = await cli(['test', 'newsletter.mailing.yaml'], smtpEnv(smtp.port));
    assert.equal(local.code, 0, local.stderr);
    assert.equal(smtp.received[0].user, 'news');

    const env = { MAILINGS_SMTP_URL: 'smtp://news@mail.example.invalid:2525?security=none', MAILINGS_SMTP_PASSWORD: 'secret-7c1e' };
    for (const args of [['test', 'newsletter.mailing.yaml'], ['send', 'newsletter.mailing.yaml', '--now']]) {
      const refused = await cli(args, env);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(refused.stderr, /refused to log in to mail\.example\.invalid:2525 without TLS: with security none the user name and password would cross the network in clear text/);
      assert.match(refused.stderr, /\?allowPlainAuth=1 in the --smtp URL/);
      assert.doesNotMatch(refused.stderr, /ENOTFOUND|getaddrinfo|EAI_AGAIN/, 'it tried to connect');
    }
    // Nothing was confirmed or recorded.
    assert.equal(JSON.parse((await cli(['status', 'newsletter.mailing.yaml', '--json'])).stdout).status, 'draft');
    const typo = await cli(['test', 'newsletter.mailing.yaml', '--smtp', 'smtp://news@mail.example.invalid?security=none&allowPlainAuth=maybe'], env);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /--smtp: allowPlainAuth must be 1 or 0, not maybe/);
    // Allowed explicitly, it goes on to connect (and fails: the .invalid name resolves nowhere).
    const allowed = await cli(['test', 'newsletter.mailing.yaml', '--smtp', 'smtp://news@mail.example.invalid:2525?security=none&allowPlainAuth=1'], env);
    assert.equal(allowed.code, 1);
    assert.doesNotMatch(allowed.stderr, /refused to log in/);
    assert.match(allowed.stderr, /the test to editor@northwind\.example was not delivered/);
  });

  it('SIGINT or SIGTERM during validate of a large input ends it at once (the shell sees 130, 143), nothing printed as checked', async () => {
    const csv = path.join(dir, 'customers.csv');
    const out = createWriteStream(csv);
    out.write('email,firstName,lastName,city\n');
    for (let block = 0; block < 100; block++) {
      let text = '';
      for (let i = block * 10_000; i < (block + 1) * 10_000; i++) text += `reader${i}@example.org,Reader,Number ${i},Leiden\n`;
      if (!out.write(text)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
      const run = startCli(['validate', 'newsletter.mailing.yaml'], { cwd: dir });
      // Validating: the million-row CSV is open in the process.
      const fds = `/proc/${run.child.pid}/fd`;
      let seen = 'nothing yet';
      await until(
        'validate to open customers.csv',
        async () => {
          const links = await Promise.all((await fs.readdir(fds).catch(() => [] as string[])).map((fd) => fs.readlink(path.join(fds, fd)).catch(() => '')));
          seen = links.join(', ') || 'no descriptors';
          return links.includes(csv) ? true : undefined;
        },
        () => `${seen}; stderr ${JSON.stringify(run.stderr())}`,
      );
      run.child.kill(signal);
      const result = await run.exited;
      // Ended by the signal itself (not after finishing its work): a shell reports 128 + its number.
      assert.equal(result.signal, signal, `${signal}: exit code ${result.code}, stderr ${result.stderr}`);
      assert.equal(128 + os.constants.signals[signal], code);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr, '');
    }
  });

  it('Ctrl-C during send --now over SMTP: the messages in flight finish, `stopped` is journaled, exit 130 with the reason; start resumes and nobody is mailed twice', async () => {
    const smtp = await useSmtp('10/second');
    const env = smtpEnv(smtp.port);
    assert.equal((await cli(['test', 'newsletter.mailing.yaml'], env)).code, 0);
    const run = startCli(['send', 'newsletter.mailing.yaml', '--now'], { cwd: dir, env });
    await smtp.waitFor(1 + 3);
    run.child.kill('SIGINT');
    const stopped = await run.exited;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /stopping after the messages in flight/);
    assert.match(stopped.stderr, /stopped: stopped by the user \(Ctrl-C\); `mailings start` resumes it/);
    assert.match(stopped.stdout, /^status: stopped \(stopped by the user \(Ctrl-C\)\)$/m);

    const events = await journalEvents(stateRoot, file);
    const stop = events.findIndex((event) => event.e === 'stopped');
    assert.ok(stop > 0, 'no stopped event');
    assert.equal(events[stop].by, 'user');
    const status = JSON.parse((await cli(['status', 'newsletter.mailing.yaml', '--json'])).stdout) as { status: string; sent: number; uncertain: number };
    assert.equal(status.status, 'stopped');
    assert.equal(status.uncertain, 0, 'every message in flight finished');
    assert.ok(status.sent >= 3 && status.sent < 37, `sent ${status.sent}`);
    assert.equal(status.sent, smtp.received.length - 1);

    const resumed = await cli(['start', 'newsletter.mailing.yaml'], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /sent 37, failed 0/);
    const counts = smtp.counts();
    assert.equal(counts.get('editor@northwind.example'), 1);
    counts.delete('editor@northwind.example');
    assert.equal(counts.size, 37);
    assert.deepEqual([...counts.entries()].filter(([, n]) => n !== 1), [], 'mailed twice');
  });

  it('a closed pipe (status --csv | head -4) ends quietly with exit 0', async () => {
    // Enough recipients that the log is far larger than a pipe's buffer.
    const rows = Array.from({ length: 3000 }, (_, i) => `reader${i}@example.org,Reader,Number ${i},Leiden`);
    await fs.writeFile(path.join(dir, 'customers.csv'), `email,firstName,lastName,city\n${rows.join('\n')}\n`);
    assert.equal((await cli(['test', 'newsletter.mailing.yaml'])).code, 0);
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('rate: 600/minute', 'rate: 1000/second'));
    assert.equal((await cli(['send', 'newsletter.mailing.yaml', '--now'])).code, 0);

    const shell = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-o', 'pipefail', '-c', '"$CLI" status --csv newsletter.mailing.yaml | head -4'], { cwd: dir, env: cliEnv({ CLI }) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    assert.equal(shell.stderr, '');
    assert.equal(shell.code, 0);
    assert.equal(shell.stdout.split('\n').length, 5);

    // The same, from a reader that closes its end after the first chunk.
    const run = startCli(['status', '--csv', 'newsletter.mailing.yaml'], { cwd: dir });
    run.child.stdout!.once('data', () => run.child.stdout!.destroy());
    const result = await run.exited;
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
  });
});
