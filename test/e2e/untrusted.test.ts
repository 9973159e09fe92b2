// An untrusted workspace (Restricted Mode, as a freshly cloned repository opens): the extension still
// checks mailings, but offers no way to send or schedule (`untrustedWorkspaces: limited`). VS Code
// always trusts an extension-development window, so this test installs the extension as a user would
// and keeps workspace trust on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openWorkbench, screenshot, startCodeServer, waitForText, type CodeServer, type Workbench } from '../support/codeServer';

const root = path.resolve(__dirname, '../../..');

describe('Mailings in an untrusted workspace (Restricted Mode)', function () {
  this.timeout(240_000);
  let folder: string;
  let cs: CodeServer;
  let wb: Workbench;
  let page: Page;

  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mailings-untrusted-'));
    fs.cpSync(path.join(root, 'test/fixtures/workspace'), folder, { recursive: true });
    cs = await startCodeServer({
      extensions: [root],
      workspaceTrust: true,
      settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' },
    });
    wb = await openWorkbench(cs, { folder });
    page = wb.page;
  });

  after(async () => {
    await wb?.close();
    await cs?.stop();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('shows squiggles and a CodeLens with Confirm only; the palette offers no send command', async () => {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible' });
    await input.fill('outbox.mailing.yaml');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'outbox.mailing.yaml' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'outbox.mailing.yaml' }).waitFor();

    // The checks run: the fixture has never been tested, so test-not-sent is squiggled.
    await page.locator('.squiggly-error').first().waitFor({ timeout: 60_000 });
    const lens = await waitForText(page, '.codelens-decoration', /Confirm/, 60_000);
    const lensText = (await lens.innerText()).trim();
    assert.doesNotMatch(lensText, /Send now|Send test|Schedule/, lensText);

    // Send commands are hidden from the palette while the workspace is not trusted.
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    await input.fill('>Mailings: ');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Mailings:' }).first().waitFor({ timeout: 30_000 });
    const titles = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
    await screenshot(page, 'untrusted-palette');
    assert.ok(titles.some((t) => /Validate Workspace/.test(t)), titles.join(' | '));
    for (const forbidden of [/Send Now/, /Send Test/, /Schedule/, /^Mailings: Start$/]) {
      assert.ok(!titles.some((t) => forbidden.test(t.trim())), `${forbidden} offered in Restricted Mode: ${titles.join(' | ')}`);
    }
    await page.keyboard.press('Escape');
    assert.equal(fs.existsSync(path.join(folder, '.mailings', 'mailings')), false, 'no mailing state may be written');
  });
});
