// The template renderer inside the send engine (Send now through the actions API, chosen with
// RunOptions.renderer) to a real SMTP server: what arrives parses to what nodemailer's own
// composition of the same recipient parses to — dot-stuffing, line breaks and encodings survive the
// SMTP hand-off, and the journal's statistics match what the server got.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { sendNow, type SendOptions } from '../../src/core/actions';
import { nodemailerRenderer } from '../../src/core/render/nodemailerRenderer';
import { prepareMailing } from '../../src/core/render/prepared';
import { templateRenderer } from '../../src/core/render/templateRenderer';
import { mailingStateDir } from '../../src/core/state/paths';
import { readSnapshot } from '../../src/core/state/snapshot';
import type { Recipient, SendContext } from '../../src/core/types';
import { makeMailing, modelFor, tempDir } from '../support/resolvedMailings';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';

/** What must be equal: every header but Date (the engine stamps its own), bodies, attachments. */
function comparable(parsed: ParsedMail) {
  return {
    headers: [...parsed.headers]
      .filter(([key]) => key !== 'date')
      .map(([key, value]) => {
        if (key !== 'content-type' || typeof value !== 'object' || !value || !('params' in value)) return [key, value];
        const params = { ...(value as { params: Record<string, string> }).params };
        delete params.boundary;
        return [key, { ...(value as object), params }];
      }),
    text: parsed.text,
    html: parsed.html,
    attachments: parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString('base64')]),
  };
}

describe('template renderer in the send engine', function () {
  this.timeout(120_000);
  let dir: string;
  let server: TestSmtpServer | undefined;

  beforeEach(async () => {
    dir = await tempDir('mailings-template-send-');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('delivers over SMTP what nodemailer would have composed, recipient by recipient', async () => {
    server = await startSmtpServer();
    const values = ['Ann', 'Zoë "Z" <b>&', '.\n..\n.', 'Line\r\nBcc: evil@attacker.test', '🎉 東京', 'x'.repeat(300), 'lone\rcr', ' spaced  '];
    const list: Recipient[] = Array.from({ length: 40 }, (_, i) => {
      const email = `r${i}@example.test`;
      return { email, fields: { email, firstName: values[i % values.length], city: values[(i * 3) % values.length] } };
    });
    const mailing = await makeMailing({
      dir,
      recipients: list,
      attachments: { 'price list.pdf': Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256)) },
      sending: { transport: 'smtp', connections: 3 },
      mailing: {
        subject: '{{firstName}}, news from {{city}}',
        text: { source: 'Hello {{firstName}},\n.\nNews from {{city}}:\n{{city}}\n.\nhttps://acme.example/u?e={{email}}\n' },
      },
    });
    const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtp: { host: '127.0.0.1', port: server.port, security: 'none' } };
    // The actions API passes its options on to the run; the renderer is a RunOptions field.
    const stats = await sendNow(modelFor(mailing), ctx, { renderer: templateRenderer } as SendOptions);
    assert.equal(stats.status, 'completed');
    assert.deepEqual([stats.total, stats.sent, stats.failed, stats.uncertain], [40, 40, 0, 0]);
    assert.equal(server.received.length, 40);

    const snapshot = await readSnapshot(mailingStateDir(ctx.stateRoot, mailing.file));
    const reference = nodemailerRenderer(await prepareMailing(snapshot.mailing, { messageIdToken: snapshot.messageIdToken }));
    for (const message of server.received) {
      assert.match(message.raw.toString('latin1'), /boundary="--=_MLS-/, 'composed by the template renderer');
      const index = list.findIndex((r) => r.email === message.to[0]);
      const expected = await reference.render(list[index], index);
      const [got, want] = await Promise.all([simpleParser(message.raw), simpleParser(expected.raw)]);
      assert.deepEqual(comparable(got), comparable(want), message.to[0]);
    }
  });
});
