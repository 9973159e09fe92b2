/// <reference lib="dom" />
// The live preview beside the editor (bundle dist/webview/preview.js), in a real Chromium, loaded from
// the host's own HTML (with its CSP) and driven by a stand-in host: the inbox row and the message as
// one recipient gets it, the recipient switch, dark mode, the mobile width, the scroll kept across an
// edit, the scroll sync with the source editor (Markdown `data-line`, MJML `mailings-line-N`), the
// error banner that reveals where an error is written, and the remote images note. Screenshots:
// webview-live-preview-*.png.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { SOURCE_LINE_CLASS, type DiagnosticView, type LivePreviewView, type PreviewHostMessage, type PreviewPageMessage, type RecipientChoice } from '../../src/protocol';
import { UI_EN } from './support/fixtures';
import { click, type OpenOptions, pageSuite, posted as postedBy, savedPageState, screenshot, sendToPreview, WAIT_MS, waitForPreviewPosted } from './support/pageHarness';

const RECIPIENTS: RecipientChoice[] = [
  { index: 0, email: 'jane@example.com', name: 'Jane' },
  { index: 1, email: 'piet@example.nl', name: 'Piet' },
  { index: 2, email: 'ann@example.org' },
];

/** A plain light newsletter for one recipient (merge fields filled in), with a script that must never run. */
function letter(name: string, paragraphs = 2, changed = ''): string {
  const body = Array.from({ length: paragraphs }, (_, i) => `<p id="p${i}" style="font-size: 16px">Paragraph ${i + 1}${i === Math.floor(paragraphs / 2) ? changed : ''}: our November news, just for you.</p>`);
  return `<!DOCTYPE html><html><head><style>body { margin: 0; padding: 24px; background: #ffffff; color: #111111; font-family: Georgia, serif; } h1 { color: rgb(0, 94, 184); }</style></head>
<body><h1 id="greeting">Hello ${name}</h1>${body.join('\n')}
<script>document.title = 'SCRIPT RAN'; parent.postMessage({ type: 'openConfirm' }, '*');</script></body></html>`;
}

/** HTML as the Markdown renderer writes it: each block with the 0-based source line it starts at (block i at line 3i, 100px tall). */
function markdownHtml(blocks = 40): string {
  const body = Array.from({ length: blocks }, (_, i) => (i % 5 === 0 ? `<h2 data-line="${3 * i}">Section ${i / 5 + 1}</h2>` : `<p data-line="${3 * i}">Paragraph at line ${3 * i}</p>`));
  return `<!DOCTYPE html><html><head><style>body { margin: 0; font: 16px sans-serif; } h2, p { margin: 0; height: 100px; }</style></head>
<body>${body.join('\n')}</body></html>`;
}

/** HTML as mjml writes it, the source line in a class (mjml allows no other attribute), among the block's own classes. */
const MJML_HTML = `<!DOCTYPE html><html><head><style>body { margin: 0; } table { border-collapse: collapse; }</style></head><body>
<div class="mj-body ${SOURCE_LINE_CLASS}1"><div class="${SOURCE_LINE_CLASS}2 header" style="height: 310px">Header</div>
<table class="mj-section ${SOURCE_LINE_CLASS}7" role="presentation"><tr><td style="height: 420px">Intro</td></tr></table>
<div id="line12" class="mj-column-per-100 ${SOURCE_LINE_CLASS}12 mj-outlook-group-fix" style="height: 400px">The column written at line 12</div>
<div class="${SOURCE_LINE_CLASS}20" style="height: 1600px">Footer</div></div></body></html>`;

const UNKNOWN_FIELD: DiagnosticView = {
  code: 'merge-field-unknown',
  severity: 'error',
  step: 'content',
  message: '{{frstName}} is no field of the target list; did you mean {{firstName}}?',
  range: { start: { line: 11, column: 14 }, end: { line: 11, column: 26 } },
  file: '/work/mailings/newsletter.html',
  fileLabel: 'newsletter.html',
};

