/// <reference lib="dom" />
// A stand-in webview host for fast page tests in a real Chromium: serves the page exactly as the
// extension builds it (the host's html + CSP, a built dist/webview bundle: the Confirm panel's or the
// live preview's) from 127.0.0.1, defines `acquireVsCodeApi` the way VS Code does (records what the
// page posts, keeps its state) and lets a test post host messages. CSP violations are recorded so a
// test can assert there were none.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { makeNonce, webviewHtml } from '../../../src/extension/webview/html';
import type { HostMessage, PreviewHostMessage, PreviewPageMessage, WebviewMessage } from '../../../src/protocol';
import { THEMES, type ThemeKind } from './themes';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
const DIST = path.join(REPO_ROOT, 'dist', 'webview');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The page bundles in dist/webview: the Confirm / Statistics panel, the live preview beside the editor. */
export type Bundle = 'confirm' | 'preview';
const BUNDLES: Record<Bundle, { title: string }> = { confirm: { title: 'Confirm' }, preview: { title: 'Preview' } };

/** A message either page may post (each page posts only its own kinds). */
export type PageMessage = WebviewMessage | PreviewPageMessage;

export interface OpenOptions {
  /** Which page to serve (default: the Confirm page). */
  bundle?: Bundle;
  theme?: ThemeKind;
  /** What getState() returns at load (a reloaded panel). */
  savedState?: unknown;
  viewport?: { width: number; height: number };
  /** Serve the page as the host does once the user asked to load remote images (its CSP allows https: images). */
  remoteImages?: boolean;
}

export class WebviewHarness {
  private constructor(
    private readonly server: http.Server,
    private readonly context: BrowserContext,
    private readonly userDataDir: string,
    readonly origin: string,
    /** The last HTML served (what the host's html function produced). */
    public lastHtml = '',
  ) {}

  static async start(): Promise<WebviewHarness> {
    for (const file of Object.keys(BUNDLES).flatMap((bundle) => [`${bundle}.js`, `${bundle}.css`])) {
      if (!fs.existsSync(path.join(DIST, file))) throw new Error(`dist/webview/${file} is missing: run node esbuild.mjs first`);
    }
    // The server answers with the harness's origin, known only once it listens.
    const ref: { harness?: WebviewHarness } = {};
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/') {
        const harness = ref.harness;
        const origin = harness?.origin ?? '';
        const bundle: Bundle = url.searchParams.get('bundle') === 'preview' ? 'preview' : 'confirm';
        const page = webviewHtml({
          cspSource: origin,
          nonce: makeNonce(),
          scriptUri: `${origin}/dist/webview/${bundle}.js`,
          styleUri: `${origin}/dist/webview/${bundle}.css`,
          lang: 'en',
          title: BUNDLES[bundle].title,
          remoteImages: url.searchParams.get('remoteImages') === '1',
        });
        if (harness) harness.lastHtml = page;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page);
        return;
      }
      const match = /^\/dist\/webview\/([\w.-]+)$/.exec(url.pathname);
      const file = match ? path.join(DIST, match[1]) : undefined;
      if (!file || !fs.existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
      res.writeHead(200, { 'content-type': type });
      fs.createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailings-webview-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1100, height: 900 },
      // The remote-images test serves its image over HTTPS with a certificate made at test time.
      ignoreHTTPSErrors: true,
    });
    ref.harness = new WebviewHarness(server, context, userDataDir, origin);
    return ref.harness;
  }

  async open(options: OpenOptions = {}): Promise<Page> {
    const page = await this.context.newPage();
    if (options.viewport) await page.setViewportSize(options.viewport);
    const theme = THEMES[options.theme ?? 'dark'];
    await page.addInitScript(
      ({ savedState, variables, bodyClass }) => {
        const w = window as unknown as Record<string, unknown>;
        const posted: unknown[] = [];
        const violations: string[] = [];
        let state = savedState;
        let acquired = false;
        w.__posted = posted;
        w.__cspViolations = violations;
        w.__getState = () => state;
        w.acquireVsCodeApi = () => {
          if (acquired) throw new Error('acquireVsCodeApi called twice');
          acquired = true;
          return {
            postMessage: (message: unknown) => posted.push(JSON.parse(JSON.stringify(message))),
            getState: () => state,
            setState: (next: unknown) => {
              state = next;
            },
          };
        };
        document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
        // As the workbench does: theme variables on <html>, the theme kind as a body class. (The init
        // script runs before <html> exists, so this waits for it.)
        const applyTheme = () => {
          for (const [name, value] of Object.entries(variables)) document.documentElement.style.setProperty(name, value);
          document.body.classList.add(bodyClass);
        };
        if (document.body) applyTheme();
        else document.addEventListener('DOMContentLoaded', applyTheme);
      },
      { savedState: options.savedState, variables: theme.variables, bodyClass: theme.bodyClass },
    );
    const query = new URLSearchParams();
    if (options.bundle && options.bundle !== 'confirm') query.set('bundle', options.bundle);
    if (options.remoteImages) query.set('remoteImages', '1');
    const search = query.toString();
    await page.goto(`${this.origin}/${search ? `?${search}` : ''}`);
    await waitForPosted(page, (m) => m.type === 'ready');
    return page;
  }

  async close(): Promise<void> {
    await this.context.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    fs.rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

/**
 * Clicks like a user: scrolls the element into view and lets two frames pass first. Headless Chromium
 * otherwise may hit-test a click right after a scroll against the old layout and deliver it to the
 * preview iframe (an out-of-process frame) that was there before the scroll.
 */
export async function click(page: Page, locator: Locator): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await locator.click();
}

