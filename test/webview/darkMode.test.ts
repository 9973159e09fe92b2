/// <reference lib="dom" />
// The preview's dark mode and the Inbox step's on-demand checks, in a real Chromium. Dark mode shows
// a message the two ways mail clients do: a message with dark styles of its own gets them (its
// `prefers-color-scheme: dark` rules apply, the light ones not), any other is inverted with its images
// turned back. The choice is the page's own and survives a reload. Screenshots:
// webview-preview-dark-*.png.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { cleanModel, modelMessage } from './support/fixtures';
import { click, pageSuite, posted, savedPageState, screenshot, sendToPage, WAIT_MS, waitForPosted } from './support/pageHarness';

const LOGO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30"><rect width="120" height="30" fill="#0b5394"/></svg>').toString('base64')}`;

/** A plain light newsletter: black on white, a logo. */
const LIGHT_ONLY = `<!doctype html><html><head><style>body { background: #ffffff; color: #111111; font: 16px sans-serif; }</style></head>
<body><h1 id="headline">Autumn reading</h1><p id="text">Dear Jane, our picks for November.</p><img id="logo" src="${LOGO}" width="120" height="30" alt="Acme"></body></html>`;

/** A message that brings its own dark styles (and a light rule that must not apply in dark mode). */
const OWN_DARK = `<!doctype html><html><head><meta name="color-scheme" content="light dark">
<style>body { background: #ffffff; color: #111111; }
@media (prefers-color-scheme: dark) { body { background: #102030; color: #eeeeee; } }
@media (prefers-color-scheme: light) { #headline { color: #ff0000; } }</style></head>
<body><h1 id="headline">Autumn reading</h1><img id="logo" src="${LOGO}" width="120" height="30" alt="Acme"></body></html>`;

describe('Confirm preview: dark mode and the Inbox checks (Chromium)', function () {
  this.timeout(60000);
  const pages = pageSuite();

  function withHtml(html: string) {
    const model = cleanModel();
    model.preview = { ...model.preview!, html };
    return model;
  }

  async function frameOf(page: Page): Promise<Frame> {
    const handle = await page.locator('iframe.preview-frame').elementHandle({ timeout: WAIT_MS });
    const frame = await handle?.contentFrame();
    assert.ok(frame, 'the preview frame exists');
    await frame.locator('#headline').waitFor({ timeout: WAIT_MS });
    return frame;
  }

  const style = (frame: Frame, selector: string, property: string) =>
    frame.locator(selector).evaluate((el, p) => getComputedStyle(el).getPropertyValue(p), property);

  it('inverts a message without dark styles, images turned back; the choice is kept across a reload', async () => {
    const page = await pages.open();
    await sendToPage(page, modelMessage(withHtml(LIGHT_ONLY)));
    let frame = await frameOf(page);
    assert.equal(await style(frame, 'html', 'filter'), 'none');
    assert.equal(await page.getByTestId('preview-dark').count(), 0);
    const toggle = page.locator('vscode-button[data-action="toggleDark"]');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');

    await click(page, toggle);
    await page.getByTestId('preview-dark').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('preview-dark').getAttribute('data-dark'), 'inverted');
    assert.match((await page.getByTestId('preview-dark').textContent()) ?? '', /invert colours/);
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    frame = await frameOf(page);
    assert.equal(await style(frame, 'html', 'filter'), 'invert(1) hue-rotate(180deg)');
    assert.equal(await style(frame, '#logo', 'filter'), 'invert(1) hue-rotate(180deg)', 'the logo is turned back');
    // The text is still what the recipient reads; only the colours changed.
    assert.equal(await frame.locator('#text').textContent(), 'Dear Jane, our picks for November.');
    await page.locator('.preview').scrollIntoViewIfNeeded();
    await screenshot(page, 'preview-dark-inverted');
    // Nothing went to the host: the host renders the same HTML either way.
    assert.deepEqual((await posted(page)).filter((m) => m.type !== 'ready'), []);

    const state = await savedPageState(page);
    assert.equal((state as { previewDark?: boolean }).previewDark, true);
    const reloaded = await pages.open({ savedState: state });
    await page.close();
    await sendToPage(reloaded, modelMessage(withHtml(LIGHT_ONLY)));
    frame = await frameOf(reloaded);
    assert.equal(await style(frame, 'html', 'filter'), 'invert(1) hue-rotate(180deg)');

    await click(reloaded, reloaded.locator('vscode-button[data-action="toggleDark"]'));
    await reloaded.getByTestId('preview-dark').waitFor({ state: 'detached', timeout: WAIT_MS });
    frame = await frameOf(reloaded);
    assert.equal(await style(frame, 'html', 'filter'), 'none');
  });

  it('shows a message with its own dark styles as it asks: dark rules on, light rules off, nothing inverted', async () => {
    const page = await pages.open();
    await sendToPage(page, modelMessage(withHtml(OWN_DARK)));
    let frame = await frameOf(page);
    assert.equal(await style(frame, 'body', 'background-color'), 'rgb(255, 255, 255)');
    await click(page, page.locator('vscode-button[data-action="toggleDark"]'));
    await page.getByTestId('preview-dark').waitFor({ timeout: WAIT_MS });
    assert.equal(await page.getByTestId('preview-dark').getAttribute('data-dark'), 'own');
    frame = await frameOf(page);
    assert.equal(await style(frame, 'body', 'background-color'), 'rgb(16, 32, 48)');
    assert.equal(await style(frame, 'body', 'color'), 'rgb(238, 238, 238)');
    assert.notEqual(await style(frame, '#headline', 'color'), 'rgb(255, 0, 0)', 'the light-only rule does not apply');
    assert.equal(await style(frame, 'html', 'filter'), 'none');
    await page.locator('.preview').scrollIntoViewIfNeeded();
    await screenshot(page, 'preview-dark-own');
  });

  it('offers Check links and Check spam score in the Inbox step, each posting its message; disabled with the reason', async () => {
    const page = await pages.open();
    await sendToPage(page, modelMessage(cleanModel()));
    const checks = page.getByTestId('inbox-checks');
    await checks.waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await checks.locator('vscode-button').allTextContents(), ['Check links', 'Check spam score']);
    await click(page, checks.locator('vscode-button[data-action="checkLinks"]'));
    await waitForPosted(page, (m) => m.type === 'checkLinks');
    await click(page, checks.locator('vscode-button[data-action="checkSpamScore"]'));
    await waitForPosted(page, (m) => m.type === 'checkSpamScore');

    const model = cleanModel();
    model.actions = { ...model.actions, checkLinks: { offered: true, enabled: false, reason: 'The message has no links or images to check.' } };
    await sendToPage(page, modelMessage(model));
    await page.getByTestId('reason-checkLinks').waitFor({ timeout: WAIT_MS });
    assert.equal(await checks.locator('vscode-button[data-action="checkLinks"]').getAttribute('disabled'), '');
    assert.equal(await page.getByTestId('reason-checkLinks').textContent(), 'The message has no links or images to check.');
  });
});
