/// <reference lib="dom" />
// The Confirm page in a real Chromium, loaded from the host's own HTML (with its CSP) and driven by a
// stand-in host: what the user sees for a broken and a clean mailing, and what the page asks the host.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { WebviewMessage } from '../../src/protocol';
import { THEMES } from './support/themes';
import { brokenModel, cleanModel, modelMessage, PREVIEW_HTML, scheduledModel, sendingModel, sendingStatistics } from './support/fixtures';
import { click, pageSuite, posted, savedPageState, sendToPage, waitForPosted } from './support/pageHarness';

describe('Confirm page (Chromium)', function () {
  this.timeout(60000);
  const pages = pageSuite();
  let page: Page;

  async function openWith(model = cleanModel()): Promise<Page> {
    page = await pages.open();
    await sendToPage(page, modelMessage(model));
    await page.locator('vscode-collapsible[data-step="setup"]').waitFor();
    return page;
  }

  /** A theme variable of the dark theme as Chromium computes colours: rgb(r, g, b). */
  const themeColor = (name: string) => {
    const hex = THEMES.dark.variables[name].slice(1);
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return `rgb(${r}, ${g}, ${b})`;
  };

  it('shows every error in red with its code, and disables Send now with the reason beside it', async () => {
    await openWith(brokenModel());
    const errors = page.locator('.diagnostic.error');
    assert.equal(await errors.count(), 3);
    const red = themeColor('--vscode-editorError-foreground');
    for (const code of ['from-missing', 'merge-field-unknown', 'test-not-sent']) {
      const item = page.locator(`.diagnostic.error[data-code="${code}"]`);
      assert.equal(await item.locator('.code').textContent(), code);
      assert.equal(await item.locator('.message').evaluate((el) => getComputedStyle(el).color), red, `${code} is not red`);
    }
    const warning = page.locator('.diagnostic.warning[data-code="recipient-invalid"]');
    assert.equal(await warning.count(), 1);
    assert.notEqual(await warning.locator('.message').evaluate((el) => getComputedStyle(el).color), red);

    const sendNow = page.locator('vscode-button[data-action="sendNow"]');
    assert.equal(await sendNow.getAttribute('disabled'), '');
    assert.equal(await page.getByTestId('reason-sendNow').textContent(), 'Fix the 3 errors first.');
    assert.ok(await page.getByTestId('reason-sendNow').isVisible());

    // The steps with errors are marked incomplete, the others complete.
    for (const step of ['setup', 'content', 'test']) {
      assert.equal(await page.locator(`vscode-collapsible[data-step="${step}"]`).getAttribute('description'), 'Incomplete');
    }
    assert.equal(await page.locator('vscode-collapsible[data-step="targetList"]').getAttribute('description'), 'Complete');
    assert.match(((await page.getByTestId('problem-counts').textContent()) ?? '').trim(), /^3 errors\s*1 warning$/);

    // A disabled Send now posts nothing.
    const before = (await posted(page)).length;
    await sendNow.dispatchEvent('click');
    await click(page, page.locator('vscode-button[data-action="sendTest"]'));
    const sent = await waitForPosted(page, (m) => m.type === 'sendTest', before);
    assert.deepEqual(sent, { type: 'sendTest' });
    assert.ok(!(await posted(page)).slice(before).some((m) => m.type === 'sendNow'));
  });

  it('enables Send now for a clean mailing and posts sendNow on click', async () => {
    await openWith(cleanModel());
    const sendNow = page.locator('vscode-button[data-action="sendNow"]');
    assert.equal(await sendNow.getAttribute('disabled'), null);
    assert.equal(await page.getByTestId('reason-sendNow').count(), 0);
    assert.equal(await page.locator('.diagnostic').count(), 0);
    assert.equal(await page.getByTestId('subject-first').textContent(), 'Jane, our November news');
    assert.equal(await page.getByTestId('recipient-count').textContent(), '3 recipients');
    assert.equal(await page.locator('[data-testid="sample-rows"] tbody tr').count(), 3);
    await click(page, sendNow);
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'sendNow'), { type: 'sendNow' });
  });

  it('posts reveal with the exact range (and the file, when it is not the mailing) when an error is clicked', async () => {
    const model = brokenModel();
    await openWith(model);
    await click(page, page.locator('.diagnostic[data-code="merge-field-unknown"]'));
    const inHtml = await waitForPosted(page, (m) => m.type === 'reveal');
    assert.deepEqual(inHtml, { type: 'reveal', range: model.diagnostics[1].range, file: '/work/mailings/newsletter.html' });

    const count = (await posted(page)).length;
    await click(page, page.locator('.diagnostic[data-code="from-missing"]'));
    const inYaml = await waitForPosted(page, (m) => m.type === 'reveal', count);
    assert.deepEqual(inYaml, { type: 'reveal', range: model.diagnostics[0].range });
  });

  it('resolves a typed when-expression through the host and schedules it', async () => {
    await openWith(cleanModel());
    await page.locator('#schedule-text input').fill('tomorrow 19:00');
    const request = (await waitForPosted(page, (m) => m.type === 'resolveWhen' && m.text === 'tomorrow 19:00')) as Extract<WebviewMessage, { type: 'resolveWhen' }>;
    await sendToPage(page, {
      type: 'whenResolved',
      id: request.id,
      result: { ok: true, at: '2026-11-27T18:00:00.000Z', description: 'Fri 27 Nov 2026 19:00 CET, in 1 day', local: '2026-11-27T19:00:00' },
    });
    await page.getByTestId('when-resolution').getByText('Fri 27 Nov 2026 19:00 CET, in 1 day').waitFor();
    assert.equal(await page.locator('#schedule-picker').evaluate((el) => (el as HTMLInputElement).value), '2026-11-27T19:00:00');

    const count = (await posted(page)).length;
    await click(page, page.locator('vscode-button[data-action="schedule"]'));
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'schedule', count), { type: 'schedule', whenText: 'tomorrow 19:00' });
  });

  it('shows why a typed expression cannot be understood, and ignores stale answers', async () => {
    await openWith(cleanModel());
    await page.locator('#schedule-text input').fill('someday');
    const first = (await waitForPosted(page, (m) => m.type === 'resolveWhen' && m.text === 'someday')) as Extract<WebviewMessage, { type: 'resolveWhen' }>;
    await page.locator('#schedule-text input').fill('someday soon');
    const second = (await waitForPosted(page, (m) => m.type === 'resolveWhen' && m.text === 'someday soon')) as Extract<WebviewMessage, { type: 'resolveWhen' }>;
    assert.ok(second.id > first.id);
    await sendToPage(page, { type: 'whenResolved', id: first.id, result: { ok: true, at: '2026-11-27T18:00:00.000Z', description: 'STALE', local: '2026-11-27T19:00:00' } });
    await sendToPage(page, { type: 'whenResolved', id: second.id, result: { ok: false, message: "cannot understand 'someday soon' as a moment" } });
    await page.getByTestId('when-resolution').getByText("cannot understand 'someday soon' as a moment").waitFor();
    assert.equal(await page.getByText('STALE').count(), 0);
    assert.equal(await page.locator('#schedule-picker').evaluate((el) => (el as HTMLInputElement).value), '');
    assert.ok(await page.locator('#schedule-text').evaluate((el) => el.hasAttribute('invalid')));
  });

  it('Set now fills the date picker with the current time in the mailing\'s zone, and Schedule sends it', async () => {
    await openWith(cleanModel());
    const wall = (d: Date) =>
      new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .format(d)
        .replace(' ', 'T');
    const before = wall(new Date());
    await click(page, page.locator('vscode-button[data-action="setNow"]'));
    const after = wall(new Date());
    const value = await page.locator('#schedule-picker').evaluate((el) => (el as HTMLInputElement).value);
    assert.match(value, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    assert.ok(value >= before && value <= after, `${value} is not between ${before} and ${after}`);
    const count = (await posted(page)).length;
    await click(page, page.locator('vscode-button[data-action="schedule"]'));
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'schedule', count), { type: 'schedule', at: value });
  });

  it('schedules the moment typed into the date picker (with seconds), in the mailing\'s zone', async () => {
    await openWith(cleanModel());
    await page.locator('#schedule-picker input').fill('2026-12-04T19:00:07');
    await click(page, page.locator('vscode-button[data-action="schedule"]'));
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'schedule'), { type: 'schedule', at: '2026-12-04T19:00:07' });
  });

  it('offers no Schedule once the mailing is sending, but Stop; and Start for a scheduled one', async () => {
    await openWith(sendingModel());
    assert.equal(await page.getByTestId('schedule-form').count(), 0);
    assert.equal(await page.locator('vscode-button[data-action="sendNow"]').count(), 0);
    await click(page, page.locator('vscode-button[data-action="stop"]'));
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'stop'), { type: 'stop' });

    await sendToPage(page, modelMessage(scheduledModel()));
    await page.locator('vscode-button[data-action="start"]').waitFor();
    assert.match((await page.locator('.scheduled-for').textContent()) ?? '', /Scheduled to send at\s+Fri 4 Dec 2026 19:00 CET/);
    await click(page, page.locator('vscode-button[data-action="start"]'));
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'start'), { type: 'start' });
  });

  it('renders the preview in a sandboxed srcdoc iframe: styled as the message, scripts never run', async () => {
    await openWith(cleanModel());
    const iframe = page.locator('iframe.preview-frame');
    assert.equal(await iframe.getAttribute('sandbox'), '');
    assert.equal(await iframe.evaluate((el) => (el as HTMLIFrameElement).srcdoc), PREVIEW_HTML);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    assert.ok(frame, 'the preview frame exists');
    await frame.locator('#headline').waitFor();
    // The message's own <style> and style="" apply (the CSP allows inline styles for this).
    assert.equal(await frame.locator('#headline').evaluate((el) => getComputedStyle(el).color), 'rgb(0, 94, 184)');
    assert.equal(await frame.locator('body').evaluate((el) => getComputedStyle(el).paddingTop), '24px');
    // Its script did not run: no title change, nothing posted on its behalf.
    assert.notEqual(await frame.evaluate(() => document.title), 'SCRIPT RAN');
    assert.ok(!(await posted(page)).some((m) => m.type === 'sendNow'));

    // Desktop / mobile width.
    const desktopWidth = await iframe.evaluate((el) => el.getBoundingClientRect().width);
    await click(page, page.locator('vscode-button[data-width="mobile"]'));
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'setPreviewWidth'), { type: 'setPreviewWidth', width: 'mobile' });
    const mobileWidth = await iframe.evaluate((el) => el.getBoundingClientRect().width);
    assert.ok(mobileWidth < 400 && desktopWidth > 600, `desktop ${desktopWidth}px, mobile ${mobileWidth}px`);
  });

  it('keeps its state for a reload (file, page, preview width) and shows the status page when told', async () => {
    await openWith(cleanModel());
    assert.deepEqual(await savedPageState(page), { file: '/work/mailings/november.mailing.yaml', page: 'confirm', previewWidth: 'desktop', previewRecipient: 0 });
    await click(page, page.locator('vscode-button[data-action="openStatistics"]'));
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'openStatistics'), { type: 'openStatistics' });
    await sendToPage(page, modelMessage(sendingModel(), 'statistics'));
    await page.getByTestId('status').waitFor();
    assert.equal(((await savedPageState(page)) as { page: string }).page, 'statistics');
  });

  it('shows the result of an action, errors in red with their code', async () => {
    await openWith(cleanModel());
    await sendToPage(page, { type: 'busy', action: 'sendTest' });
    await page.locator('.busy').waitFor();
    assert.equal(await page.locator('vscode-button[data-action="sendNow"]').getAttribute('disabled'), '');
    await sendToPage(page, { type: 'busy' });
    await sendToPage(page, { type: 'result', action: 'sendTest', ok: false, message: 'authentication failed (535)', code: 'smtp-auth' });
    const banner = page.getByTestId('result-banner');
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? '', /smtp-auth\s+authentication failed \(535\)/);
    assert.equal(await page.locator('vscode-button[data-action="sendNow"]').getAttribute('disabled'), null);
  });

  it('turns into the status view after Schedule, keeping the host\'s notice', async () => {
    await openWith(cleanModel());
    await sendToPage(page, { type: 'result', action: 'schedule', ok: true, message: 'Scheduled to send at Fri 4 Dec 2026 19:00 CET, in 8 days' });
    await sendToPage(page, modelMessage(scheduledModel(), 'statistics'));
    await page.getByTestId('scheduled-for').waitFor();
    assert.equal(await page.locator('vscode-collapsible').count(), 0);
    assert.match((await page.getByTestId('result-banner').textContent()) ?? '', /Scheduled to send at Fri 4 Dec 2026 19:00 CET/);
    assert.equal(await page.locator('vscode-button[data-action="schedule"]').count(), 0);
    assert.equal(await page.locator('vscode-button[data-action="stop"]').count(), 1);
    assert.equal(await page.locator('vscode-button[data-action="start"]').count(), 1);
  });

  it("drops an action's banner once the state moves on, whoever moved it: badge and banners always agree", async () => {
    await openWith(cleanModel());
    const banner = page.getByTestId('result-banner');
    const schedule = { type: 'result', action: 'schedule', ok: true, message: 'Scheduled to send at Fri 4 Dec 2026 19:00 CET, in 8 days', status: 'scheduled' } as const;
    // Scheduled from the page: the notice stays while the mailing is scheduled (the model may come after it).
    await sendToPage(page, schedule);
    await sendToPage(page, modelMessage(scheduledModel(), 'statistics'));
    await page.getByTestId('scheduled-for').waitFor();
    assert.match((await banner.textContent()) ?? '', /Scheduled to send at Fri 4 Dec/);
    // Stopped from the CodeLens (or another window, or the CLI): the page hears only the new state.
    await sendToPage(page, modelMessage(cleanModel(), 'statistics'));
    await page.locator('vscode-badge.status', { hasText: 'Draft' }).waitFor();
    assert.equal(await banner.count(), 0, 'no "Scheduled to send at" beside a Draft badge');
    assert.equal(await page.getByTestId('scheduled-for').count(), 0);
    // An outcome about the draft stays while it is a draft, and goes once it is sending, then completed.
    await sendToPage(page, { type: 'result', action: 'sendNow', ok: false, message: 'Send now: the mailing has 1 error(s)', code: 'has-errors', status: 'draft' });
    await banner.waitFor();
    const sending = sendingStatistics();
    await sendToPage(page, { type: 'statistics', statistics: sending });
    await page.locator('vscode-badge.status', { hasText: 'Sending' }).waitFor();
    assert.equal(await banner.count(), 0);
    await sendToPage(page, { type: 'statistics', statistics: { ...sending, statistics: { ...sending.statistics, status: 'completed', pending: 0 } } });
    await page.locator('vscode-badge.status', { hasText: 'Completed' }).waitFor();
    assert.equal(await banner.count(), 0);
    assert.equal(await page.getByTestId('scheduled-for').count(), 0);
  });

  it('ignores messages that are not from the protocol', async () => {
    await openWith(cleanModel());
    await page.evaluate(() => window.postMessage({ type: 'evil', model: null }, '*'));
    await page.evaluate(() => window.postMessage('model', '*'));
    await sendToPage(page, modelMessage(brokenModel()));
    await page.locator('.diagnostic.error').first().waitFor();
    assert.equal(await page.locator('.diagnostic.error').count(), 3);
  });
});
