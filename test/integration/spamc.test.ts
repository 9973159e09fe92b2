// The spam score through spamc and a real spamd (Debian's `spamd`), started by the test on a free
// port of 127.0.0.1 with --local (no network tests) and stopped after: the same score as
// `spamassassin -t` would give, read from spamc's report; an unreachable spamd is a failure that
// says so (spamc -x), never a silent 0 points. spamc finds its spamd in spamc.conf; here a wrapper
// named `spamc` passes the test's port (as a user's spamc.conf would).
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { mailingSpamScore, spamArguments } from '../../src/core/inbox/spamScore';
import { makeMailing, tempDir } from '../support/resolvedMailings';
import { runCli } from '../support/cli';
import { BASE_YAML, loadWith } from '../support/inboxFixture';

const SPAMD = '/usr/sbin/spamd';
const SPAMC = '/usr/bin/spamc';
const STARTUP_MS = 90_000;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A `spamc` that talks to the test's spamd, as spamc.conf would make it. */
async function spamcWrapper(dir: string, port: number): Promise<string> {
  const bin = path.join(dir, 'bin');
  await fs.mkdir(bin, { recursive: true });
  const wrapper = path.join(bin, 'spamc');
  await fs.writeFile(wrapper, `#!/bin/sh\nexec ${SPAMC} -d 127.0.0.1 -p ${port} "$@"\n`, { mode: 0o755 });
  return wrapper;
}

/** Starts spamd and resolves once it says it listens (its own log line), or fails with what it printed. */
function startSpamd(port: number): Promise<ChildProcess> {
  const child = spawn(SPAMD, ['--local', `--listen=127.0.0.1:${port}`, '--syslog=stderr', '--max-children=1', '--min-children=1', '--min-spare=1', '--max-spare=1', '-u', 'nobody'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`waited ${STARTUP_MS / 1000} s for spamd to listen on 127.0.0.1:${port}; it printed: ${output.slice(-2000)}`));
    }, STARTUP_MS);
    const seen = (chunk: Buffer) => {
      output += chunk.toString();
      // "server started on …:port", then a child to answer: from here a connection is served.
      if (/server started on /.test(output) && /server successfully spawned child/.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', seen);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`spamd exited (${code ?? signal}) before it listened: ${output.slice(-2000)}`));
    });
  });
}

describe('spam score through spamc and a real spamd', function () {
  this.timeout(180_000);
  let dir: string;
  let port: number;
  let spamd: ChildProcess | undefined;

  before(async () => {
    dir = await tempDir('mailings-spamc-');
    port = await freePort();
    spamd = await startSpamd(port);
  });
  after(async () => {
    if (spamd && spamd.exitCode === null && spamd.signalCode === null) {
      const exited = new Promise<void>((resolve) => spamd!.once('exit', () => resolve()));
      spamd.kill('SIGTERM');
      await exited;
    }
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('asks spamc for the report (-R) and to fail when spamd cannot be reached (-x); spamassassin for local tests (-L -t)', () => {
    assert.deepEqual(spamArguments('spamc'), ['-R', '-x']);
    assert.deepEqual(spamArguments('/usr/local/bin/spamc'), ['-R', '-x']);
    assert.deepEqual(spamArguments('spamassassin'), ['-L', '-t']);
  });

  it('scores a spammy message over 5 with the rules that fired, the same message as spamassassin scores', async () => {
    const shout =
      'FREE MONEY!!! Click here to claim your CASH PRIZE now. 100% FREE, no risk, act now! Viagra, cheap meds, lose weight fast, make $$$ from home. ' +
      'Dear friend, you have been selected as a WINNER of $1,000,000 US DOLLARS. Limited time offer, order now, satisfaction guaranteed, no credit check.';
    const mailing = await makeMailing({
      dir,
      mailing: {
        subject: 'FREE!!! CASH PRIZE WINNER - ACT NOW $$$ 100% FREE',
        from: { name: 'WINNER NOTIFICATION', email: 'winner@acme.example' },
        html: { source: `<html><body bgcolor="#ff0000"><center><font color="#ffff00" size="7"><b>${shout.toUpperCase()}</b></font></center><p><a href="http://acme.example/claim">CLICK HERE</a></p><p><font size="1" color="#ffffff">${shout}</font></p></body></html>` },
        text: { source: `${shout}\nCLICK HERE http://acme.example/claim\n` },
      },
    });
    const viaSpamc = await mailingSpamScore(mailing, { command: await spamcWrapper(dir, port) });
    assert.equal(viaSpamc?.kind, 'scored', JSON.stringify(viaSpamc));
    if (viaSpamc?.kind !== 'scored') return;
    assert.ok(viaSpamc.score > 5, String(viaSpamc.score));
    assert.equal(viaSpamc.required, 5);
    assert.ok(viaSpamc.rules.length > 2 && viaSpamc.rules.every((rule) => /^[A-Z0-9_]+$/.test(rule.name)), JSON.stringify(viaSpamc.rules));
    const direct = await mailingSpamScore(mailing);
    assert.equal(direct?.kind, 'scored');
    if (direct?.kind === 'scored') assert.deepEqual(viaSpamc.rules.map((r) => r.name).sort(), direct.rules.map((r) => r.name).sort(), 'the same rules as spamassassin -L -t');
  });

  it('an unreachable spamd is a failure that says so, not a score', async () => {
    const mailing = await makeMailing({ dir, mailing: { subject: 'Unreachable spamd' } });
    const result = await mailingSpamScore(mailing, { command: await spamcWrapper(path.join(dir, 'closed'), await freePort()) });
    assert.equal(result?.kind, 'failed', JSON.stringify(result));
    if (result?.kind === 'failed') assert.match(result.message, /^spamc exited with \d+/);
  });

  it('mailings validate --spam with MAILINGS_SPAMASSASSIN=spamc: the score from spamd on stderr', async () => {
    const work = path.join(dir, 'cli');
    await loadWith(work, { 'news.html': '<p>Hello {{firstName}}, our autumn list is out.</p>', 'news.mailing.yaml': BASE_YAML });
    const result = await runCli(['validate', '--spam', 'news.mailing.yaml'], { cwd: work, env: { MAILINGS_SPAMASSASSIN: await spamcWrapper(path.join(dir, 'cli-bin'), port) } });
    assert.match(result.stderr, /news\.mailing\.yaml: Spam score: -?[\d.]+ points \(SpamAssassin; a warning over 3, an error over 5\)/, result.stdout + result.stderr);
  });
});
