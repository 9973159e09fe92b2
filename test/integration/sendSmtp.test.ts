// The send engine against a real SMTP server on 127.0.0.1: what arrives, and the faults it survives.
import * as assert from 'node:assert/strict';
import { parseVerpAddress } from '../../src/core/render/verp';
import { generateKeyPairSync } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { getRecipientLog, getStatistics, scheduleMailing, sendNow, startMailing, stopMailing } from '../../src/core/actions';
import { smtpTransport } from '../../src/core/send/smtpTransport';
import type { Recipient, SendContext, SmtpConfig } from '../../src/core/types';
import { makeMailing, modelFor, recipients, tempDir } from '../support/resolvedMailings';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

function smtpConfig(server: TestSmtpServer, extra: Partial<SmtpConfig> = {}): SmtpConfig {
  return { host: '127.0.0.1', port: server.port, security: 'none', ...extra };
}

function address(value: AddressObject | AddressObject[] | undefined): string {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).join(',');
}

// Every case twice: the SMTP sessions on the engine's thread, and on a worker thread.
for (const smtpThread of ['main', 'worker'] as const) {
  describe(`send engine over SMTP (SMTP on the ${smtpThread} thread)`, function () {
    this.timeout(120_000);
    let dir: string;
    let server: TestSmtpServer | undefined;

    beforeEach(async () => {
      dir = await tempDir('mailings-smtp-');
    });
    afterEach(async () => {
      await server?.close();
      server = undefined;
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('delivers complete messages over STARTTLS with AUTH: headers, merge fields, text part, attachments', async () => {
      server = await startSmtpServer({ tls: 'starttls', auth: { user: 'sender', pass: 's3cret' } });
      const list: Recipient[] = [
        { email: 'ann@example.test', fields: { email: 'ann@example.test', firstName: 'Ann <b>&' } },
        { email: 'zoe+news@example.test', fields: { email: 'zoe+news@example.test', firstName: 'Zoë\r\nBcc: evil@attacker.test' } },
        { email: 'bob@example.test', fields: { email: 'bob@example.test', firstName: 'Bob' } },
      ];
      const pdf = Buffer.from('%PDF-1.4\n% price list\n' + 'x'.repeat(3000));
      const mailing = await makeMailing({
        dir,
        recipients: list,
        attachments: { 'price-list.pdf': pdf },
        sending: { transport: 'smtp', bounceAddress: 'bounces@acme.example', connections: 2 },
      });
      const ctx: SendContext = {
        stateRoot: path.join(dir, '.mailings'),
        smtpThread, smtp: smtpConfig(server, { security: 'starttls', user: 'sender', password: 's3cret', allowInvalidCertificates: true }),
      };
      const stats = await sendNow(modelFor(mailing), ctx);
      assert.equal(stats.status, 'completed');
      assert.deepEqual([stats.total, stats.sent, stats.failed, stats.pending, stats.uncertain], [3, 3, 0, 0, 0]);
      assert.equal(server.received.length, 3);

      const byRcpt = new Map<string, { parsed: ParsedMail; raw: string; from: string; secure: boolean; user?: string }>();
      for (const message of server.received) {
        byRcpt.set(message.to[0], { parsed: await simpleParser(message.raw), raw: message.raw.toString('latin1'), from: message.from, secure: message.secure, user: message.user });
      }
      const ids = new Set<string>();
      for (const [i, recipient] of list.entries()) {
        const got = byRcpt.get(recipient.email);
        assert.ok(got, `received ${recipient.email}`);
        const { parsed, raw } = got;
        // The VERP form of the bounce address: bounces+<tag>-<index>@acme.example decodes to this recipient.
        assert.equal(parseVerpAddress(got.from)?.index, i, `envelope sender ${got.from} names recipient ${i}`);
        assert.match(got.from, /^bounces\+[a-z2-7]{12}-\d+@acme\.example$/);
        assert.ok(got.secure, 'STARTTLS was used');
        assert.equal(got.user, 'sender');
        assert.equal(address(parsed.from), 'news@acme.example');
        assert.equal((parsed.from as AddressObject).value[0].name, 'Acme News');
        assert.equal(address(parsed.to), recipient.email);
        assert.equal(address(parsed.replyTo), 'support@acme.example');
        const firstName = recipient.fields.firstName;
        assert.equal(parsed.subject, `${firstName.replace(/[\r\n]+/g, ' ')}, our November news`);
        assert.match(parsed.messageId ?? '', /^<[^<>@\s]+@acme\.example>$/);
        ids.add(parsed.messageId ?? '');
        assert.ok(parsed.date instanceof Date && Math.abs(parsed.date.getTime() - Date.now()) < 120_000);
        const unsubscribe = `https://acme.example/u?e=${encodeURIComponent(recipient.email)}`;
        assert.match(raw, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
        assert.match(raw, new RegExp(`^List-Unsubscribe: <${unsubscribe.replace(/[.?+]/g, '\\$&')}>,\\s+<mailto:unsubscribe@acme\\.example\\?subject=unsubscribe>`, 'm'));
        assert.equal(parsed.headers.get('precedence'), 'bulk');
        assert.match(raw, /^List-ID: November newsletter <november-newsletter\.acme\.example>\r$/m);
        // No header injection: the CR/LF in a field never starts a header of its own.
        const headerBlock = raw.slice(0, raw.indexOf('\r\n\r\n'));
        assert.doesNotMatch(headerBlock, /^Bcc:/im);
        assert.equal(parsed.bcc, undefined);
        // HTML: escaped values, URL-encoded in the link.
        const html = String(parsed.html);
        const escaped = firstName.replace(/\r\n/g, '\n').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
        assert.ok(html.includes(`Hello ${escaped}`), `html has the escaped name: ${html}`);
        assert.ok(html.includes(`href="${unsubscribe}"`), 'the link carries the URL-encoded address');
        // Text part derived from the HTML, raw values.
        assert.ok(parsed.text?.includes(`Hello ${firstName.replace(/\r\n/g, '\n')}`), `text: ${parsed.text}`);
        assert.ok(parsed.text?.includes(unsubscribe));
        assert.equal(parsed.attachments.length, 1);
        assert.equal(parsed.attachments[0].filename, 'price-list.pdf');
        assert.equal(parsed.attachments[0].contentType, 'application/pdf');
        assert.deepEqual(parsed.attachments[0].content, pdf);
        const log = await getRecipientLog(mailing.file, ctx.stateRoot);
        assert.equal(log[i].outcome, 'sent');
        assert.equal(log[i].messageId, parsed.messageId);
        assert.match(log[i].reply ?? '', /^250 /);
      }
      assert.equal(ids.size, 3, 'Message-IDs are unique');
    });

    it('delivers over implicit TLS', async () => {
      server = await startSmtpServer({ tls: 'implicit' });
      const mailing = await makeMailing({ dir, recipients: recipients(5), sending: { transport: 'smtp' } });
      const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtpThread, smtp: smtpConfig(server, { security: 'tls', allowInvalidCertificates: true }) };
      const stats = await sendNow(modelFor(mailing), ctx);
      assert.equal(stats.sent, 5);
      assert.ok(server.received.every((m) => m.secure));
    });

    it('signs with DKIM when the mailing has a key', async () => {
      server = await startSmtpServer();
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const keyFile = path.join(dir, 'dkim.pem');
      await fs.writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const mailing = await makeMailing({ dir, recipients: recipients(2), sending: { transport: 'smtp', dkim: { domain: 'acme.example', selector: 'news2026', privateKeyFile: keyFile } } });
      const stats = await sendNow(modelFor(mailing), { stateRoot: path.join(dir, '.mailings'), smtpThread, smtp: smtpConfig(server) });
      assert.equal(stats.sent, 2);
      for (const message of server.received) {
        const headers = message.raw.toString('latin1').split('\r\n\r\n')[0];
        assert.match(headers, /^DKIM-Signature: v=1; a=rsa-sha256; c=relaxed\/relaxed; d=acme\.example;\s+q=dns\/txt; s=news2026;/m);
        assert.match(headers, /h=[^;]*List-Unsubscribe/i);
      }
    });

    it('refuses a self-signed certificate unless told to accept it, and loses nothing', async () => {
      server = await startSmtpServer({ tls: 'implicit' });
      const mailing = await makeMailing({ dir, recipients: recipients(4), sending: { transport: 'smtp', maxConsecutiveErrors: 3 } });
      const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtpThread, smtp: smtpConfig(server, { security: 'tls' }) };
      const stats = await sendNow(modelFor(mailing), ctx);
      assert.equal(stats.status, 'stopped');
      assert.match(stats.stoppedReason ?? '', /certificate/i);
      assert.equal(stats.pending, 4);
      assert.equal(server.received.length, 0);
    });

    it('retries recipients deferred at random (20%) until all are delivered', async () => {
      server = await startSmtpServer({ defer: (_rcpt, attempt) => attempt <= 2 && Math.random() < 0.2 });
      const mailing = await makeMailing({ dir, recipients: recipients(300), sending: { transport: 'smtp', connections: 5, attempts: 4, retryDelay: 10, maxRetryDelay: 40 } });
      const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtpThread, smtp: smtpConfig(server) };
      const stats = await sendNow(modelFor(mailing), ctx);
      assert.equal(stats.status, 'completed');
      assert.equal(stats.sent, 300);
      assert.equal(stats.failed, 0);
      const counts = server.counts();
      assert.equal(counts.size, 300);
      assert.ok([...counts.values()].every((n) => n === 1), 'each exactly once');
      const deferredSome = [...server.rcptAttempts.values()].filter((n) => n > 1).length;
      assert.ok(deferredSome > 20, `some were deferred (${deferredSome})`);
      const log = await getRecipientLog(mailing.file, ctx.stateRoot);
      assert.equal(log.filter((e) => e.attempts > 1).length, deferredSome);
    });

    it('records 550 rejects as failed with the reply, exactly those', async () => {
      const rejected = new Set(['r3@example.test', 'r17@example.test', 'r42@example.test']);
      server = await startSmtpServer({ reject: (rcpt) => rejected.has(rcpt) });
      const mailing = await makeMailing({ dir, recipients: recipients(60), sending: { transport: 'smtp', connections: 4 } });
      const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtpThread, smtp: smtpConfig(server) };
      const stats = await sendNow(modelFor(mailing), ctx);
      assert.equal(stats.status, 'completed');
      assert.deepEqual([stats.sent, stats.failed], [57, 3]);
      const log = await getRecipientLog(mailing.file, ctx.stateRoot);
      const failed = log.filter((e) => e.outcome === 'failed');
      assert.deepEqual(new Set(failed.map((e) => e.email)), rejected);
      for (const entry of failed) {
        assert.match(entry.reply ?? '', /^550 5\.1\.1 No such user here/);
        assert.equal(entry.attempts, 1, 'a permanent failure is not retried');
      }
      assert.equal(server.received.length, 57);
    });

    it('survives a dropped connection every 50 messages: all delivered', async () => {
      server = await startSmtpServer({ dropEvery: 50 });
      const mailing = await makeMailing({ dir, recipients: recipients(400), sending: { transport: 'smtp', connections: 5, retryDelay: 10, maxRetryDelay: 50 } });
      const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtpThread, smtp: smtpConfig(server) };
      const stats = await sendNow(modelFor(mailing), ctx);
      assert.equal(stats.status, 'completed');
      assert.equal(stats.sent, 400);
      assert.ok(server.dropped >= 7, `dropped ${server.dropped}`);
      const counts = server.counts();
      assert.equal(counts.size, 400);
      assert.ok([...counts.values()].every((n) => n === 1));
    });

    it('stops on refused AUTH with the reason, loses nothing, and resumes once the password is right', async () => {
      server = await startSmtpServer({ auth: { user: 'sender', pass: 'right' } });
      const mailing = await makeMailing({ dir, recipients: recipients(25), sending: { transport: 'smtp' } });
      const stateRoot = path.join(dir, '.mailings');
      const stats = await sendNow(modelFor(mailing), { stateRoot, smtpThread, smtp: smtpConfig(server, { user: 'sender', password: 'wrong' }) });
      assert.equal(stats.status, 'stopped');
      assert.match(stats.stoppedReason ?? '', /authentication failed.*535/i);
      assert.deepEqual([stats.sent, stats.failed, stats.pending], [0, 0, 25]);
      assert.equal(server.received.length, 0);
      const resumed = await startMailing(mailing.file, { stateRoot, smtpThread, smtp: smtpConfig(server, { user: 'sender', password: 'right' }) });
      assert.equal(resumed.status, 'completed');
      assert.equal(resumed.sent, 25);
      assert.equal(server.counts().size, 25);
    });

    it('stops when the server fails too many deliveries in a row, keeping them deferred', async () => {
      server = await startSmtpServer({ defer: () => true });
      const mailing = await makeMailing({ dir, recipients: recipients(50), sending: { transport: 'smtp', connections: 2, maxConsecutiveErrors: 6, retryDelay: 5_000 } });
      const stateRoot = path.join(dir, '.mailings');
      const stats = await sendNow(modelFor(mailing), { stateRoot, smtpThread, smtp: smtpConfig(server) });
      assert.equal(stats.status, 'stopped');
      assert.match(stats.stoppedReason ?? '', /6 deliveries failed in a row.*451/);
      assert.equal(stats.failed, 0);
      assert.equal(stats.sent + stats.deferred + stats.pending, 50);
    });

    it('Stop halts after the messages in flight; Start resumes and nobody is mailed twice', async () => {
      server = await startSmtpServer();
      const mailing = await makeMailing({ dir, recipients: recipients(200), sending: { transport: 'smtp', connections: 3, rate: { count: 50, per: 'second' } } });
      const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtpThread, smtp: smtpConfig(server) };
      const running = sendNow(modelFor(mailing), ctx);
      await server.waitFor(20);
      const stopped = await stopMailing(mailing.file, ctx);
      assert.equal(stopped.status, 'stopped');
      assert.match(stopped.stoppedReason ?? '', /stopped by/);
      assert.deepEqual(await running, stopped);
      assert.equal(stopped.sent, server.received.length);
      assert.ok(stopped.sent < 200);
      assert.equal(stopped.uncertain, 0);
      const onDisk = await getStatistics(mailing.file, ctx.stateRoot);
      assert.equal(onDisk.status, 'stopped');
      assert.equal(onDisk.sent, stopped.sent);
      const done = await startMailing(mailing.file, ctx);
      assert.equal(done.status, 'completed');
      assert.equal(done.sent, 200);
      const counts = server.counts();
      assert.equal(counts.size, 200);
      assert.ok([...counts.values()].every((n) => n === 1), 'nobody twice');
    });

    it('keeps to the rate cap, starting slow after a resume', async () => {
      server = await startSmtpServer();
      const mailing = await makeMailing({ dir, recipients: recipients(30), sending: { transport: 'smtp', connections: 5, rate: { count: 20, per: 'second' } } });
      const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtpThread, smtp: smtpConfig(server) };
      await scheduleMailing(modelFor(mailing), ctx, new Date(Date.now() + 3_600_000));
      const started = Date.now();
      const stats = await startMailing(mailing.file, ctx);
      assert.equal(stats.sent, 30);
      // 30 messages at 20/s with a bucket that starts with one token: at least 29/20 s.
      assert.ok(Date.now() - started >= 1_400, `took ${Date.now() - started} ms`);
    });
  });
}