/** Delivers a host message the way VS Code does: a `message` event on the page's window. */
export async function sendToPage(page: Page, message: HostMessage): Promise<void> {
  await deliver(page, message);
}

/** The same for the live preview page (bundle 'preview'), typed with its own host messages. */
export async function sendToPreview(page: Page, message: PreviewHostMessage): Promise<void> {
  await deliver(page, message);
}

async function deliver(page: Page, message: HostMessage | PreviewHostMessage): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

/** What the page posted so far; `M` is the page's direction (PreviewPageMessage for the live preview). */
export async function posted<M extends PageMessage = WebviewMessage>(page: Page): Promise<M[]> {
  return page.evaluate(() => (window as unknown as { __posted: M[] }).__posted.slice());
}

/** How long a wait for the page lasts: well inside mocha's 60 s, so a test fails with a reason. */
export const WAIT_MS = 15_000;

/**
 * Waits until the page has posted a message matching `predicate` (after the first `after` ones),
 * and returns it. After `timeoutMs` it fails with what it waited for (the predicate's own text, or
 * `what`) and what the page posted meanwhile.
 */
export async function waitForPosted<M extends PageMessage = WebviewMessage>(
  page: Page,
  predicate: (m: M) => boolean,
  after = 0,
  { what = predicate.toString(), timeoutMs = WAIT_MS }: { what?: string; timeoutMs?: number } = {},
): Promise<M> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await posted<M>(page);
    const found = all.slice(after).find(predicate);
    if (found) return found;
    const left = deadline - Date.now();
    try {
      if (left <= 0) throw new Error('time is up');
      // Wait for the next postMessage rather than a fixed time.
      await page.waitForFunction((count) => (window as unknown as { __posted: unknown[] }).__posted.length > count, all.length, { timeout: left });
    } catch {
      const seen = all.slice(after).map((m) => JSON.stringify(m)).join(', ') || 'nothing';
      throw new Error(`waited ${timeoutMs / 1000} s for the page to post ${what}; last seen: ${seen} (${all.length - after} messages)`);
    }
  }
}

/**
 * Waits until the live preview page has posted a message of `type` (and matching `predicate`, if
 * given) after the first `after` ones, and returns it, typed.
 */
export async function waitForPreviewPosted<K extends PreviewPageMessage['type']>(
  page: Page,
  type: K,
  after = 0,
  predicate: (m: Extract<PreviewPageMessage, { type: K }>) => boolean = () => true,
): Promise<Extract<PreviewPageMessage, { type: K }>> {
  const what = `${type}${predicate.length > 0 ? ` with ${predicate.toString()}` : ''}`;
  const isIt = (m: PreviewPageMessage): m is Extract<PreviewPageMessage, { type: K }> => m.type === type;
  return (await waitForPosted<PreviewPageMessage>(page, (m) => isIt(m) && predicate(m), after, { what })) as Extract<PreviewPageMessage, { type: K }>;
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations.slice());
}

export async function savedPageState(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __getState: () => unknown }).__getState());
}

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'artifacts', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `webview-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The hooks of a page suite: one Chromium for the suite; after each test, the page it opened last must
 * have caused no CSP violation, and is closed.
 */
export function pageSuite(): { open(options?: OpenOptions): Promise<Page> } {
  let harness: WebviewHarness | undefined;
  let last: Page | undefined;
  before(async () => {
    harness = await WebviewHarness.start();
  });
  after(async () => {
    await harness?.close();
  });
  afterEach(async () => {
    const page = last;
    last = undefined;
    if (page) assert.deepEqual(await cspViolations(page), [], 'the page caused CSP violations');
    await page?.close();
  });
  return {
    async open(options?: OpenOptions): Promise<Page> {
      if (!harness) throw new Error('pageSuite: open() is for tests, after the suite has started');
      last = await harness.open(options);
      return last;
    },
  };
}
