/// <reference lib="dom" />
// The send status and statistics page in a real Chromium with a stand-in host: live counts, the chart
// of messages per minute, the outcome shares, the failed recipients, and its actions; a waiting
// mailing with what it waits for, the pace (configured and current rate) and the local-time waves.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { Formatter } from '../../src/core/facts/format';
import type { Statistics } from '../../src/core/types';
import { toStatisticsView } from '../../src/extension/webview/confirmView';
import { modelMessage, sendingModel, sendingStatistics } from './support/fixtures';
import { click, pageSuite, screenshot, sendToPage, waitForPosted } from './support/pageHarness';

describe('Statistics page (Chromium)', function () {
  this.timeout(60000);
  const pages = pageSuite();
  let page: Page;

  async function openStatistics(): Promise<Page> {
    page = await pages.open();
    await sendToPage(page, modelMessage(sendingModel(), 'statistics'));
    await sendToPage(page, { type: 'statistics', statistics: sendingStatistics() });
    await page.getByTestId('per-minute-chart').waitFor();
    return page;
  }

  const tile = (key: string) => page.locator(`.tile[data-key="${key}"] dd`).textContent();

  it('shows live progress: done of total, the totals, rate and time left', async () => {
    await openStatistics();
    assert.equal(await page.getByTestId('status').textContent(), 'Sending');
    assert.match((await page.locator('.progress-text').textContent()) ?? '', /72\s*\/\s*120\s*\(60%\)/);
    assert.equal(await tile('total'), '120');
    assert.equal(await tile('sent'), '70');
    assert.equal(await tile('failed'), '2');
    assert.equal(await tile('deferred'), '3');
    assert.equal(await tile('pending'), '45');
    assert.equal(await tile('skipped'), '2');
    assert.equal(await tile('rate'), '23 / minute');
    assert.equal(await tile('eta'), '1 min 56 s');
    assert.equal(await tile('duration'), '3 min 05 s');
    assert.equal(await page.locator('.tile[data-key="uncertain"]').count(), 0);
    assert.equal(await page.locator('svg.progress-bar').getAttribute('aria-valuenow'), '72');
    assert.equal(await page.locator('svg.progress-bar rect.fill-sent').getAttribute('width'), String((70 / 120) * 1000));

    // A new statistics message updates the page in place.
    const next = sendingStatistics();
    next.statistics.sent = 100;
    next.statistics.pending = 15;
    await sendToPage(page, { type: 'statistics', statistics: next });
    await page.locator('.tile[data-key="sent"] dd', { hasText: '100' }).waitFor();
    assert.match((await page.locator('.progress-text').textContent()) ?? '', /102\s*\/\s*120/);
  });

  it('draws one bar per minute, failures stacked in red, and the outcome shares', async () => {
    await openStatistics();
    const stats = sendingStatistics().statistics;
    const bars = page.locator('[data-testid="per-minute-chart"] g.bar');
    assert.equal(await bars.count(), stats.perMinute.length);
    assert.equal(await page.locator('[data-testid="per-minute-chart"] rect.fill-failed').count(), 1);
    // Bar heights follow the counts: minute 2 (30 sent) is taller than minute 1 (12 sent); minute 4 has none.
    const heights = await bars.evaluateAll((gs) => gs.map((g) => Number(g.querySelector('rect.fill-sent')?.getAttribute('height'))));
    assert.ok(heights[1] > heights[0] && heights[0] > 0 && heights[3] === 0, `heights ${heights}`);
    // The sent colour is the theme's chart green.
    const fill = await page.locator('[data-testid="per-minute-chart"] rect.fill-sent').first().evaluate((el) => getComputedStyle(el).fill);
    assert.equal(fill, 'rgb(137, 209, 133)');

    const legend = page.locator('.legend li');
    assert.equal(await legend.count(), 4);
    assert.match((await page.locator('.legend li[data-outcome="sent"]').textContent()) ?? '', /Sent:\s*70\s*\(58\.3%\)/);
    assert.match((await page.locator('.legend li[data-outcome="failed"]').textContent()) ?? '', /Failed:\s*2\s*\(1\.7%\)/);
    const widths = await page.locator('[data-testid="outcome-chart"] rect[class^="fill-"]:not(.fill-empty)').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('width'))));
    assert.equal(Math.round(widths.reduce((a, b) => a + b, 0)), 1000);
  });

  it('lists the failed recipients with their SMTP replies', async () => {
    await openStatistics();
    const rows = page.locator('[data-testid="failures"] tbody tr');
    assert.equal(await rows.count(), 2);
    assert.match((await rows.nth(0).textContent()) ?? '', /bounce@example\.com.*550 5\.1\.1/);
    assert.match((await rows.nth(1).textContent()) ?? '', /full@example\.net.*552 5\.2\.2 Mailbox full/);
    // The host's one date-time format, as the CLI and the Confirm page write moments.
    assert.match((await rows.nth(0).textContent()) ?? '', /Thu 26 Nov 2026 12:01:05 CET/);
    assert.equal((await page.locator('[data-testid="totals"] [data-key="started"] dd').textContent())?.trim(), 'Thu 26 Nov 2026 12:00 CET');
  });

  it('posts Stop, Export CSV and back to the overview', async () => {
    await openStatistics();
    await click(page, page.locator('vscode-button[data-action="exportCsv"]'));
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'exportCsv'), { type: 'exportCsv' });
    await click(page, page.locator('vscode-button[data-action="stop"]'));
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'stop'), { type: 'stop' });
    await click(page, page.locator('vscode-button[data-action="openConfirm"]'));
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'openConfirm'), { type: 'openConfirm' });
  });

  it('a completed mailing: Resend with who it reaches, posting resend; disabled with the reason when nobody is left', async () => {
    page = await pages.open();
    const model = sendingModel();
    model.state = { status: 'completed', total: 120, sent: 118, failed: 2 };
    model.actions = { ...model.actions, stop: { offered: false, enabled: false }, resend: { offered: true, enabled: true } };
    model.resend = { added: 10, retry: 2, suppressed: 3 };
    await sendToPage(page, modelMessage(model, 'statistics'));
    await page.getByTestId('resend-who').waitFor();
    assert.equal(await page.getByTestId('resend-who').textContent(), 'Resend reaches 12: 10 added to the target list since, 2 not reached; 3 suppressed are left out.');
    await click(page, page.locator('vscode-button[data-action="resend"]'));
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'resend'), { type: 'resend' });
    await screenshot(page, 'statistics-resend');

    model.resend = { added: 0, retry: 0, suppressed: 3 };
    model.actions = { ...model.actions, resend: { offered: true, enabled: false, reason: 'Nothing to resend: every recipient was reached, and no rows were added.' } };
    await sendToPage(page, modelMessage(model, 'statistics'));
    await page.getByTestId('reason-resend').waitFor();
    assert.equal(await page.locator('vscode-button[data-action="resend"]').getAttribute('disabled'), '');
    assert.equal(await page.getByTestId('resend-who').count(), 0);
  });

  it('says so when nothing was sent yet, and shows why a mailing stopped', async () => {
    page = await pages.open();
    const model = sendingModel();
    model.state = { status: 'stopped' };
    await sendToPage(page, modelMessage(model, 'statistics'));
    const view = sendingStatistics();
    view.statistics = { ...view.statistics, status: 'stopped', sent: 0, failed: 0, pending: 120, perMinute: [], stoppedReason: 'authentication failed (535 5.7.8)' };
    view.failures = [];
    view.failuresTotal = 0;
    await sendToPage(page, { type: 'statistics', statistics: view });
    await page.getByTestId('chart-empty').waitFor();
    assert.equal(await page.getByTestId('stopped-reason').textContent(), 'Stopped because: authentication failed (535 5.7.8)');
    assert.equal(await page.locator('.tile[data-key="eta"]').count(), 0);
    assert.equal(await page.getByText('No recipient failed.').count(), 1);
  });

  it('a waiting mailing: what it waits for and when it goes on, the pace with the lowered rate, and the waves', async () => {
    page = await pages.open();
    const model = sendingModel();
    model.state = { status: 'waiting' };
    await sendToPage(page, modelMessage(model, 'statistics'));
    const until = '2026-11-26T17:00:00.000Z';
    const statistics: Statistics = {
      ...sendingStatistics().statistics,
      status: 'waiting',
      waiting: { reason: 'window', until },
      pace: { configuredPerMinute: 60, currentPerMinute: 30, throttledAt: '2026-11-26T11:02:30.000Z', domains: [{ domain: 'gmail.com', configuredPerMinute: 100, currentPerMinute: 50 }] },
      waves: [
        { zone: 'Europe/Amsterdam', dueAt: '2026-11-26T11:00:00.000Z', total: 80, sent: 70, failed: 2 },
        { zone: 'America/New_York', dueAt: '2026-11-26T17:00:00.000Z', total: 40, sent: 0, failed: 0 },
      ],
    };
    // The view as the host makes it: the moments written by the one Formatter.
    await sendToPage(page, { type: 'statistics', statistics: toStatisticsView('/work/mailings/november.mailing.yaml', 'November newsletter', 'Europe/Amsterdam', statistics, []) });
    const waiting = page.getByTestId('waiting');
    await waiting.waitFor();
    const at = new Formatter('en', { timezone: 'Europe/Amsterdam', now: new Date() }).instant(until);
    assert.equal(await waiting.textContent(), `Waiting for the send window: sending goes on by itself at ${at}.`);
    assert.match(at, /Thu 26 Nov 2026 18:00/);
    assert.equal(await page.getByTestId('status').textContent(), 'Waiting');
    assert.equal(await tile('rate-configured'), '60 / minute');
    assert.equal(await tile('rate-current'), '30 / minute');
    assert.equal(await page.locator('.tile[data-key="rate-current"]').getAttribute('class'), 'tile tile-throttled');
    assert.match((await tile('throttled-at')) ?? '', /Thu 26 Nov 2026 12:02:30 CET/);
    assert.deepEqual(await page.locator('[data-testid="domain-rates"] tbody tr').allTextContents(), ['gmail.com100 / minute50 / minute']);
    const waves = page.locator('[data-testid="waves"] tbody tr');
    assert.deepEqual(await waves.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-zone'))), ['Europe/Amsterdam', 'America/New_York']);
    assert.match((await waves.nth(1).textContent()) ?? '', /America\/New_York\s*Thu 26 Nov 2026 18:00(:00)? CET\s*40\s*0\s*0/);
    await screenshot(page, 'statistics-waiting');

    // Sending again: the waiting line goes; without a cap the configured rate says so.
    const sending: Statistics = { ...statistics, status: 'sending', waiting: undefined, pace: { currentPerMinute: 30, domains: [] } };
    await sendToPage(page, { type: 'statistics', statistics: toStatisticsView('/work/mailings/november.mailing.yaml', 'November newsletter', 'Europe/Amsterdam', sending, []) });
    await waiting.waitFor({ state: 'detached' });
    assert.equal(await tile('rate-configured'), 'No cap');
    assert.equal(await page.locator('[data-testid="domain-rates"]').count(), 0);
  });
});
