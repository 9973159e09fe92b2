/// <reference lib="dom" />
// The message preview loads nothing remote until the user asks, in a real Chromium, against a real
// HTTPS server on 127.0.0.1 that stands for a sender's image host (tracking pixel included): opening
// the preview makes no request to it and opens no connection; "Load remote images" reloads the page
// with a CSP that allows https: images (as the host does), and then only the images come, never the
// remote stylesheet, @import or font. Screenshots of both states: webview-preview-remote-*.png.
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Frame, Page } from 'playwright-core';
import { selfSignedCertificate } from '../support/smtpServer';
import { cleanModel, modelMessage } from './support/fixtures';
import { click, pageSuite, savedPageState, screenshot, sendToPage, WAIT_MS, waitForPosted } from './support/pageHarness';

/** Things that arrive (requests, console lines), waited for by event with a deadline and what came. */
class Arrivals {
  readonly items: string[] = [];
  private waiters: (() => void)[] = [];

  add(item: string): void {
    this.items.push(item);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async until(what: string, predicate: (items: string[]) => boolean, timeoutMs = WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.items)) {
      const left = deadline - Date.now();
      const woke = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), Math.max(0, left));
        this.waiters.push(() => (clearTimeout(timer), resolve(true)));
      });
      if (!woke && !predicate(this.items)) {
        throw new Error(`waited ${timeoutMs / 1000} s for ${what}; last seen: ${JSON.stringify(this.items.slice(-12))} (${this.items.length} in all)`);
      }
    }
  }
}

const IMAGE_PATHS = ['/logo.svg', '/pixel.gif?e=jane%40example.com', '/hero.svg?e=jane%40example.com'];
const NEVER_PATHS = ['/sheet.css', '/import.css', '/font.woff'];

/** A newsletter the way senders write them: remote logo, tracking pixel, CSS background, web font, resource hints. */
function remoteMessage(remote: string): string {
  return `<!DOCTYPE html><html><head>
<link rel="preconnect" href="${remote}/"><link rel="dns-prefetch" href="${remote}"><link rel="stylesheet" href="${remote}/sheet.css">
<style>@import url(${remote}/import.css); @font-face { font-family: Remote; src: url(${remote}/font.woff); }
body { margin: 0; padding: 24px; font-family: Remote, Georgia, serif; background: #f4f4f4 }
.hero { height: 40px; background: url(${remote}/hero.svg?e=jane%40example.com); }</style>
</head><body><img id="logo" src="${remote}/logo.svg" width="160" height="40" alt="Acme logo">
<h1 id="headline">Hello Jane</h1><div class="hero"></div><p>Our November news, just for you.</p>
<img id="pixel" src="${remote}/pixel.gif?e=jane%40example.com" width="1" height="1" alt=""></body></html>`;
}