// The cost of a small message on a fast link is its system calls: nodemailer writes the envelope
// (pipelined), then the message's bytes and its closing dot apart; smtpTransport joins what one tick
// writes (coalesceWrites), so a message is two writes, on plain TCP and under TLS alike.
describe('SMTP socket writes per message', function () {
  this.timeout(60_000);
  let server: TestSmtpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  for (const security of ['none', 'starttls'] as const) {
    it(`sends each message in two writes: the envelope, then the message with its closing dot (security ${security})`, async () => {
      server = await startSmtpServer(security === 'starttls' ? { tls: 'starttls' } : {});
      const port = server.port;
      // Writes of the client's sockets only (the server in this process writes through the same prototypes).
      let writes = 0;
      const original = { write: net.Socket.prototype._write, writev: net.Socket.prototype._writev };
      const isClient = (socket: net.Socket) => socket.remotePort === port;
      net.Socket.prototype._write = function (this: net.Socket, ...args: Parameters<net.Socket['_write']>) {
        if (isClient(this)) writes++;
        return original.write.apply(this, args);
      };
      net.Socket.prototype._writev = function (this: net.Socket, ...args: Parameters<NonNullable<net.Socket['_writev']>>) {
        if (isClient(this)) writes++;
        return original.writev?.apply(this, args);
      };
      const transport = smtpTransport({ smtp: smtpConfig(server, { security, allowInvalidCertificates: true }), connections: 1, maxMessages: 1000 });
      const count = 20;
      let setup: number;
      try {
        await transport.verify?.();
        setup = writes;
        for (let i = 0; i < count; i++) {
          const to = `reader${i}@example.test`;
          const raw = Buffer.from(`From: news@acme.example\r\nTo: ${to}\r\nSubject: Hello\r\n\r\n.A line that starts with a dot\r\nHello ${i}\r\n`);
          await transport.deliver({ index: i, to: { email: to }, messageId: `<m${i}@acme.example>`, envelope: { from: 'bounces@acme.example', to: [to] }, raw });
        }
      } finally {
        net.Socket.prototype._write = original.write;
        net.Socket.prototype._writev = original.writev;
        await transport.close();
      }
      assert.equal(server.received.length, count);
      // Dot-stuffing still happens: the line that starts with a dot arrives as it was.
      assert.match(server.received[0].raw.toString('latin1'), /\r\n\.A line that starts with a dot\r\nHello 0\r\n/);
      assert.ok(setup > 0, 'the session wrote EHLO');
      assert.equal(writes - setup, 2 * count, `writes for ${count} messages`);
    });
  }
});
