// The Inbox step's slow checks in a real VS Code: Check Links against a real HTTP server on
// 127.0.0.1 (findings in the Problems panel at the lines of the HTML, gone once the content changes),
// and the spam score by the real SpamAssassin after a save and from the command.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { allOf, api, closeAll, codeOf, copyMailing, diagnosticsWhen, expectation, hasCode, lacksCode, open, workspaceDir } from './helpers';

const config = () => vscode.workspace.getConfiguration('mailings');

interface Outcome {
  ok: boolean;
  message?: string;
  reason?: string;
}

describe('Inbox checks: links and spam score', function () {
  this.timeout(120_000);
  let server: http.Server;
  let base: string;
  const hits: string[] = [];

  before(async () => {
    await api();
    server = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      if (req.url === '/moved') res.writeHead(301, { location: '/ok' }).end();
      else if (req.url === '/gone') res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<p>ok</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A loopback server stands for a staging server: fetched only with this (machine) setting.
    await config().update('inbox.checkLocalLinks', true, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('inbox.checkLocalLinks', undefined, vscode.ConfigurationTarget.Global);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterEach(closeAll);

  it('Check Links: broken and redirected links in the Problems panel at their lines; gone once the HTML changes', async () => {
    const html = path.join(workspaceDir(), 'links.html');
    const lines = ['<p>Hi {{firstName}}</p>', `<p><a href="${base}/ok">fine</a></p>`, `<p><a href="${base}/gone">gone</a></p>`, `<p><a href="${base}/moved">moved</a></p>`];
    fs.writeFileSync(html, lines.join('\n'));
    // The unsubscribe link is checked too (as the first recipient gets it).
    const uri = copyMailing('outbox.mailing.yaml', 'links.mailing.yaml', (text) => text.replace('newsletter.html', 'links.html').replace('https://acme.example/u?e=', `${base}/u?e=`));
    await open(uri);
    const htmlUri = vscode.Uri.file(html);
    await diagnosticsWhen(htmlUri, hasCode('link-local'));

    const outcome = await vscode.commands.executeCommand<Outcome>('mailings.checkLinks', uri);
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.match(outcome.message ?? '', /^Links checked: 4 addresses: 1 broken, 1 redirected\. The findings are in the Problems panel\.$/);
    const found = await diagnosticsWhen(htmlUri, allOf(hasCode('link-broken'), hasCode('link-redirect')));
    const broken = found.find((d) => codeOf(d) === 'link-broken')!;
    const redirect = found.find((d) => codeOf(d) === 'link-redirect')!;
    assert.equal(broken.range.start.line, 2);
    assert.match(broken.message, /404/);
    assert.equal(redirect.range.start.line, 3);
    assert.match(redirect.message, new RegExp(`${base}/ok`.replace(/[.]/g, '\\.')));
    assert.ok(hits.includes('HEAD /ok') && hits.includes('GET /gone') && hits.some((hit) => hit.startsWith('HEAD /u?e=')), hits.join(', '));

    // The findings belong to that content: once the HTML changes they are gone until checked again.
    fs.writeFileSync(html, [lines[0], lines[1]].join('\n'));
    await diagnosticsWhen(htmlUri, allOf(lacksCode('link-broken'), lacksCode('link-redirect')));
  });

  it('scores the spam after a save (a spammy mailing: spam-score), and from Check Spam Score', async () => {
    const shout =
      'FREE MONEY!!! Click here to claim your CASH PRIZE now. 100% FREE, no risk, act now! Viagra, cheap meds, lose weight fast, make $$$ from home. ' +
      'Dear friend, you have been selected as a WINNER of $1,000,000 US DOLLARS. Limited time offer, order now, satisfaction guaranteed, no credit check.';
    fs.writeFileSync(
      path.join(workspaceDir(), 'spammy.html'),
      `<html><body bgcolor="#ff0000"><center><font color="#ffff00" size="7"><b>${shout.toUpperCase()}</b></font></center><p><a href="http://acme.example/claim">CLICK HERE</a></p><p><font size="1" color="#ffffff">${shout}</font></p></body></html>`,
    );
    const uri = copyMailing('outbox.mailing.yaml', 'spammy.mailing.yaml', (text) =>
      text.replace('newsletter.html', 'spammy.html').replace(/^subject: .*$/m, 'subject: "FREE!!! CASH PRIZE WINNER - ACT NOW $$$ 100% FREE"'),
    );
    const editor = await open(uri);
    await diagnosticsWhen(uri, allOf(hasCode('test-not-sent'), lacksCode('spam-score')));
    // A save (of an edit) scores the message: the first SpamAssassin run compiles its rules.
    await editor.edit((edit) => edit.insert(new vscode.Position(editor.document.lineCount, 0), '# saved\n'));
    assert.equal(await editor.document.save(), true);
    const [score] = (await diagnosticsWhen(uri, hasCode('spam-score'), 90_000)).filter((d) => codeOf(d) === 'spam-score');
    assert.match(score.message, /^SpamAssassin scores the message for .+ at [\d.]+ points, over [\d.]+/);

    const outcome = await vscode.commands.executeCommand<Outcome>('mailings.checkSpamScore', uri);
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.match(outcome.message ?? '', /^Spam score: [\d.]+ points \(SpamAssassin; a warning over 3, an error over 5\)\. The findings are in the Problems panel\.$/);
    await diagnosticsWhen(uri, expectation('to still have spam-score', (list) => list.some((d) => codeOf(d) === 'spam-score')));
  });
});
