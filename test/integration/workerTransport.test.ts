// The SMTP transport on a worker thread, against a real SMTP server on 127.0.0.1: the bytes arrive
// exactly as handed over, and a worker that dies fails what it had in hand as temporary (the engine
// retries those) while the next delivery starts a new worker.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RenderedMessage } from '../../src/core/render/renderer';
import { DeliveryError } from '../../src/core/send/transport';
import { SMTP_WORKER_SCRIPT, workerSmtpTransport } from '../../src/core/send/workerSmtpTransport';
import { tempDir } from '../support/resolvedMailings';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

function message(to: string, body: Buffer): RenderedMessage {
  const head = Buffer.from(`From: news@acme.example\r\nTo: ${to}\r\nSubject: Hello\r\nMessage-ID: <${to}@acme.example>\r\n\r\n`, 'latin1');
  return { index: 0, to: { email: to }, messageId: `<${to}@acme.example>`, envelope: { from: 'news@acme.example', to: [to] }, raw: Buffer.concat([head, body]) };
}

describe('SMTP transport on a worker thread', function () {
  this.timeout(60_000);
  let server: TestSmtpServer;
  let dir: string;
  beforeEach(async () => {
    server = await startSmtpServer();
    dir = await tempDir('mailings-worker-');
  });
  afterEach(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('delivers the exact bytes, also of a Buffer that is a view into a larger one', async () => {
    const transport = workerSmtpTransport({ smtp: { host: '127.0.0.1', port: server.port, security: 'none' }, connections: 3 });
    const bodies = [Buffer.from('Plain line\r\n.leading dot\r\nZo\xeb\r\n', 'latin1'), Buffer.alloc(70_000, 'x'), Buffer.from('Line in a view\r\n')];
    const sent = bodies.map((body, i) => message(`r${i}@example.test`, body));
    // The last message is a view into the middle of a bigger buffer: only its own bytes may travel.
    const last = sent[sent.length - 1];
    const bigger = Buffer.concat([Buffer.from('GARBAGE-BEFORE\r\n'), last.raw, Buffer.from('GARBAGE-AFTER\r\n')]);
    last.raw = bigger.subarray(16, 16 + last.raw.length);
    assert.notEqual(last.raw.byteLength, last.raw.buffer.byteLength);
    const replies = await Promise.all(sent.map((m) => transport.deliver(m)));
    await transport.close();
    for (const reply of replies) assert.match(reply.reply, /^250 /);
    assert.equal(server.received.length, sent.length);
    for (const m of sent) {
      const got = server.received.find((r) => r.to[0] === m.envelope.to[0]);
      assert.ok(got, m.envelope.to[0]);
      assert.equal(got.raw.toString('latin1').replace(/\r\n$/, ''), m.raw.toString('latin1').replace(/\r\n$/, ''));
    }
  });

  it('passes the server’s refusals on as the same kinds of failure', async () => {
    await server.close();
    server = await startSmtpServer({ reject: (rcpt) => rcpt === 'gone@example.test' });
    const transport = workerSmtpTransport({ smtp: { host: '127.0.0.1', port: server.port, security: 'none' }, connections: 1 });
    await assert.rejects(transport.deliver(message('gone@example.test', Buffer.from('x\r\n'))), (error: unknown) => {
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.kind, 'permanent');
      assert.equal(error.responseCode, 550);
      return true;
    });
    assert.match((await transport.deliver(message('here@example.test', Buffer.from('y\r\n')))).reply, /^250 /);
    await transport.close();
  });

  it('a worker that dies fails its deliveries as temporary; the next delivery gets a new worker', async () => {
    // The first worker started dies on its first message; later ones are the real worker.
    const marker = path.join(dir, 'died-once');
    const script = path.join(dir, 'dying-worker.js');
    await fs.writeFile(
      script,
      `const fs = require('fs');
       if (fs.existsSync(${JSON.stringify(marker)})) require(${JSON.stringify(SMTP_WORKER_SCRIPT)});
       else require('worker_threads').parentPort.on('message', () => { fs.writeFileSync(${JSON.stringify(marker)}, ''); process.exit(3); });`,
    );
    const transport = workerSmtpTransport({ smtp: { host: '127.0.0.1', port: server.port, security: 'none' }, connections: 2 }, script);
    const results = await Promise.allSettled([transport.deliver(message('a@example.test', Buffer.from('a\r\n'))), transport.deliver(message('b@example.test', Buffer.from('b\r\n')))]);
    for (const result of results) {
      assert.equal(result.status, 'rejected');
      const error = (result as PromiseRejectedResult).reason;
      assert.ok(error instanceof DeliveryError);
      assert.equal(error.kind, 'temporary');
      assert.match(error.reply, /SMTP worker stopped \(exit code 3\)/);
    }
    assert.equal(server.received.length, 0);
    assert.match((await transport.deliver(message('a@example.test', Buffer.from('a\r\n')))).reply, /^250 /);
    await transport.close();
    assert.equal(server.received.length, 1);
  });
});