const SVG = (fill: string, text: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40"><rect width="160" height="40" fill="${fill}"/><text x="8" y="26" fill="#fff" font-family="sans-serif" font-size="16">${text}</text></svg>`;

describe('Confirm preview: remote images (Chromium)', function () {
  this.timeout(60000);
  const pages = pageSuite();
  let server: https.Server;
  let remote: string;
  const requests = new Arrivals();
  let connections = 0;

  before(async () => {
    const { key, cert } = await selfSignedCertificate();
    server = https.createServer({ key, cert }, (req, res) => {
      requests.add(req.url ?? '');
      if (req.url?.startsWith('/logo.svg')) res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(SVG('#0b5394', 'REMOTE LOGO'));
      else if (req.url?.startsWith('/hero.svg')) res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(SVG('#e69138', ''));
      else if (req.url?.startsWith('/pixel.gif')) res.writeHead(200, { 'content-type': 'image/gif' }).end(Buffer.from('R0lGODlhAQABAAAAACw=', 'base64'));
      else res.writeHead(200, { 'content-type': req.url?.endsWith('.css') ? 'text/css' : 'application/octet-stream' }).end('');
    });
    // Any TCP connection counts: a preconnect hint connects without a request.
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    remote = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function modelWith(remoteImages: boolean) {
    const model = cleanModel();
    model.preview = { ...model.preview!, html: remoteMessage(remote), remoteImages };
    return model;
  }

  /** The preview's frame once its document (and every load it was allowed to start) is done. */
  async function previewLoaded(page: Page): Promise<Frame> {
    const handle = await page.locator('iframe.preview-frame').elementHandle({ timeout: WAIT_MS });
    const frame = await handle?.contentFrame();
    assert.ok(frame, 'the preview frame exists');
    await frame.locator('#headline').waitFor({ timeout: WAIT_MS });
    await frame.waitForLoadState('load', { timeout: WAIT_MS });
    return frame;
  }

  /** img-src of the page's CSP, as Chromium parsed the document. */
  async function imgSrc(page: Page): Promise<string[]> {
    const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy" i]')?.getAttribute('content') ?? '');
    const directive = csp.split(';').map((d) => d.trim().split(/\s+/)).find(([name]) => name === 'img-src');
    return directive?.slice(1) ?? [];
  }

  /** The CSP violations Chromium reports in the preview (its console), as "<kind> <url>". */
  function violations(page: Page): Arrivals {
    const seen = new Arrivals();
    page.on('console', (message) => {
      const match = /^(?:Loading|Fetching) (?:the )?(\w+) '([^']+)' violates/.exec(message.text());
      if (match) seen.add(`${match[1]} ${new URL(match[2]).pathname}`);
    });
    return seen;
  }

  it('loads no remote resource and opens no connection until asked; then only the images, with a CSP that allows them', async () => {
    const page = await pages.open();
    const blocked = violations(page);
    await sendToPage(page, modelMessage(modelWith(false)));
    let frame = await previewLoaded(page);
    assert.deepEqual(await imgSrc(page), [new URL(page.url()).origin, 'data:']);
    // Chromium blocked each remote load (the CSP is the guarantee) …
    await blocked.until('the images, stylesheets and font to be blocked', (items) =>
      ['image /logo.svg', 'image /pixel.gif', 'image /hero.svg', 'stylesheet /sheet.css', 'font /font.woff'].every((v) => items.includes(v)),
    );
    // … and the image host heard nothing: no request, not even a connection (the preconnect hint is gone).
    assert.equal(requests.items.length, 0, `requests: ${requests.items.join(', ')}`);
    assert.equal(connections, 0, 'no connection to the image host');
    assert.equal(await frame.locator('#logo').evaluate((img) => (img as HTMLImageElement).naturalWidth), 0);
    assert.doesNotMatch(await page.locator('iframe.preview-frame').evaluate((el) => (el as HTMLIFrameElement).srcdoc), /preconnect|dns-prefetch/);
    const bar = page.getByTestId('remote-images');
    assert.match((await bar.textContent()) ?? '', /Remote images are not loaded\..*can track/s);
    await bar.scrollIntoViewIfNeeded();
    await screenshot(page, 'preview-remote-blocked');

    await click(page, page.locator('vscode-button[data-action="loadRemoteImages"]'));
    await waitForPosted(page, (m) => m.type === 'loadRemoteImages');

    // As the host does: the page again, with the CSP that allows https: images; its state kept.
    const state = await savedPageState(page);
    const reloaded = await pages.open({ remoteImages: true, savedState: state });
    await page.close();
    const stillBlocked = violations(reloaded);
    await sendToPage(reloaded, modelMessage(modelWith(true)));
    frame = await previewLoaded(reloaded);
    assert.deepEqual(await imgSrc(reloaded), [new URL(reloaded.url()).origin, 'https:', 'data:']);
    await requests.until('the remote images to be requested', (items) => IMAGE_PATHS.every((p) => items.includes(p)));
    await stillBlocked.until('the stylesheets and font to stay blocked', (items) => ['stylesheet /sheet.css', 'font /font.woff'].every((v) => items.includes(v)));
    assert.deepEqual(requests.items.filter((p) => NEVER_PATHS.some((never) => p.startsWith(never))), [], 'no remote stylesheet or font');
    assert.equal(await frame.locator('#logo').evaluate((img) => (img as HTMLImageElement).naturalWidth), 160);
    assert.equal(await reloaded.getByTestId('remote-images').count(), 0);
    // Remembered for this panel: a reload (the serializer) comes back with remote images allowed.
    assert.equal((await savedPageState(reloaded) as { remoteImages?: boolean }).remoteImages, true);
    await reloaded.locator('.preview').scrollIntoViewIfNeeded();
    await screenshot(reloaded, 'preview-remote-loaded');
  });

  it('offers nothing to load for a message without remote images', async () => {
    const page = await pages.open();
    await sendToPage(page, modelMessage(cleanModel()));
    await previewLoaded(page);
    assert.equal(await page.getByTestId('remote-images').count(), 0);
  });
});
