// Inside a real VS Code: every Send test result says where the messages went (the outbox folder, or
// the SMTP server as host:port), and AUTH without TLS to a host that is not loopback is refused until
// the machine setting mailings.smtp.allowPlainAuth allows it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startSmtpServer, type TestSmtpServer } from '../../support/smtpServer';
import { api, closeAll, copyMailing, diagnosticsWhen, lacksCode, open } from './helpers';

type Outcome = { ok: boolean; reason?: string; message?: string };

const run = (command: string, ...args: unknown[]) => vscode.commands.executeCommand<Outcome>(command, ...args);
const config = () => vscode.workspace.getConfiguration('mailings');
const SMTP_KEYS = ['smtp.host', 'smtp.port', 'smtp.security', 'smtp.user', 'smtp.allowPlainAuth'];

async function setSmtp(values: Record<string, unknown>): Promise<void> {
  for (const [key, value] of Object.entries(values)) await config().update(key, value, vscode.ConfigurationTarget.Global);
}

describe('where the messages went, and AUTH without TLS', () => {
  let server: TestSmtpServer | undefined;
  before(api);
  afterEach(async () => {
    await closeAll();
    await server?.close();
    server = undefined;
    for (const key of SMTP_KEYS) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  it('Send test to the outbox names the folder and says no mail left the machine', async () => {
    const uri = copyMailing('outbox.mailing.yaml', 'destination-outbox.mailing.yaml');
    await open(uri);
    const outcome = await run('mailings.sendTest', uri);
    assert.ok(outcome.ok, outcome.message);
    assert.match(outcome.message ?? '', /^Test for tester@acme\.example written to the outbox \.mailings\/outbox\/destination-outbox-[0-9a-f]{8}\/test: no mail left this machine\.$/);
  });

  it('Send test through SMTP names host:port', async () => {
    server = await startSmtpServer();
    const uri = copyMailing('newsletter.mailing.yaml', 'destination-smtp.mailing.yaml');
    await open(uri);
    await setSmtp({ 'smtp.host': '127.0.0.1', 'smtp.port': server.port, 'smtp.security': 'none' });
    await diagnosticsWhen(uri, lacksCode('transport-unconfigured'));
    const outcome = await run('mailings.sendTest', uri);
    assert.ok(outcome.ok, outcome.message);
    assert.equal(outcome.message, `Test sent to tester@acme.example via SMTP 127.0.0.1:${server.port}.`);
    assert.equal(server.received.length, 1);
  });

  it('refuses AUTH without TLS to a host that is not loopback, until mailings.smtp.allowPlainAuth allows it', async () => {
    const uri = copyMailing('newsletter.mailing.yaml', 'destination-plain.mailing.yaml');
    await open(uri);
    await setSmtp({ 'smtp.host': 'mail.example.invalid', 'smtp.port': 2525, 'smtp.security': 'none', 'smtp.user': 'news' });
    await diagnosticsWhen(uri, lacksCode('transport-unconfigured'));
    const refused = await run('mailings.sendTest', uri);
    assert.equal(refused.reason, 'smtp-insecure', refused.message);
    assert.match(refused.message ?? '', /SMTP password would cross the network to mail\.example\.invalid:2525 in clear text.*mailings\.smtp\.allowPlainAuth/);

    await setSmtp({ 'smtp.allowPlainAuth': true });
    // Allowed, it goes on to connect, and fails there: the .invalid name resolves nowhere.
    const attempted = await run('mailings.sendTest', uri);
    assert.equal(attempted.reason, 'failed', attempted.message);
    assert.doesNotMatch(attempted.message ?? '', /clear text/);
  });
});
