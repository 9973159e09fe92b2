// Commands, CodeLens and state inside a real VS Code: the lenses follow the send state (draft,
// scheduled, completed) as the journal changes, in any state root, however fast it changes; commands
// refuse in the wrong states with a reason; Send Test delivers through a real SMTP server on
// 127.0.0.1; Configure the SMTP server opens the settings tab where a machine setting can be set.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import * as vscode from 'vscode';
import { scheduleMailing, sendNow, stopMailing } from '../../../src/core/actions';
import type { MailingsApi } from '../../../src/extension/extension';
import { stateRootFor } from '../../../src/extension/mailingFiles';
import {
  announced,
  api,
  closeAll,
  copyMailing,
  diagnosticsWhen,
  expectation,
  fixtureUri,
  hasCode,
  hasStatus,
  lacksCode,
  lenses,
  lensesWhen,
  lensTitles,
  open,
  stateWhen,
  waitUntil,
  workspaceDir,
} from './helpers';

type Outcome = { ok: boolean; reason?: string; message?: string };

const run = (command: string, ...args: unknown[]) => vscode.commands.executeCommand<Outcome>(command, ...args);

describe('commands and CodeLens', () => {
  let mailings: MailingsApi;
  before(async () => {
    mailings = await api();
  });
  afterEach(closeAll);

  /** The lens titles once their state lens (the last) says `state`: the extension announced the change and VS Code asked again. */
  const lensesShowing = (uri: vscode.Uri, state: RegExp) =>
    lensesWhen(mailings, uri, expectation(`to show ${state}`, (titles) => state.test(titles.at(-1) ?? '')));

  const DRAFT_LENSES = ['$(checklist) Confirm…', 'Send test', 'Send now', 'Schedule…'];

  // The state of a mailing is changed here as another process (the CLI) changes it: by the core,
  // outside the extension, so only the state files tell the extension. Every step waits for what the
  // CodeLens shows; a lens that stays stale fails the step with what it showed last.
  it('follow a mailing from draft through scheduled back to draft and on to completed', async () => {
    const uri = copyMailing('outbox.mailing.yaml', 'lifecycle.mailing.yaml');
    await open(uri);
    const ctx = { stateRoot: stateRootFor(uri), owner: 'extension test' };

    assert.deepEqual(await lensTitles(uri), DRAFT_LENSES);
    assert.equal((await run('mailings.start', uri)).reason, 'wrong-state');
    assert.equal((await run('mailings.stop', uri)).reason, 'wrong-state');
    await diagnosticsWhen(uri, hasCode('test-not-sent'));
    assert.equal((await run('mailings.sendNow', uri)).reason, 'has-errors');

    const tested = await run('mailings.sendTest', uri);
    assert.ok(tested.ok, tested.message);
    await diagnosticsWhen(uri, lacksCode('test-not-sent'));

    const model = await mailings.services.models.forUri(uri);
    assert.equal(model.hasErrors, false, JSON.stringify(model.diagnostics));
    const scheduledAnnounced = announced(mailings, uri, 'scheduled');
    await scheduleMailing(model, ctx, new Date(Date.now() + 3_600_000));
    // Fresh at once, before any file-watcher event could have arrived: nothing cached about the
    // mailing's state outlives a write to its state files.
    assert.equal((await mailings.services.states.info(uri)).stats.status, 'scheduled');
    assert.equal((await mailings.services.models.forUri(uri)).state.status, 'scheduled');
    assert.match((await lensTitles(uri)).at(-1) ?? '', /Scheduled/);
    // And announced, so VS Code asks for the lenses again (by a watcher event, or the sweep when none comes).
    await scheduledAnnounced;
    // Actions first, the state short; the whole moment in the state lens's tooltip.
    const scheduled = await lensesShowing(uri, /Scheduled/);
    assert.deepEqual(scheduled.slice(0, 2), ['Start now', 'Stop']);
    assert.match(scheduled[2], /^\$\(clock\) Scheduled (Sun|Mon|Tue|Wed|Thu|Fri|Sat) \d\d:\d\d$/);
    const tooltip = (await lenses(uri))[2].command?.tooltip ?? '';
    assert.match(tooltip, /^Scheduled to send at (Sun|Mon|Tue|Wed|Thu|Fri|Sat) \d+ \w{3} \d{4} \d\d:\d\d(:\d\d)? \S+, in (an hour|60 minutes|1 hour)$/);
    assert.ok(tooltip.includes(scheduled[2].replace(/^.*Scheduled \w+ /, '')), `the tooltip "${tooltip}" has the lens's time`);
    assert.equal((await run('mailings.sendNow', uri)).reason, 'wrong-state');
    assert.equal((await run('mailings.schedule', uri, 'tomorrow 20:00')).reason, 'wrong-state');

    // Stop from the CodeLens command: this window's own action.
    const stopped = await run('mailings.stop', uri);
    assert.ok(stopped.ok, stopped.message);
    await stateWhen(mailings, uri, hasStatus('draft'));
    assert.deepEqual(await lensesWhen(mailings, uri, expectation('to be the draft lenses', (titles) => titles[0] === DRAFT_LENSES[0])), DRAFT_LENSES);

    const completedAnnounced = announced(mailings, uri, 'completed');
    const stats = await sendNow(await mailings.services.models.forUri(uri), ctx);
    assert.equal(stats.status, 'completed');
    await stateWhen(mailings, uri, hasStatus('completed'));
    await completedAnnounced;
    assert.deepEqual(await lensesShowing(uri, /Completed/), ['Statistics', 'Resend…', '$(pass) Completed: 3 sent, 0 failed']);
    assert.match((await lenses(uri))[2].command?.tooltip ?? '', /^Completed at \w{3} \d+ \w{3} \d{4} \d\d:\d\d/);
    for (const command of ['mailings.sendNow', 'mailings.start', 'mailings.stop']) {
      assert.equal((await run(command, uri)).reason, 'wrong-state', command);
    }
    assert.equal((await run('mailings.schedule', uri, 'tomorrow 20:00')).reason, 'wrong-state');
  });

  it('keeps up with state changes in quick succession from another process', async () => {
    // Its own subject: with the lifecycle's content it would be refused as already sent (already-sent).
    const uri = copyMailing('outbox.mailing.yaml', 'bursts.mailing.yaml', (text) => text.replace('a letter for the outbox', 'a letter in bursts'));
    await open(uri);
    const ctx = { stateRoot: stateRootFor(uri), owner: 'another process' };
    assert.ok((await run('mailings.sendTest', uri)).ok);
    await diagnosticsWhen(uri, lacksCode('test-not-sent'));
    // Faster than the extension coalesces refreshes (400 ms): each burst must still end on the right lens.
    for (let round = 1; round <= 4; round++) {
      await scheduleMailing(await mailings.services.models.forUri(uri), ctx, new Date(Date.now() + round * 3_600_000));
      await stopMailing(uri.fsPath, ctx);
      await scheduleMailing(await mailings.services.models.forUri(uri), ctx, new Date(Date.now() + round * 3_600_000));
      const titles = await lensesShowing(uri, /Scheduled/);
      assert.equal(titles[0], 'Start now', `round ${round}`);
      await stopMailing(uri.fsPath, ctx);
      await lensesWhen(mailings, uri, expectation(`to be the draft lenses (round ${round})`, (t) => t[0] === DRAFT_LENSES[0]));
    }
  });

  it('follows a mailing whose state lies outside the workspace folder', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'mailings-outside-'));
    try {
      for (const file of ['customers.csv', 'newsletter.html']) fs.copyFileSync(path.join(workspaceDir(), file), path.join(outside, file));
      fs.copyFileSync(path.join(workspaceDir(), 'outbox.mailing.yaml'), path.join(outside, 'outside.mailing.yaml'));
      const uri = vscode.Uri.file(path.join(outside, 'outside.mailing.yaml'));
      await open(uri);
      const root = stateRootFor(uri);
      assert.ok(!root.startsWith(workspaceDir() + path.sep), `${root} is outside the workspace`);
      assert.ok((await run('mailings.sendTest', uri)).ok);
      await diagnosticsWhen(uri, lacksCode('test-not-sent'));
      const ctx = { stateRoot: root, owner: 'another process' };
      await scheduleMailing(await mailings.services.models.forUri(uri), ctx, new Date(Date.now() + 3_600_000));
      assert.deepEqual((await lensesShowing(uri, /Scheduled/)).slice(0, 2), ['Start now', 'Stop']);
      await stopMailing(uri.fsPath, ctx);
      await lensesWhen(mailings, uri, expectation('to be the draft lenses', (t) => t[0] === DRAFT_LENSES[0]));
      assert.equal((await sendNow(await mailings.services.models.forUri(uri), ctx)).status, 'completed');
      await lensesShowing(uri, /Completed: 3 sent/);
    } finally {
      await closeAll();
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('opens the settings tab where the machine-scoped SMTP settings can be set, and says which', async () => {
    // code-server is a remote window: its machine settings are the remote's, on the Remote tab.
    assert.ok(vscode.env.remoteName, 'code-server windows are remote windows');
    const outcome = await run('mailings.openSmtpSettings');
    assert.ok(outcome.ok);
    assert.equal(outcome.message, `Set mailings.smtp.host in the Remote [${vscode.env.remoteName}] settings (machine settings live where the extension runs).`);
    await waitUntil({
      subject: 'the active editor',
      expected: expectation('to be the settings editor', (label: string | undefined) => label === 'Settings'),
      read: () => vscode.window.tabGroups.activeTabGroup.activeTab?.label,
      subscribe: (changed) => vscode.window.tabGroups.onDidChangeTabs(changed),
      show: (label) => String(label),
      events: 'tab event',
    });
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