function liveView(overrides: Partial<LivePreviewView> = {}): LivePreviewView {
  return {
    file: '/work/mailings/november.mailing.yaml',
    fileLabel: 'november.mailing.yaml',
    source: '/work/mailings/newsletter.html',
    sourceLabel: 'newsletter.html',
    scrollSync: false,
    inbox: { from: 'Acme News <news@acme.example>', subject: 'Jane, our November news', snippet: 'Our picks for November, just for you.' },
    recipient: RECIPIENTS[0],
    recipientCount: RECIPIENTS.length,
    html: letter('Jane'),
    errors: [],
    width: 'desktop',
    remoteImages: false,
    ...overrides,
  };
}

/** The view for another recipient, as the host renders it after selectPreviewRecipient. */
function viewFor(index: number, overrides: Partial<LivePreviewView> = {}): LivePreviewView {
  const recipient = RECIPIENTS[index];
  const name = recipient.name ?? recipient.email;
  return liveView({ recipient, html: letter(name), inbox: { ...liveView().inbox, subject: `${name}, our November news` }, ...overrides });
}

const previewMessage = (view: LivePreviewView): Extract<PreviewHostMessage, { type: 'preview' }> => ({ type: 'preview', ui: UI_EN, view });

/** What the preview page posted so far. */
const posted = (page: Page) => postedBy<PreviewPageMessage>(page);

