/// <reference lib="dom" />
// The real examples through the real pipeline, without VS Code: the core builds the confirm model,
// the host turns it into the view (with the core-rendered preview), the page in Chromium shows it.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { sendTest } from '../../src/core/actions';
import { buildConfirmModel } from '../../src/core/confirmModel';
import type { ConfirmModel } from '../../src/core/types';
import { UI_STRINGS } from '../../src/extension/webview/uiStrings';
import { formatString } from '../../webview/confirm/strings';
import { actionAvailability } from '../../src/extension/webview/availability';
import { toConfirmView } from '../../src/extension/webview/confirmView';
import { renderPreview } from '../../src/extension/webview/preview';
import { tempDir } from '../support/resolvedMailings';
import { click, cspViolations, REPO_ROOT, screenshot, sendToPage, waitForPosted, WebviewHarness } from './support/pageHarness';

const t = (message: string, ...args: (string | number)[]) => formatString(message, ...args);

async function show(page: Page, model: ConfirmModel): Promise<void> {
  const view = toConfirmView(model, {
    now: new Date(),
    locale: 'en',
    actions: actionAvailability({ model, trusted: true, t }),
    preview: await renderPreview(model, 0),
    previewWidth: 'desktop',
    inlineLabel: 'listed in the file',
  });
  await sendToPage(page, { type: 'model', page: 'confirm', ui: { locale: 'en', strings: UI_STRINGS }, model: view });
  await page.locator('vscode-collapsible[data-step="setup"]').waitFor();
}

describe('the examples, core → host view → page (Chromium)', function () {
  this.timeout(90000);
  let harness: WebviewHarness;
  let dir: string;

  before(async () => {
    harness = await WebviewHarness.start();
  });
  after(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    dir = await tempDir('mailings-webview-examples-');
    await fs.cp(path.join(REPO_ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
  });
  afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

  it('broken example: every error red with its code, Send now disabled with the reason, click reveals', async () => {
    const model = await buildConfirmModel(path.join(dir, 'examples/broken/broken.mailing.yaml'), { stateRoot: path.join(dir, '.mailings'), now: new Date() });
    const errors = model.diagnostics.filter((d) => d.severity === 'error');
    assert.ok(errors.length >= 10, `${errors.length} errors`);
    const page = await harness.open({ theme: 'light' });
    try {
      await show(page, model);
      assert.equal(await page.locator('.diagnostic.error').count(), errors.length);
      const codes = await page.locator('.diagnostic.error .code').allTextContents();
      assert.deepEqual(new Set(codes), new Set(errors.map((d) => d.code)));
      assert.equal(await page.locator('vscode-button[data-action="sendNow"]').getAttribute('disabled'), '');
      assert.equal(await page.getByTestId('reason-sendNow').textContent(), `Fix the ${errors.length} errors first.`);
      await screenshot(page, 'example-broken-light');

      // The diagnostic in broken.html is revealed in that file, at its range.
      const index = model.diagnostics.findIndex((d) => d.file && d.file.endsWith('broken.html'));
      assert.ok(index >= 0, 'a diagnostic located in broken.html');
      await click(page, page.locator(`.diagnostic[data-index="${index}"]`));
      const reveal = await waitForPosted(page, (m) => m.type === 'reveal');
      assert.deepEqual(reveal, { type: 'reveal', range: model.diagnostics[index].range, file: model.diagnostics[index].file });
      assert.deepEqual(await cspViolations(page), []);
    } finally {
      await page.close();
    }
  });

  it('newsletter example: test-not-sent until a test is sent, then Send now enabled; the preview is the message', async () => {
    const file = path.join(dir, 'examples/newsletter/newsletter.mailing.yaml');
    const stateRoot = path.join(dir, '.mailings');
    const before = await buildConfirmModel(file, { stateRoot, now: new Date() });
    assert.deepEqual(before.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), ['test-not-sent']);
    await sendTest(before, { stateRoot });
    const after = await buildConfirmModel(file, { stateRoot, now: new Date() });
    assert.equal(after.hasErrors, false);

    const page = await harness.open({ theme: 'dark' });
    try {
      await show(page, before);
      assert.equal(await page.locator('vscode-button[data-action="sendNow"]').getAttribute('disabled'), '');
      await show(page, after);
      await page.getByTestId('reason-sendNow').waitFor({ state: 'detached' });
      assert.equal(await page.locator('vscode-button[data-action="sendNow"]').getAttribute('disabled'), null);
      assert.match((await page.getByTestId('test-last').textContent()) ?? '', /^Last test to editor@northwind\.example: .+$/);
      const first = after.mailing.targetList?.recipients[0];
      assert.ok(first);
      const frame = page.frameLocator('iframe.preview-frame');
      await frame.locator('body').getByText(first.fields.firstName ?? first.email).first().waitFor();
      await screenshot(page, 'example-newsletter-dark');
      assert.deepEqual(await cspViolations(page), []);
    } finally {
      await page.close();
    }
  });

  it('a local image (sent as a cid: part) shows in the preview, under the strict CSP; and in dark mode', async () => {
    const folder = path.join(dir, 'examples/newsletter');
    const logo = '<svg xmlns="http://www.w3.org/2000/svg" width="140" height="36"><rect width="140" height="36" fill="#b45f06"/></svg>';
    await fs.writeFile(path.join(folder, 'local-logo.svg'), logo);
    const source = await fs.readFile(path.join(folder, 'newsletter.html'), 'utf8');
    await fs.writeFile(path.join(folder, 'newsletter.html'), source.replace(/<body([^>]*)>/, '<body$1><img id="local-logo" src="local-logo.svg" width="140" height="36" alt="Northwind">'));
    const model = await buildConfirmModel(path.join(folder, 'newsletter.mailing.yaml'), { stateRoot: path.join(dir, '.mailings'), now: new Date() });
    assert.deepEqual(model.mailing.images?.map((image) => image.filename), ['local-logo.svg']);
    const page = await harness.open({ theme: 'light' });
    try {
      await show(page, model);
      const frame = page.frameLocator('iframe.preview-frame');
      const image = frame.locator('#local-logo');
      await image.waitFor();
      assert.match((await image.getAttribute('src')) ?? '', /^data:image\/svg\+xml;base64,/);
      // The frame is sandboxed (an opaque origin): asked from inside it.
      const content = await (await page.locator('iframe.preview-frame').elementHandle())?.contentFrame();
      assert.ok(content, 'the preview frame exists');
      await content.waitForFunction(() => (document.getElementById('local-logo') as HTMLImageElement | null)?.naturalWidth === 140, undefined, { timeout: 15_000 }).catch(async () => {
        throw new Error(`waited for the local image to load; its naturalWidth is ${await image.evaluate((img) => (img as HTMLImageElement).naturalWidth)}`);
      });
      await page.locator('.preview').scrollIntoViewIfNeeded();
      await screenshot(page, 'example-newsletter-local-image');
      await click(page, page.locator('vscode-button[data-action="toggleDark"]'));
      await page.getByTestId('preview-dark').waitFor();
      await frame.locator('#local-logo').waitFor();
      await page.locator('.preview').scrollIntoViewIfNeeded();
      await screenshot(page, 'example-newsletter-preview-dark');
      assert.deepEqual(await cspViolations(page), []);
    } finally {
      await page.close();
    }
  });
});
