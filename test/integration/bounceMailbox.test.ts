// The bounce poller against a real IMAP server: Dovecot (dovecot-imapd) on 127.0.0.1 with its own
// config and maildir (test/support/dovecot.ts, docs/testing-imap.md), fed the saved bounce samples.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BounceMailboxError, pollBounceMailbox, type BounceNotice, type PollCounts, type PollOptions } from '../../src/core/bounces/mailboxPoller';
import { LeaseHeldError } from '../../src/core/state/lease';
import { makeLookup, readSample, SAMPLES } from '../support/bounceFixtures';
import { appendMessages, folderMessages, startDovecot, type DovecotServer } from '../support/dovecot';

const ATTRIBUTED = SAMPLES.filter((s) => s.events.length > 0);
const UNATTRIBUTED = SAMPLES.filter((s) => s.events.length === 0);

const HUMAN_REPLY = `From: Jan <jan@example.nl>
To: bounces@northwind.example
Subject: Re: your November reading list
Message-ID: <CAJx1y2z3@mail.example.nl>
Date: Fri, 4 Dec 2026 09:00:00 +0100

Thanks, I will come to the reading night!
`;

describe('bounce mailbox poller (real Dovecot)', function () {
  this.timeout(60_000);
  let server: DovecotServer;
  let root: string;
  let userCount = 0;
  let user: string;

  before(async () => {
    server = await startDovecot();
  });
  after(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-bounces-'));
    user = `bounces${++userCount}`; // a maildir of its own for every test
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  async function appendSamples(): Promise<void> {
    await appendMessages(server, 'INBOX', await Promise.all(SAMPLES.map((s) => readSample(s.file))), { user });
  }

  function poll(notices: BounceNotice[], extra: Partial<PollOptions> = {}): Promise<PollCounts> {
    return pollBounceMailbox({ account: server.account({ user }), stateRoot: root, lookup: makeLookup(), onReport: (n) => void notices.push(n), ...extra });
  }

  const eventsOf = (notice: BounceNotice) => notice.attribution.events.map((e) => ({ mailing: e.recipient.mailing, index: e.recipient.index, outcome: e.outcome }));

  it('hands over every attributed sample, marks it \\Seen, moves it, and leaves the unattributed one', async () => {
    await appendSamples();
    const notices: BounceNotice[] = [];
    const counts = await poll(notices);
    assert.deepEqual(counts, { examined: 12, handled: 11, bounces: 8, delays: 1, complaints: 1, autoReplies: 1, alreadyProcessed: 0, unattributed: 1, unrecognised: 0 });
    // Each attributed sample exactly once, classified and attributed as the unit tests say.
    const expected = ATTRIBUTED.map((s) => JSON.stringify(s.events)).sort();
    assert.deepEqual(notices.map((n) => JSON.stringify(eventsOf(n))).sort(), expected);
    assert.equal(new Set(notices.map((n) => n.id)).size, notices.length);
    const complaint = notices.find((n) => n.report.kind === 'complaint');
    assert.equal(complaint?.attribution.events[0].recipient.email, 'klaas.dekker@yahoo.com');

    const inbox = await folderMessages(server, 'INBOX', user);
    assert.equal(inbox.length, 1);
    assert.deepEqual(inbox[0].flags, [], 'left unseen');
    assert.equal(inbox[0].subject, 'Undelivered Mail Returned to Sender');
    const processed = await folderMessages(server, 'Processed', user);
    assert.equal(processed.length, 11, 'the processed folder was created and holds them');
    for (const message of processed) assert.deepEqual(message.flags, ['\\Seen']);

    // A second poll processes nothing, and counts the one left again.
    const again: BounceNotice[] = [];
    assert.deepEqual(await poll(again), { examined: 1, handled: 0, bounces: 0, delays: 0, complaints: 0, autoReplies: 0, alreadyProcessed: 0, unattributed: 1, unrecognised: 0 });
    assert.deepEqual(again, []);
    assert.equal((await folderMessages(server, 'Processed', user)).length, 11);
  });

  it('leaves what is no report (a person\'s reply) unseen, counted as unrecognised', async () => {
    await appendMessages(server, 'INBOX', [HUMAN_REPLY, await readSample(UNATTRIBUTED[0].file)], { user });
    const notices: BounceNotice[] = [];
    const counts = await poll(notices);
    assert.equal(counts.unrecognised, 1);
    assert.equal(counts.unattributed, 1);
    assert.equal(counts.handled, 0);
    assert.deepEqual((await folderMessages(server, 'INBOX', user)).map((m) => m.flags), [[], []]);
    assert.deepEqual(await folderMessages(server, 'Processed', user), [], 'nothing to move: no processed folder made');
  });

  it('reads another folder and moves to another folder when told', async () => {
    const client = await server.client(user);
    await client.mailboxCreate('Bounces');
    await client.logout();
    await appendMessages(server, 'Bounces', [await readSample('postfix-user-unknown-verp.eml'), await readSample('arf-abuse-yahoo.eml')], { user });
    const counts = await poll([], { account: server.account({ user, folder: 'Bounces', processedFolder: 'Bounces-done' }) });
    assert.equal(counts.handled, 2);
    assert.equal((await folderMessages(server, 'Bounces', user)).length, 0);
    assert.equal((await folderMessages(server, 'Bounces-done', user)).length, 2);
  });

  it('a poller killed between handing a report over and moving it does not hand it over again', async () => {
    await appendSamples();
    const effects = path.join(root, 'effects.jsonl');
    const script = path.join(__dirname, '..', 'support', 'bouncePollChild.js');
    const child = spawn(process.execPath, [script, JSON.stringify({ account: server.account({ user }), stateRoot: root, effects, stopAfter: 4 })], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const between = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^between (\S+)$/m.exec(stdout);
        if (match) resolve(match[1]);
      });
      child.on('close', (code) => reject(new Error(`the poller ended (code ${code}) before the 4th report was handed over: ${stdout}${stderr}`)));
    });
    const exited = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGKILL');
    await exited;

    const first = (await fs.readFile(effects, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { id: string });
    assert.equal(first.length, 4, 'four reports were handed over before the kill');
    assert.equal(first[3].id, between);
    // The killed one was handed over but not moved: still in INBOX, unseen.
    const uid = Number(between.split('/').pop());
    assert.ok((await folderMessages(server, 'INBOX', user)).some((m) => m.uid === uid && m.flags.length === 0));

    const notices: BounceNotice[] = [];
    const counts = await poll(notices);
    assert.equal(counts.alreadyProcessed, 1, 'the killed one is moved without being handed over');
    assert.equal(counts.handled, 11 - 4);
    const ids = [...first.map((e) => e.id), ...notices.map((n) => n.id)];
    assert.equal(ids.length, 11);
    assert.equal(new Set(ids).size, 11, 'no report handed over twice');
    assert.equal((await folderMessages(server, 'Processed', user)).length, 11);
    assert.equal((await folderMessages(server, 'INBOX', user)).length, 1);
  });

  it('keeps a message whose consumer failed, and hands it over on the next poll', async () => {
    await appendMessages(server, 'INBOX', [await readSample('gmail-address-not-found.eml')], { user });
    await assert.rejects(
      poll([], {
        onReport: () => {
          throw new Error('disk full');
        },
      }),
      /disk full/,
    );
    assert.deepEqual((await folderMessages(server, 'INBOX', user)).map((m) => m.flags), [[]]);
    const notices: BounceNotice[] = [];
    assert.equal((await poll(notices)).handled, 1);
    assert.equal(notices.length, 1);
  });

  it('lets one poller at a time read a workspace\'s mailbox', async () => {
    await appendMessages(server, 'INBOX', [await readSample('qmail-no-mailbox.eml')], { user });
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = poll([], {
      onReport: () => {
        entered();
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    await inside;
    await assert.rejects(poll([]), (error: unknown) => error instanceof LeaseHeldError && error.holder.pid === process.pid);
    release();
    assert.equal((await first).handled, 1);
  });

  it('says what is wrong with the account: password, folder, server', async () => {
    await assert.rejects(poll([], { account: server.account({ user, password: 'wrong' }) }), (error: unknown) => error instanceof BounceMailboxError && error.code === 'authentication' && /refused the login of bounces/.test(error.message));
    await assert.rejects(poll([], { account: server.account({ user, folder: 'NoSuchFolder' }) }), (error: unknown) => error instanceof BounceMailboxError && error.code === 'folder' && /NoSuchFolder/.test(error.message));
    const closed = await startDovecot();
    const port = closed.port;
    await closed.stop();
    await assert.rejects(poll([], { account: { ...server.account({ user }), port }, timeoutMs: 3000 }), (error: unknown) => error instanceof BounceMailboxError && error.code === 'connect');
  });

  it('never sends the password in clear text to a host that is not this machine', async () => {
    // 192.0.2.1 (TEST-NET-1) is never reached: refused before any connection, whatever the port.
    await assert.rejects(
      poll([], { account: { ...server.account({ user }), host: '192.0.2.1', security: 'none' }, timeoutMs: 3000 }),
      (error: unknown) => error instanceof BounceMailboxError && error.code === 'insecure' && /192\.0\.2\.1:\d+ would send the password in clear text/.test(error.message),
    );
    await assert.rejects(fs.stat(path.join(root, 'bounces')), { code: 'ENOENT' });
  });
});
