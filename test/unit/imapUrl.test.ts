// MAILINGS_IMAP_URL as `mailings bounces` reads it: security and port defaults, folders, and the
// password only from MAILINGS_IMAP_PASSWORD.
import * as assert from 'node:assert/strict';
import { imapAccountFromEnv } from '../../src/cli/commands/bounces';
import { UsageError } from '../../src/cli/io';

describe('MAILINGS_IMAP_URL', () => {
  it('imaps is TLS on 993, imap STARTTLS on 143, security=none plain; folders from the query', () => {
    assert.deepEqual(imapAccountFromEnv({ MAILINGS_IMAP_URL: 'imaps://bounces%40acme@mail.acme.example', MAILINGS_IMAP_PASSWORD: 'pw' }), {
      host: 'mail.acme.example',
      port: 993,
      security: 'tls',
      user: 'bounces@acme',
      password: 'pw',
    });
    const plain = imapAccountFromEnv({ MAILINGS_IMAP_URL: 'imap://b@127.0.0.1:1143?security=none&folder=Bounces&processed=Done' });
    assert.deepEqual([plain.port, plain.security, plain.folder, plain.processedFolder, plain.password], [1143, 'none', 'Bounces', 'Done', '']);
    assert.deepEqual([imapAccountFromEnv({ MAILINGS_IMAP_URL: 'imap://b@host' }).port, imapAccountFromEnv({ MAILINGS_IMAP_URL: 'imap://b@host' }).security], [143, 'starttls']);
  });

  it('refuses what it cannot use, saying why', () => {
    const cases: [string | undefined, RegExp][] = [
      [undefined, /set MAILINGS_IMAP_URL/],
      ['not a url', /is no URL/],
      ['smtp://b@host', /smtp:\/\/ is no IMAP URL/],
      ['imap://b:secret@host', /holds a password: put it in MAILINGS_IMAP_PASSWORD/],
      ['imap://host', /names no user/],
      ['imap://b@host?security=ssl', /security=ssl is none, starttls or tls/],
    ];
    for (const [url, message] of cases) assert.throws(() => imapAccountFromEnv({ MAILINGS_IMAP_URL: url }), (e: unknown) => e instanceof UsageError && message.test(e.message), String(url));
  });
});
