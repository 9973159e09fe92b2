// Commands, CodeLens and state inside a real VS Code: the lenses follow the send state (draft,
// scheduled, completed) as the journal changes, commands refuse in the wrong states with a reason,
// and Send Test delivers through a real SMTP server on 127.0.0.1.
import * as assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import * as vscode from 'vscode';
import { scheduleMailing, sendNow } from '../../../src/core/actions';
import { findStateRoot } from '../../../src/core/state/stateRoot';
import type { MailingsApi } from '../../../src/extension/extension';
import { api, closeAll, copyMailing, diagnosticsWhen, fixtureUri, hasCode, lacksCode, lensTitles, open, stateWhen } from './helpers';

type Outcome = { ok: boolean; reason?: string; message?: string };

const run = (command: string, ...args: unknown[]) => vscode.commands.executeCommand<Outcome>(command, ...args);

describe('commands and CodeLens', () => {
  let mailings: MailingsApi;
  before(async () => {
    mailings = await api();
  });
  afterEach(closeAll);

  it('follow a mailing from draft through scheduled back to draft and on to completed', async () => {
    const uri = copyMailing('outbox.mailing.yaml', 'lifecycle.mailing.yaml');
    await open(uri);
    const ctx = { stateRoot: findStateRoot(uri.fsPath), owner: 'extension test' };

    assert.deepEqual(await lensTitles(uri), ['$(checklist) Confirm…', 'Send test', 'Send now', 'Schedule…']);
    assert.equal((await run('mailings.start', uri)).reason, 'wrong-state');
    assert.equal((await run('mailings.stop', uri)).reason, 'wrong-state');
    await diagnosticsWhen(uri, hasCode('test-not-sent'));
    assert.equal((await run('mailings.sendNow', uri)).reason, 'has-errors');

    const tested = await run('mailings.sendTest', uri);
    assert.ok(tested.ok, tested.message);
    await diagnosticsWhen(uri, lacksCode('test-not-sent'));

    const model = await mailings.services.models.forUri(uri);
    assert.equal(model.hasErrors, false, JSON.stringify(model.diagnostics));
    await scheduleMailing(model, ctx, new Date(Date.now() + 3_600_000));
    await stateWhen(mailings, uri, (stats) => stats.status === 'scheduled');
    const scheduled = await lensTitles(uri);
    assert.match(scheduled[0], /^\$\(clock\) Scheduled to send at .+, in (an hour|60 minutes|1 hour)/);
    assert.deepEqual(scheduled.slice(1), ['Start now', 'Stop']);
    assert.equal((await run('mailings.sendNow', uri)).reason, 'wrong-state');
    assert.equal((await run('mailings.schedule', uri, 'tomorrow 20:00')).reason, 'wrong-state');

    const stopped = await run('mailings.stop', uri);
    assert.ok(stopped.ok, stopped.message);
    await stateWhen(mailings, uri, (stats) => stats.status === 'draft');
    assert.deepEqual(await lensTitles(uri), ['$(checklist) Confirm…', 'Send test', 'Send now', 'Schedule…']);

    const stats = await sendNow(await mailings.services.models.forUri(uri), ctx);
    assert.equal(stats.status, 'completed');
    await stateWhen(mailings, uri, (s) => s.status === 'completed');
    assert.deepEqual(await lensTitles(uri), ['$(pass) Completed: 3 sent, 0 failed', 'Statistics']);
    for (const command of ['mailings.sendNow', 'mailings.start', 'mailings.stop']) {
      assert.equal((await run(command, uri)).reason, 'wrong-state', command);
    }
    assert.equal((await run('mailings.schedule', uri, 'tomorrow 20:00')).reason, 'wrong-state');
  });

  describe('through SMTP', () => {
    let server: SMTPServer;
    const received: { to: string[]; subject: string }[] = [];
    let arrived: (() => void) | undefined;
    const config = () => vscode.workspace.getConfiguration('mailings');

    before(async () => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        onData(stream, session, callback) {
          simpleParser(stream)
            .then((mail) => {
              received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: mail.subject ?? '' });
              arrived?.();
              callback();
            })
            .catch(callback);
        },
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });

    after(async () => {
      for (const key of ['smtp.host', 'smtp.port', 'smtp.security']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('refuses to send without an SMTP server, then sends the test through it', async () => {
      const uri = copyMailing('newsletter.mailing.yaml', 'smtp.mailing.yaml');
      await open(uri);
      await diagnosticsWhen(uri, hasCode('transport-unconfigured'));
      assert.equal((await run('mailings.sendTest', uri)).reason, 'smtp-unconfigured');

      const port = (server.server.address() as AddressInfo).port;
      await config().update('smtp.host', '127.0.0.1', vscode.ConfigurationTarget.Global);
      await config().update('smtp.port', port, vscode.ConfigurationTarget.Global);
      await config().update('smtp.security', 'none', vscode.ConfigurationTarget.Global);
      await diagnosticsWhen(uri, lacksCode('transport-unconfigured'));

      const delivered = new Promise<void>((resolve) => (arrived = resolve));
      const outcome = await run('mailings.sendTest', uri);
      assert.ok(outcome.ok, outcome.message);
      await delivered;
      assert.deepEqual(received[0].to, ['tester@acme.example']);
      assert.match(received[0].subject, /\[TEST\].*Jane, our November news/);
      await diagnosticsWhen(uri, lacksCode('test-not-sent'));
    });
  });

  it('shows the mailings in the view grouped by status', async () => {
    const list = await mailings.services.states.list();
    const names = list.map((info) => info.name);
    assert.ok(names.includes('November newsletter'), names.join(', '));
    assert.ok(list.some((info) => info.uri.fsPath === fixtureUri('broken.mailing.yaml').fsPath));
  });
});