describe('Live preview page (Chromium)', function () {
  this.timeout(60000);
  const pages = pageSuite();

  /** Waits for `fn` to hold in the page; fails saying what it waited for. */
  async function until(page: Page, what: string, fn: (arg: number) => unknown, arg = 0): Promise<void> {
    await page.waitForFunction(fn, arg, { timeout: WAIT_MS }).catch((error: Error) => {
      throw new Error(`waited ${WAIT_MS / 1000} s for ${what}: ${error.message.split('\n')[0]}`);
    });
  }

  /** How often the preview's iframe has loaded a document (main.ts counts its loads in data-loaded). */
  const loads = (page: Page) => page.locator('iframe.preview-frame').evaluate((el) => Number((el as HTMLIFrameElement).dataset.loaded ?? '0'));

  /** Waits until the iframe has loaded a document after the `before`th one (a new view reloads it). */
  async function reloaded(page: Page, before: number): Promise<void> {
    await until(page, `the preview iframe to load document ${before + 1}`, (n) => Number(document.querySelector<HTMLIFrameElement>('iframe.preview-frame')?.dataset.loaded ?? '0') > n, before);
  }

  async function frameOf(page: Page): Promise<Frame> {
    const frame = await (await page.locator('iframe.preview-frame').elementHandle({ timeout: WAIT_MS }))?.contentFrame();
    assert.ok(frame, 'the preview frame exists');
    return frame;
  }

  /** Opens the preview page and shows `view`, once the iframe has loaded it. */
  async function openWith(view: LivePreviewView, options: OpenOptions = {}): Promise<Page> {
    const page = await pages.open({ ...options, bundle: 'preview' });
    await sendToPreview(page, previewMessage(view));
    if (view.html !== undefined) await reloaded(page, 0);
    else await page.getByTestId('inbox-row').waitFor({ timeout: WAIT_MS });
    return page;
  }

  /** Shows a new view (an edit, another recipient) and waits until the iframe has loaded it. */
  async function update(page: Page, view: LivePreviewView): Promise<void> {
    const before = await loads(page);
    await sendToPreview(page, previewMessage(view));
    await reloaded(page, before);
  }

  const frameScrollY = (page: Page) => page.evaluate(() => document.querySelector<HTMLIFrameElement>('iframe.preview-frame')?.contentWindow?.scrollY ?? NaN);

  /** Where a block of the message is, from the iframe's viewport top (0: at the top). */
  const blockTop = (frame: Frame, selector: string) => frame.locator(selector).evaluate((el) => el.getBoundingClientRect().top);

  /** Records the iframe window's scroll events in the page (a listener like the page's own, after it). */
  async function recordFrameScrolls(page: Page): Promise<void> {
    await page.evaluate(() => {
      const w = window as unknown as { __frameScrolls: number[] };
      const win = document.querySelector<HTMLIFrameElement>('iframe.preview-frame')?.contentWindow;
      if (!win) throw new Error('no preview iframe');
      w.__frameScrolls = [];
      win.addEventListener('scroll', () => w.__frameScrolls.push(win.scrollY));
    });
  }

  /** Scrolls the iframe as the user does (its window, from the test) and waits for its scroll event. */
  async function userScroll(page: Page, top: number): Promise<void> {
    await recordFrameScrolls(page);
    await (await frameOf(page)).evaluate((y) => window.scrollTo(0, y), top);
    await until(page, `the iframe's scroll event at ${top}px`, (y) => (window as unknown as { __frameScrolls: number[] }).__frameScrolls.some((s) => Math.abs(s - y) < 1), top);
  }

  /** Lets two animation frames pass in the page: what the page does after a scroll event (its rAF) is done. */
  const twoFrames = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

  it('shows the inbox row, the message in a script-free iframe and the recipient it is rendered for', async () => {
    const page = await openWith(liveView());
    assert.equal(await page.evaluate(() => document.body.dataset.page), 'preview');
    assert.equal(await page.locator('script[src$="/dist/webview/preview.js"]').count(), 1, 'the preview bundle is served');
    assert.equal(await page.title(), 'Preview');
    assert.equal(await page.locator('.preview-header').textContent().then((t) => t?.replace(/\s+/g, ' ').trim()), 'Follows newsletter.html of november.mailing.yaml Confirm…');

    const row = page.getByTestId('inbox-row');
    assert.equal(await row.getAttribute('aria-label'), 'As an inbox lists it');
    assert.equal(await row.locator('.inbox-avatar').textContent(), 'A');
    assert.equal(await page.getByTestId('inbox-from').textContent(), 'Acme News <news@acme.example>');
    assert.equal(await page.getByTestId('inbox-subject').textContent(), 'Jane, our November news');
    assert.equal(await page.getByTestId('inbox-snippet').textContent(), ' — Our picks for November, just for you.');

    const iframe = page.locator('iframe.preview-frame');
    assert.equal(await iframe.getAttribute('sandbox'), 'allow-same-origin', 'no allow-scripts');
    assert.equal(await iframe.getAttribute('title'), 'Rendered message preview');
    const frame = await frameOf(page);
    assert.equal(await frame.locator('#greeting').textContent(), 'Hello Jane');
    assert.equal(await frame.locator('#greeting').evaluate((el) => getComputedStyle(el).color), 'rgb(0, 94, 184)', "the message's own <style> applies");
    assert.notEqual(await frame.evaluate(() => document.title), 'SCRIPT RAN', "the message's script did not run");

    assert.equal(await page.getByTestId('recipient-row').textContent(), 'Row 1 of 3');
    assert.deepEqual(await page.locator('[data-testid="recipient-select"] vscode-option').allTextContents(), ['1. Jane <jane@example.com>']);
    assert.equal(await page.locator('vscode-button[data-action="previousRecipient"]').getAttribute('disabled'), '', 'no recipient before the first');
    assert.equal(await page.locator('vscode-button[data-action="nextRecipient"]').getAttribute('disabled'), null);
    assert.equal(await page.getByTestId('preview-errors').count(), 0);
    assert.equal(await page.getByTestId('remote-images').count(), 0);

    // What the page asked: the first recipients for its picker (an empty search), nothing else.
    assert.deepEqual((await posted(page)).filter((m) => m.type !== 'ready'), [{ type: 'searchRecipients', id: 1, text: '' }]);
    assert.deepEqual(await savedPageState(page), { file: '/work/mailings/november.mailing.yaml', source: '/work/mailings/newsletter.html', previewWidth: 'desktop', previewRecipient: 0 });

    await screenshot(page, 'live-preview-desktop');
    await click(page, page.locator('vscode-button[data-action="openConfirm"]'));
    await waitForPreviewPosted(page, 'openConfirm');
  });

  it('switches the recipient: search through the host, pick from the list, previous and next; shows their merged HTML', async () => {
    const page = await openWith(liveView());
    const first = await waitForPreviewPosted(page, 'searchRecipients');
    await sendToPreview(page, { type: 'recipientChoices', id: first.id, choices: RECIPIENTS, total: RECIPIENTS.length });
    const options = page.locator('[data-testid="recipient-select"] vscode-option');
    await until(page, 'the picker to list the 3 recipients', () => document.querySelectorAll('[data-testid="recipient-select"] vscode-option').length === 3);

    let count = (await posted(page)).length;
    await page.locator('[data-testid="recipient-search"] input').fill('piet');
    const search = await waitForPreviewPosted(page, 'searchRecipients', count, (m) => m.text === 'piet');
    assert.ok(search.id > first.id, 'a new search has a new id');
    // A late answer to the first search is stale: the page keeps the answer to the last one.
    await sendToPreview(page, { type: 'recipientChoices', id: search.id, choices: [RECIPIENTS[1]], total: 1 });
    await sendToPreview(page, { type: 'recipientChoices', id: first.id, choices: RECIPIENTS, total: RECIPIENTS.length });
    await until(page, 'the picker to list Jane (current) and Piet (found)', () => document.querySelectorAll('[data-testid="recipient-select"] vscode-option').length === 2);
    assert.deepEqual(await options.allTextContents(), ['1. Jane <jane@example.com>', '2. Piet <piet@example.nl>']);

    count = (await posted(page)).length;
    const select = page.getByTestId('recipient-select');
    await click(page, select);
    await click(page, select.locator('li.option', { hasText: 'piet@example.nl' }));
    assert.deepEqual(await waitForPreviewPosted(page, 'selectPreviewRecipient', count), { type: 'selectPreviewRecipient', index: 1 });

    // The host renders the message for Piet.
    await update(page, viewFor(1));
    const frame = await frameOf(page);
    assert.equal(await frame.locator('#greeting').textContent(), 'Hello Piet');
    assert.equal(await page.getByTestId('inbox-subject').textContent(), 'Piet, our November news');
    assert.equal(await page.getByTestId('recipient-row').textContent(), 'Row 2 of 3');

    count = (await posted(page)).length;
    await click(page, page.locator('vscode-button[data-action="nextRecipient"]'));
    assert.deepEqual(await waitForPreviewPosted(page, 'selectPreviewRecipient', count), { type: 'selectPreviewRecipient', index: 2 });
    count = (await posted(page)).length;
    await click(page, page.locator('vscode-button[data-action="previousRecipient"]'));
    assert.deepEqual(await waitForPreviewPosted(page, 'selectPreviewRecipient', count), { type: 'selectPreviewRecipient', index: 0 });

    // The last recipient (no name field: the address alone): no Next.
    await update(page, viewFor(2));
    assert.equal(await frame.locator('#greeting').textContent(), 'Hello ann@example.org');
    assert.equal(await page.getByTestId('recipient-row').textContent(), 'Row 3 of 3');
    assert.equal(await page.locator('vscode-button[data-action="nextRecipient"]').getAttribute('disabled'), '');
    assert.deepEqual(await options.allTextContents(), ['3. ann@example.org', '2. Piet <piet@example.nl>']);
    assert.equal(((await savedPageState(page)) as { previewRecipient?: number }).previewRecipient, 2);
  });

  it('inverts a light message in dark mode, a choice of the page kept in its state', async () => {
    const page = await openWith(liveView());
    const frame = await frameOf(page);
    const filter = () => frame.locator('html').evaluate((el) => getComputedStyle(el).filter);
    assert.equal(await filter(), 'none');
    const toggle = page.locator('vscode-button[data-action="toggleDark"]');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');

    const before = await loads(page);
    const count = (await posted(page)).length;
    await click(page, toggle);
    await reloaded(page, before);
    assert.notEqual(await filter(), 'none', 'the message is inverted');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.getByTestId('preview-dark').getAttribute('data-dark'), 'inverted');
    assert.equal(await frame.locator('#greeting').textContent(), 'Hello Jane');
    assert.equal(((await savedPageState(page)) as { previewDark?: boolean }).previewDark, true);
    // The host renders the same HTML either way: nothing to ask.
    assert.deepEqual((await posted(page)).slice(count), []);
  });

  it('shows the message at a phone\'s width on Mobile and tells the host; dark mode comes back from the saved state', async () => {
    const saved = { file: '/work/mailings/november.mailing.yaml', source: '/work/mailings/newsletter.html', previewWidth: 'desktop', previewDark: true };
    const page = await openWith(liveView(), { savedState: saved });
    const frame = await frameOf(page);
    assert.notEqual(await frame.locator('html').evaluate((el) => getComputedStyle(el).filter), 'none', 'dark mode restored');
    const holder = page.locator('.preview-frame-holder');
    const desktop = await holder.evaluate((el) => el.getBoundingClientRect().width);
    assert.ok(desktop > 600, `desktop ${desktop}px`);

    const count = (await posted(page)).length;
    await click(page, page.locator('vscode-button[data-width="mobile"]'));
    assert.deepEqual(await waitForPreviewPosted(page, 'setPreviewWidth', count), { type: 'setPreviewWidth', width: 'mobile' });
    assert.equal(await holder.evaluate((el) => getComputedStyle(el).width), '375px');
    assert.equal(await frame.evaluate(() => window.innerWidth), 375, 'the message is laid out for 375px');
    assert.equal(await page.locator('vscode-button[data-width="mobile"]').getAttribute('aria-pressed'), 'true');
    assert.equal(((await savedPageState(page)) as { previewWidth?: string }).previewWidth, 'mobile');
    await screenshot(page, 'live-preview-mobile-dark');
  });

  it('keeps the scroll position across an edit (the iframe reloads its document)', async () => {
    const page = await openWith(liveView({ html: letter('Jane', 60) }));
    await userScroll(page, 900);
    await update(page, liveView({ html: letter('Jane', 60, ' (edited)') }));
    const frame = await frameOf(page);
    assert.match((await frame.locator('#p30').textContent()) ?? '', /\(edited\)/, 'the edit is shown');
    const y = await frameScrollY(page);
    assert.ok(Math.abs(y - 900) <= 1, `the iframe is at ${y}px, not 900px`);
    // Without scroll sync (an HTML file) nothing goes to the editor.
    assert.ok(!(await posted(page)).some((m) => m.type === 'scrolled'));
  });

  it('scrolls with the editor (Markdown data-line, MJML class) and tells the editor where the user scrolled, never echoing its own scroll', async () => {
    const page = await openWith(liveView({ scrollSync: true, source: '/work/mailings/newsletter.md', sourceLabel: 'newsletter.md', html: markdownHtml() }));
    const frame = await frameOf(page);

    // The editor scrolled to line 30: the block written there at the top.
    let count = (await posted(page)).length;
    await recordFrameScrolls(page);
    await sendToPreview(page, { type: 'scrollTo', line: 30 });
    await until(page, "the iframe's scroll event after scrollTo line 30", () => (window as unknown as { __frameScrolls: number[] }).__frameScrolls.length > 0);
    const top30 = await blockTop(frame, '[data-line="30"]');
    assert.ok(Math.abs(top30) <= 2, `the block of line 30 is ${top30}px from the top`);
    // Between two blocks: as far toward the next block as the line is toward its line (31 of 30..33).
    await sendToPreview(page, { type: 'scrollTo', line: 31 });
    await until(page, 'the iframe to scroll toward line 33', () => (window as unknown as { __frameScrolls: number[] }).__frameScrolls.length > 1);
    const top31 = await blockTop(frame, '[data-line="30"]');
    assert.ok(Math.abs(top31 + 100 / 3) <= 2, `line 31: the block of line 30 is ${top31}px from the top, not -33px`);

    // The page's own scroll is not sent back to the editor: after its scroll events and the frame the
    // page would post in, the first `scrolled` is the one of the user's scroll below.
    await twoFrames(page);
    await userScroll(page, 1500);
    const scrolled = await waitForPreviewPosted(page, 'scrolled', count);
    assert.deepEqual(scrolled, { type: 'scrolled', line: 45 }, 'the line of the block at the top after the user scrolled');
    assert.deepEqual((await posted(page)).slice(count).filter((m) => m.type === 'scrolled'), [scrolled], 'no scrolled for the page\'s own scroll');

    // Between blocks, the line at the top is interpolated (and rounded down): 1550px is half way from line 45 to 48.
    count = (await posted(page)).length;
    await twoFrames(page);
    await userScroll(page, 1550);
    assert.deepEqual(await waitForPreviewPosted(page, 'scrolled', count), { type: 'scrolled', line: 46 });

    // An MJML source: the line is in a class among the block's own.
    await update(page, liveView({ scrollSync: true, source: '/work/mailings/newsletter.mjml', sourceLabel: 'newsletter.mjml', html: MJML_HTML }));
    await recordFrameScrolls(page);
    count = (await posted(page)).length;
    await sendToPreview(page, { type: 'scrollTo', line: 12 });
    await until(page, 'the iframe to show the block of line 12 at the top', () => {
      const doc = document.querySelector<HTMLIFrameElement>('iframe.preview-frame')?.contentDocument;
      const box = doc?.getElementById('line12')?.getBoundingClientRect();
      return box !== undefined && Math.abs(box.top) <= 2;
    });
    assert.ok(Math.abs(await blockTop(frame, '#line12')) <= 2);
    await twoFrames(page);
    await userScroll(page, 0);
    assert.deepEqual(await waitForPreviewPosted(page, 'scrolled', count), { type: 'scrolled', line: 1 }, 'the first scrolled is the user\'s, at the top of the message');
    assert.equal((await posted(page)).slice(count).filter((m) => m.type === 'scrolled').length, 1);
  });

  it('lists the errors that block sending; clicking one reveals where it is written', async () => {
    const page = await openWith(liveView({ errors: [UNKNOWN_FIELD], html: letter('') }));
    const banner = page.getByTestId('preview-errors');
    assert.equal(await banner.getAttribute('role'), 'alert');
    assert.match((await banner.textContent()) ?? '', /1 error\s*·\s*These errors block sending:/);
    const link = page.getByTestId('preview-error');
    assert.equal(await link.count(), 1);
    assert.equal(await link.textContent(), UNKNOWN_FIELD.message);
    assert.match((await banner.locator('li .muted').textContent()) ?? '', /merge-field-unknown\s+newsletter\.html, line 12/);
    const count = (await posted(page)).length;
    await click(page, link);
    assert.deepEqual(await waitForPreviewPosted(page, 'reveal', count), { type: 'reveal', range: UNKNOWN_FIELD.range, file: UNKNOWN_FIELD.file });
    await screenshot(page, 'live-preview-errors');
  });

  it('loads no remote image until asked: the note offers to, and asks the host', async () => {
    const html = letter('Jane').replace('</h1>', '</h1><img id="remote" src="https://example.com/x.png" width="200" height="50" alt="Remote banner">');
    const page = await openWith(liveView({ html }));
    const note = page.getByTestId('remote-images');
    assert.equal(await note.getAttribute('role'), 'note');
    assert.match((await note.textContent()) ?? '', /Remote images are not loaded\./);
    assert.equal(await (await frameOf(page)).locator('#remote').evaluate((img) => (img as HTMLImageElement).naturalWidth), 0);
    const count = (await posted(page)).length;
    await click(page, note.locator('vscode-button[data-action="loadRemoteImages"]'));
    assert.deepEqual(await waitForPreviewPosted(page, 'loadRemoteImages', count), { type: 'loadRemoteImages' });
  });

  it('fits a narrow panel beside the editor: the error heading above its list, the picker beside its previous / next buttons', async () => {
    const page = await openWith(liveView({ errors: [UNKNOWN_FIELD, { ...UNKNOWN_FIELD, code: 'from-missing', step: 'setup', message: "no 'from': add the sender", file: undefined, fileLabel: undefined }] }), {
      viewport: { width: 560, height: 800 },
    });
    const box = (selector: string) => page.locator(selector).first().evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect);
    const heading = await box('[data-testid="preview-errors"] > div');
    const list = await box('[data-testid="preview-errors"] ul');
    assert.ok(heading.bottom <= list.top + 1, `the heading (bottom ${heading.bottom}px) is above the list (top ${list.top}px)`);
    assert.ok(heading.height < 30, `the heading is one line, not ${heading.height}px`);
    const select = await box('[data-testid="recipient-select"]');
    const previous = await box('vscode-button[data-action="previousRecipient"]');
    const next = await box('vscode-button[data-action="nextRecipient"]');
    assert.ok(Math.abs(previous.top - select.top) < 4 && Math.abs(next.top - select.top) < 4, `picker at ${select.top}px, previous at ${previous.top}px, next at ${next.top}px`);
    // Nothing sticks out of the panel.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
    await screenshot(page, 'live-preview-narrow');
  });

  // The iframe stops at the bottom of the message: the page's own scroll is where it got to, not
  // where it asked, else the event would be taken for the user's and scroll the editor back.
  it('does not send back its own scroll when the message is too short to scroll as far as asked', async () => {
    const page = await openWith(liveView({ scrollSync: true, source: '/work/mailings/newsletter.md', sourceLabel: 'newsletter.md', html: markdownHtml() }));
    // The editor shows its last lines: their block is below the furthest the iframe can scroll.
    let count = (await posted(page)).length;
    await recordFrameScrolls(page);
    await sendToPreview(page, { type: 'scrollTo', line: 117 });
    await until(page, "the iframe's scroll event after scrollTo line 117", () => (window as unknown as { __frameScrolls: number[] }).__frameScrolls.length > 0);
    await twoFrames(page);
    await userScroll(page, 1500);
    assert.deepEqual(await waitForPreviewPosted(page, 'scrolled', count), { type: 'scrolled', line: 45 }, "the first scrolled is the user's");

    // An edit makes the message shorter than the position kept: the iframe stops at its bottom.
    await twoFrames(page);
    await userScroll(page, 2500);
    await waitForPreviewPosted(page, 'scrolled', count, (m) => m.line === 75);
    count = (await posted(page)).length;
    await update(page, liveView({ scrollSync: true, source: '/work/mailings/newsletter.md', sourceLabel: 'newsletter.md', html: markdownHtml(15) }));
    await twoFrames(page);
    await userScroll(page, 300);
    assert.deepEqual(await waitForPreviewPosted(page, 'scrolled', count), { type: 'scrolled', line: 9 }, "the first scrolled is the user's");
  });

  // Before the iframe's first load its document is the initial about:blank (which has a body): the
  // line is kept until the message's own document has loaded.
  it('shows the line the editor scrolled to even when it comes before the message has loaded', async () => {
    const page = await pages.open({ bundle: 'preview' });
    const view = liveView({ scrollSync: true, source: '/work/mailings/newsletter.md', sourceLabel: 'newsletter.md', html: markdownHtml() });
    // Both in one task: the iframe cannot have loaded in between.
    await page.evaluate((messages) => messages.forEach((m) => window.postMessage(m, '*')), [previewMessage(view), { type: 'scrollTo', line: 30 }] as PreviewHostMessage[]);
    await reloaded(page, 0);
    await until(page, 'the iframe to show the block of line 30 at the top', () => Math.abs((document.querySelector<HTMLIFrameElement>('iframe.preview-frame')?.contentWindow?.scrollY ?? 0) - 1000) <= 2);
  });
});
