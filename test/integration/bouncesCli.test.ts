// `mailings bounces` as a user runs it: a newsletter sent over a real SMTP server with a bounce
// address (each message from its VERP form), a DSN for one recipient in a real Dovecot mailbox, and
// the CLI reading it once: the address is suppressed and the bounce journaled in its mailing.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { getStatistics } from '../../src/core/actions';
import { STATE_DIR_NAME } from '../../src/core/state/paths';
import { SuppressionList } from '../../src/core/suppression/suppressionList';
import { readSample } from '../support/bounceFixtures';
import { runCli } from '../support/cli';
import { appendMessages, dovecotBinary, folderMessages, startDovecot, type DovecotServer } from '../support/dovecot';
import { tempDir } from '../support/resolvedMailings';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

const EXAMPLE = path.join(__dirname, '..', '..', '..', 'examples', 'newsletter');
const BOUNCED = 'lucas.devries@example.com';

describe('mailings bounces (CLI, real SMTP and Dovecot)', function () {
  this.timeout(120_000);
  let dir: string;
  let smtp: TestSmtpServer | undefined;
  let imap: DovecotServer | undefined;

  before(function () {
    if (!dovecotBinary()) throw new Error('dovecot-imapd is not installed: scripts/tools.sh installs it (docs/testing-imap.md)');
  });
  beforeEach(async () => {
    dir = await tempDir('mailings-bounces-cli-');
    await fs.cp(EXAMPLE, dir, { recursive: true });
    const file = path.join(dir, 'newsletter.mailing.yaml');
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('transport: outbox', 'transport: smtp\n  bounceAddress: bounces@northwind.example'));
  });
  afterEach(async () => {
    await smtp?.close();
    await imap?.stop();
    smtp = imap = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('suppresses the address a DSN names (tied by VERP), journals the bounce, moves the message; once', async () => {
    smtp = await startSmtpServer();
    imap = await startDovecot();
    const env = { MAILINGS_SMTP_URL: `smtp://127.0.0.1:${smtp.port}?security=none`, MAILINGS_SMTP_PASSWORD: '' };
    assert.equal((await runCli(['test', 'newsletter.mailing.yaml'], { cwd: dir, env })).code, 0);
    const sent = await runCli(['send', 'newsletter.mailing.yaml', '--now'], { cwd: dir, env });
    assert.equal(sent.code, 0, sent.stderr);
    const message = smtp.received.find((m) => m.to.includes(BOUNCED));
    assert.ok(message, `a message to ${BOUNCED}`);
    assert.match(message.from, /^bounces\+[a-z2-7]{12}-\d+@northwind\.example$/);

    const sample = (await readSample('postfix-user-unknown-verp.eml')).toString('utf8');
    const dsn = sample.replaceAll('bounces+q76szfvmqyvj-17@northwind.example', message.from).replaceAll('piet@klant.example', BOUNCED);
    await appendMessages(imap, 'INBOX', [dsn]);
    const imapEnv = { MAILINGS_IMAP_URL: `imap://${imap.user}@127.0.0.1:${imap.port}?security=none`, MAILINGS_IMAP_PASSWORD: imap.password };
    const polled = await runCli(['bounces', '--json'], { cwd: dir, env: imapEnv });
    assert.equal(polled.code, 0, polled.stderr);
    const counts = JSON.parse(polled.stdout) as Record<string, number>;
    assert.deepEqual([counts.examined, counts.handled, counts.bounces, counts.suppressed, counts.journaled], [1, 1, 1, 1, 1]);

    const stateRoot = path.join(dir, STATE_DIR_NAME);
    const entries = await new SuppressionList(stateRoot).list();
    assert.deepEqual(entries.map((e) => [e.address, e.reason]), [[BOUNCED, 'hard-bounce']]);
    const stats = await getStatistics(path.join(dir, 'newsletter.mailing.yaml'), stateRoot);
    assert.equal(stats.bounced, 1);
    assert.deepEqual((await folderMessages(imap, 'INBOX')).length, 0);

    const again = await runCli(['bounces'], { cwd: dir, env: imapEnv });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^0 unseen, 0 handled/);

    const noUrl = await runCli(['bounces'], { cwd: dir, env: { MAILINGS_IMAP_URL: '' } });
    assert.equal(noUrl.code, 2);
    assert.match(noUrl.stderr, /set MAILINGS_IMAP_URL/);
    const badLimit = await runCli(['bounces'], { cwd: dir, env: { ...imapEnv, MAILINGS_SOFT_BOUNCE_LIMIT: '0' } });
    assert.equal(badLimit.code, 2);
    assert.match(badLimit.stderr, /MAILINGS_SOFT_BOUNCE_LIMIT=0: a whole number of at least 1/);
  });

  it('3 rejected at RCPT (550 5.1.1) and 2 bounced later by DSN: 5 suppressed with their reasons; the next mailing skips exactly those 5', async () => {
    const rejected = ['emma.jansen@example.com', 'lucas.devries@example.com', 'daan.visser@example.com'];
    smtp = await startSmtpServer({ reject: (rcpt) => rejected.includes(rcpt) });
    imap = await startDovecot();
    const env = { MAILINGS_SMTP_URL: `smtp://127.0.0.1:${smtp.port}?security=none`, MAILINGS_SMTP_PASSWORD: '' };
    assert.equal((await runCli(['test', 'newsletter.mailing.yaml'], { cwd: dir, env })).code, 0);
    const sent = await runCli(['send', 'newsletter.mailing.yaml', '--now'], { cwd: dir, env });
    assert.equal(sent.code, 0, sent.stderr);

    // Two accepted messages come back later as Postfix DSNs to their VERP return paths, each a
    // report of its own (its own Message-Id: the poller skips a report it has already read).
    const accepted = smtp.received.filter((m) => !m.to.includes('editor@northwind.example'));
    const [first, second] = accepted.slice(0, 2);
    const sample = (await readSample('postfix-user-unknown-verp.eml')).toString('utf8');
    const dsn = (message: (typeof accepted)[number], n: number) =>
      sample
        .replaceAll('bounces+q76szfvmqyvj-17@northwind.example', message.from)
        .replaceAll('piet@klant.example', message.to[0])
        .replace('<20261203180412.7D3E21C2A4F@mail.northwind.example>', `<dsn-${n}@mail.northwind.example>`);
    await appendMessages(imap, 'INBOX', [dsn(first, 1), dsn(second, 2)]);
    const imapEnv = { MAILINGS_IMAP_URL: `imap://${imap.user}@127.0.0.1:${imap.port}?security=none`, MAILINGS_IMAP_PASSWORD: imap.password };
    const polled = await runCli(['bounces', '--json'], { cwd: dir, env: imapEnv });
    assert.equal(polled.code, 0, polled.stderr);
    assert.equal((JSON.parse(polled.stdout) as Record<string, number>).suppressed, 2);

    const stateRoot = path.join(dir, STATE_DIR_NAME);
    const entries = await new SuppressionList(stateRoot).list();
    const suppressed = [...rejected, first.to[0], second.to[0]];
    assert.deepEqual(entries.map((e) => e.address).sort(), [...suppressed].sort());
    for (const entry of entries) {
      assert.equal(entry.reason, 'hard-bounce', entry.address);
      assert.match(entry.detail, /5\.1\.1/, entry.address);
    }
    const stats = await getStatistics(path.join(dir, 'newsletter.mailing.yaml'), stateRoot);
    assert.equal(stats.bounced, 5);

    const text = await fs.readFile(path.join(dir, 'newsletter.mailing.yaml'), 'utf8');
    await fs.writeFile(path.join(dir, 'december.mailing.yaml'), text.replace('name: November newsletter', 'name: December newsletter').replace('your November reading list', 'your December reading list'));
    const before = smtp.received.length;
    assert.equal((await runCli(['test', 'december.mailing.yaml'], { cwd: dir, env })).code, 0);
    const december = await runCli(['send', 'december.mailing.yaml', '--now'], { cwd: dir, env });
    assert.equal(december.code, 0, december.stderr);
    const to = smtp.received.slice(before).flatMap((m) => m.to).filter((address) => address !== 'editor@northwind.example');
    assert.equal(to.length, 37 - 5);
    for (const address of suppressed) assert.ok(!to.includes(address), `${address} was mailed again`);
    const next = await getStatistics(path.join(dir, 'december.mailing.yaml'), stateRoot);
    assert.equal(next.suppressed, 5);
  });
});
