// AUTH without TLS against a real SMTP server: allowed on loopback (127.0.0.1), refused for an address
// of another interface before any connection reaches the server, and sent there when explicitly allowed.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import type { RenderedMessage } from '../../src/core/render/renderer';
import { assertAuthAllowed, PlainAuthRefusedError, smtpTransport } from '../../src/core/send/smtpTransport';
import type { SmtpConfig } from '../../src/core/types';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

const credentials = { user: 'news', pass: 'pw-2b7f' };

function message(to: string): RenderedMessage {
  const raw = Buffer.from(`From: news@acme.example\r\nTo: ${to}\r\nSubject: plain auth\r\nMessage-ID: <a@acme.example>\r\n\r\nHello\r\n`);
  return { index: 0, to: { email: to }, messageId: '<a@acme.example>', envelope: { from: 'news@acme.example', to: [to] }, raw };
}

/** An IPv4 address of this machine that is not loopback, if it has one. */
function otherInterfaceAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
}

describe('AUTH without TLS, against a real SMTP server', function () {
  this.timeout(30_000);
  let server: TestSmtpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('logs in over plain SMTP on loopback', async () => {
    server = await startSmtpServer({ auth: credentials });
    const transport = smtpTransport({ smtp: { host: '127.0.0.1', port: server.port, security: 'none', user: credentials.user, password: credentials.pass }, connections: 1 });
    try {
      await transport.deliver(message('a@example.org'));
    } finally {
      await transport.close();
    }
    assert.equal(server.received[0].user, 'news');
  });

  it('refuses another interface’s address before connecting, and sends there when explicitly allowed', async function () {
    const address = otherInterfaceAddress();
    if (!address) this.skip(); // a machine with loopback only: the name-based refusal is in the unit tests
    server = await startSmtpServer({ auth: credentials, listen: '0.0.0.0' });
    const smtp: SmtpConfig = { host: address!, port: server.port, security: 'none', user: credentials.user, password: credentials.pass };
    assert.throws(() => assertAuthAllowed(smtp), PlainAuthRefusedError);
    assert.throws(() => smtpTransport({ smtp, connections: 1 }), PlainAuthRefusedError);
    assert.equal(server.connections, 0, 'the refusal came after a connection');

    const allowed = smtpTransport({ smtp: { ...smtp, allowPlainAuth: true }, connections: 1 });
    try {
      await allowed.deliver(message('b@example.org'));
    } finally {
      await allowed.close();
    }
    assert.equal(server.connections, 1);
    assert.equal(server.received[0].user, 'news');
  });
});
