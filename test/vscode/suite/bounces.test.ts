// After the send, in a real VS Code: the bounce mailbox read by the extension host from a real
// Dovecot on 127.0.0.1 (machine settings, the password in SecretStorage), the address a DSN names
// suppressed and shown in the Mailings view's suppression list, its bounce counted in the
// statistics; then Clear Bounce Flag, Add and Remove from the view's commands, and a mailbox that
// refuses the login said so.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sendNow } from '../../../src/core/actions';
import { mailingTag, verpAddress } from '../../../src/core/render/verp';
import { foldJournal } from '../../../src/core/state/journalReader';
import { mailingStateDir } from '../../../src/core/state/paths';
import { readSendList } from '../../../src/core/state/sendList';
import { readSnapshot } from '../../../src/core/state/snapshot';
import { SuppressionList } from '../../../src/core/suppression/suppressionList';
import type { MailingsApi } from '../../../src/extension/extension';
import { stateRootFor } from '../../../src/extension/mailingFiles';
import { readSample } from '../../support/bounceFixtures';
import { appendMessages, dovecotBinary, folderMessages, startDovecot, type DovecotServer } from '../../support/dovecot';
import { api, closeAll, copyMailing, diagnosticsWhen, expectation, hasStatus, lacksCode, open, stateWhen, waitUntil } from './helpers';

// The view's nodes come from the extension's bundle, not from this file's imports: known by shape.
interface ListNode {
  stateRoot: string;
  entries: unknown[];
}
interface EntryNode {
  stateRoot: string;
  address: string;
  entry: unknown;
}
const isList = (node: unknown): node is ListNode => typeof node === 'object' && node !== null && Array.isArray((node as ListNode).entries);
const isEntry = (node: unknown): node is EntryNode => typeof node === 'object' && node !== null && typeof (node as EntryNode).address === 'string' && 'entry' in node;

interface Outcome {
  ok: boolean;
  message?: string;
  reason?: string;
}

const run = (command: string, ...args: unknown[]) => vscode.commands.executeCommand<Outcome>(command, ...args);
const config = () => vscode.workspace.getConfiguration('mailings');
const IMAP_KEYS = ['bounces.imap.host', 'bounces.imap.port', 'bounces.imap.security', 'bounces.imap.user', 'bounces.pollMinutes'];

/** The suppression list node of `root` as the Mailings view shows it, and its rows' labels and descriptions. */
async function viewedList(mailings: MailingsApi, root: string): Promise<{ node: ListNode | undefined; rows: string[] }> {
  const top = await mailings.tree.getChildren();
  const node = top.find((n): n is ListNode & (typeof top)[number] => isList(n) && n.stateRoot === path.resolve(root));
  if (!node) return { node, rows: [] };
  const rows = (await mailings.tree.getChildren(node as never)).map((child) => {
    const item = mailings.tree.getTreeItem(child);
    return `${String(item.label)} — ${String(item.description ?? '')}`;
  });
  return { node, rows };
}

function viewWhen(mailings: MailingsApi, root: string, expected: (rows: string[]) => boolean, description: string) {
  return waitUntil({
    subject: 'the Mailings view’s suppression list',
    expected: expectation(description, (value: { node: ListNode | undefined; rows: string[] }) => expected(value.rows)),
    read: () => viewedList(mailings, root),
    subscribe: (changed) => mailings.tree.onDidChangeTreeData(changed),
    show: (value) => JSON.stringify(value.rows),
    events: 'view change',
  });
}

