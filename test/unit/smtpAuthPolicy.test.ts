// AUTH without TLS (smtpTransport.assertAuthAllowed): with security none and a user, only a loopback
// host by its literal name, unless explicitly allowed; the refusal comes before any connection.
import * as assert from 'node:assert/strict';
import { smtpFromCli } from '../../src/cli/smtpOptions';
import { UsageError } from '../../src/cli/io';
import { openTransport } from '../../src/core/send/openTransport';
import { assertAuthAllowed, isLoopbackHost, PlainAuthRefusedError, smtpTransport } from '../../src/core/send/smtpTransport';
import type { SmtpConfig } from '../../src/core/types';
import { DEFAULT_SENDING } from '../support/mailingFixture';

const plain = (host: string, extra: Partial<SmtpConfig> = {}): SmtpConfig => ({ host, port: 2525, security: 'none', user: 'news', password: 'pw', ...extra });

describe('AUTH without TLS', () => {
  it('knows loopback by its literal name: 127.0.0.0/8, ::1 (also IPv4-mapped, any spelling) and localhost', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '127.255.255.254', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST', 'localhost.']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ['10.0.0.1', '128.0.0.1', '1.127.0.0', '192.0.2.2', '::2', 'fe80::1', '::ffff:10.0.0.1', 'fe80::1%lo', 'localhost.example.com', 'mylocalhost', '127.0.0.1.nip.io', 'mail.example.com', '']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  it('is refused for a host that is not loopback, saying why and how to allow it', () => {
    assert.throws(
      () => assertAuthAllowed(plain('mail.example.com')),
      (error: unknown) =>
        error instanceof PlainAuthRefusedError &&
        error.code === 'plain-auth-refused' &&
        /mail\.example\.com:2525 without TLS: .*password would cross the network in clear text/.test(error.message) &&
        /\?allowPlainAuth=1/.test(error.message) &&
        /mailings\.smtp\.allowPlainAuth/.test(error.message) &&
        !error.message.includes('pw'),
    );
  });

  it('is allowed on loopback, with TLS, without a user, or explicitly', () => {
    assertAuthAllowed(plain('127.0.0.1'));
    assertAuthAllowed(plain('localhost'));
    assertAuthAllowed(plain('mail.example.com', { security: 'starttls' }));
    assertAuthAllowed(plain('mail.example.com', { security: 'tls' }));
    assertAuthAllowed(plain('mail.example.com', { user: undefined, password: undefined }));
    assertAuthAllowed(plain('mail.example.com', { allowPlainAuth: true }));
  });

  it('is refused where the transport is opened, before any connection (synchronously, no socket)', () => {
    const mailing = { file: '/x/news.mailing.yaml', sending: { ...DEFAULT_SENDING, transport: 'smtp' as const } } as Parameters<typeof openTransport>[0];
    assert.throws(() => openTransport(mailing, { stateRoot: '/x/.mailings', smtp: plain('mail.example.invalid') }), PlainAuthRefusedError);
    assert.throws(() => smtpTransport({ smtp: plain('mail.example.invalid'), connections: 1 }), PlainAuthRefusedError);
  });

  it('is allowed from the CLI by ?allowPlainAuth=1 only; other parameters are refused, not ignored', () => {
    assert.equal(smtpFromCli('smtp://news@mail.example.com?security=none', {})?.allowPlainAuth, undefined);
    for (const value of ['', '=1', '=true', '=yes']) assert.equal(smtpFromCli(`smtp://news@mail.example.com?security=none&allowPlainAuth${value}`, {})?.allowPlainAuth, true, value);
    assert.equal(smtpFromCli('smtp://news@mail.example.com?security=none&allowPlainAuth=0', {})?.allowPlainAuth, undefined);
    assert.throws(() => smtpFromCli('smtp://news@mail.example.com?allowPlainAuth=maybe', {}), /allowPlainAuth must be 1 or 0, not maybe/);
    assert.throws(() => smtpFromCli('smtp://news@mail.example.com?allowPlainauth=1', {}), (e: unknown) => e instanceof UsageError && /unknown parameter allowPlainauth/.test(e.message));
    const fromEnv = smtpFromCli(undefined, { MAILINGS_SMTP_URL: 'smtp://news@mail.example.com:25?security=none&allowPlainAuth=1', MAILINGS_SMTP_PASSWORD: 'pw' });
    assert.deepEqual(fromEnv, { host: 'mail.example.com', port: 25, security: 'none', user: 'news', password: 'pw', allowPlainAuth: true });
  });
});