describe('Bounces and the suppression list in VS Code (real Dovecot)', function () {
  this.timeout(120_000);
  let mailings: MailingsApi;
  let imap: DovecotServer;

  before(async function () {
    if (!dovecotBinary()) throw new Error('dovecot-imapd is not installed: scripts/tools.sh installs it (docs/testing-imap.md)');
    mailings = await api();
    imap = await startDovecot();
    // Only when asked: a timed round must not race the steps below.
    await config().update('bounces.pollMinutes', 0, vscode.ConfigurationTarget.Global);
    await config().update('bounces.imap.host', '127.0.0.1', vscode.ConfigurationTarget.Global);
    await config().update('bounces.imap.port', imap.port, vscode.ConfigurationTarget.Global);
    await config().update('bounces.imap.security', 'none', vscode.ConfigurationTarget.Global);
    await config().update('bounces.imap.user', imap.user, vscode.ConfigurationTarget.Global);
    await mailings.services.imapPassword.store(imap.password);
  });
  after(async () => {
    for (const key of IMAP_KEYS) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await mailings?.services.imapPassword.delete();
    await imap?.stop();
  });
  afterEach(closeAll);

  it('reads a DSN from the bounce mailbox: suppressed, in the view, counted as bounced; Clear Bounce Flag, Add, Remove', async () => {
    const uri = copyMailing('outbox.mailing.yaml', 'bounced.mailing.yaml', (text) =>
      text.replace('a letter for the outbox', 'a letter that bounces').replace('transport: outbox', 'transport: outbox\n  bounceAddress: bounces@northwind.example'),
    );
    await open(uri);
    assert.ok((await run('mailings.sendTest', uri)).ok);
    await diagnosticsWhen(uri, lacksCode('test-not-sent'));
    const root = stateRootFor(uri);
    assert.equal((await sendNow(await mailings.services.models.forUri(uri), { stateRoot: root, owner: 'another process' })).status, 'completed');
    await stateWhen(mailings, uri, hasStatus('completed'));

    // The DSN Postfix writes for an unknown user, to this mailing's VERP address of its first recipient.
    const stateDir = mailingStateDir(root, uri.fsPath);
    const snapshot = await readSnapshot(stateDir);
    const recipients = await readSendList(stateDir, snapshot, await foldJournal(stateDir));
    const bounced = recipients[0].email;
    const verp = verpAddress('bounces@northwind.example', snapshot.messageIdToken, 0);
    assert.match(verp, new RegExp(`^bounces\\+${mailingTag(snapshot.messageIdToken)}-0@northwind\\.example$`));
    const sample = (await readSample('postfix-user-unknown-verp.eml')).toString('utf8');
    await appendMessages(imap, 'INBOX', [sample.replaceAll('bounces+q76szfvmqyvj-17@northwind.example', verp).replaceAll('piet@klant.example', bounced)]);

    const polled = await run('mailings.checkBounces');
    assert.equal(polled.ok, true, JSON.stringify(polled));
    assert.match(polled.message ?? '', /^Bounce mailbox read: 1 unseen, 1 handled; 1 suppressed, 0 soft bounces counted; 0 left in the mailbox\.$/);
    assert.deepEqual(
      (await new SuppressionList(root).list()).map((e) => [e.address, e.reason]),
      [[bounced, 'hard-bounce']],
    );
    assert.equal((await folderMessages(imap, 'INBOX')).length, 0, 'the DSN is moved out of the inbox');
    await stateWhen(mailings, uri, expectation('to count 1 bounced', (stats) => stats.bounced === 1));
    const { rows } = await viewWhen(mailings, root, (r) => r.length === 1, 'to show 1 address');
    assert.match(rows[0], new RegExp(`^${bounced.replace('.', '\\.')} — hard bounce · `));
    // Read again: nothing new, nothing counted twice.
    assert.match((await run('mailings.checkBounces')).message ?? '', /^Bounce mailbox read: 0 unseen, 0 handled; 0 suppressed/);

    // Clear Bounce Flag on the view's row: the address may be mailed again.
    const { node } = await viewedList(mailings, root);
    assert.ok(node);
    const entry = (await mailings.tree.getChildren(node as never)).find(isEntry);
    assert.ok(entry);
    assert.equal(mailings.tree.getTreeItem(entry as never).contextValue, 'suppression.entry.bounce');
    const cleared = await run('mailings.suppression.clearBounceFlag', entry);
    assert.equal(cleared.ok, true, JSON.stringify(cleared));
    assert.equal(cleared.message, `Bounce flag of ${bounced} cleared: 0 soft bounces forgotten, no longer suppressed.`);
    await viewWhen(mailings, root, (r) => r.length === 0, 'to be empty');

    // Add by hand from the list node (a comma-separated entry), then remove one from its row.
    const added = await run('mailings.suppression.add', node, 'piet@klant.example, Ann@Klant.example');
    assert.equal(added.message, '2 added to the suppression list, 0 listed already.');
    const manual = await viewWhen(mailings, root, (r) => r.length === 2, 'to show the 2 added');
    assert.ok(manual.rows.every((row) => / — added by hand · /.test(row)), JSON.stringify(manual.rows));
    assert.equal((await run('mailings.suppression.add', node, 'not-an-address')).reason, 'invalid-input');
    const row = (await mailings.tree.getChildren(manual.node as never)).find((n) => isEntry(n) && n.address === 'piet@klant.example');
    assert.ok(row);
    assert.equal(mailings.tree.getTreeItem(row as never).contextValue, 'suppression.entry', 'no bounce flag to clear on a manual entry');
    const removed = await run('mailings.suppression.remove', row);
    assert.equal(removed.message, 'piet@klant.example removed from the suppression list: mailings can reach it again.');
    await viewWhen(mailings, root, (r) => r.length === 1 && r[0].startsWith('Ann@Klant.example'), 'to show Ann only');
    assert.equal((await run('mailings.suppression.clearBounceFlag', node, 'ann@klant.example')).reason, 'invalid-input', 'a manual entry has no bounce flag');
    await new SuppressionList(root).remove(['ann@klant.example']);
  });

  it('says so when the mailbox refuses the login, and when none is configured', async () => {
    await mailings.services.imapPassword.store('wrong');
    try {
      const refused = await run('mailings.checkBounces');
      assert.equal(refused.reason, 'failed', JSON.stringify(refused));
      assert.match(refused.message ?? '', /^The bounce mailbox could not be read: the IMAP server 127\.0\.0\.1:\d+ refused the login of /);
    } finally {
      await mailings.services.imapPassword.store(imap.password);
    }
    await config().update('bounces.imap.host', undefined, vscode.ConfigurationTarget.Global);
    try {
      assert.equal((await run('mailings.checkBounces')).reason, 'bounces-unconfigured');
    } finally {
      await config().update('bounces.imap.host', '127.0.0.1', vscode.ConfigurationTarget.Global);
    }
  });
});
