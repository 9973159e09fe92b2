/// <reference lib="dom" />
// The Statistics page's recipient table on 100,000 recipients, in a real Chromium. The stand-in host
// answers each query the page posts with the host's own function (queryRecipientLog) over the whole
// log, as the extension does; the page shows a page of 100 rows, the kinds with their counts, the
// search, the pager, the selection for "Resend to selected" and the export of the filtered view.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { queryRecipientLog } from '../../src/core/state/recipientQuery';
import { recipientPageMoments } from '../../src/extension/webview/confirmView';
import type { RecipientLogEntry } from '../../src/core/types';
import type { WebviewMessage } from '../../src/protocol';
import { modelMessage, sendingModel, sendingStatistics } from './support/fixtures';
import { click, pageSuite, posted, screenshot, sendToPage, WAIT_MS, waitForPosted } from './support/pageHarness';

const TOTAL = 100_000;

/** 100,000 recipients: most sent, every 50th failed with a hard bounce, every 97th complained, every 1,000th suppressed. */
function bigLog(): RecipientLogEntry[] {
  return Array.from({ length: TOTAL }, (_, i): RecipientLogEntry => {
    const email = `reader${String(i).padStart(6, '0')}@example.org`;
    if (i % 1000 === 999) return { email, outcome: 'suppressed', attempts: 0, reason: 'suppressed' };
    if (i % 50 === 49) return { email, outcome: 'failed', attempts: 1, reply: '550 5.1.1 user unknown', bounce: 'hard', run: 1, index: i, at: '2026-11-27T18:00:00.000Z' };
    return { email, outcome: 'sent', attempts: 1, reply: '250 ok', run: 1, index: i, at: '2026-11-27T18:00:00.000Z', ...(i % 97 === 0 ? { complained: true as const } : {}) };
  });
}

describe('Statistics page: the recipient table on 100,000 rows (Chromium)', function () {
  this.timeout(60000);
  const pages = pageSuite();
  const log = bigLog();
  let page: Page;
  let answered = 0;

  /** Answers the page's next query (after the ones answered already) as the host does; returns it. */
  async function answerNextQuery(): Promise<Extract<WebviewMessage, { type: 'queryRecipients' }>> {
    const queries = () => posted(page).then((all) => all.filter((m): m is Extract<WebviewMessage, { type: 'queryRecipients' }> => m.type === 'queryRecipients'));
    // The page may have posted several (typing); the host answers each, the page keeps the last.
    let all = await queries();
    while (all.length <= answered) {
      await page
        .waitForFunction((n) => (window as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'queryRecipients').length > n, answered, { timeout: WAIT_MS })
        .catch(async () => {
          throw new Error(`waited for query ${answered + 1} from the page; it posted: ${JSON.stringify((await posted(page)).slice(-5))}`);
        });
      all = await queries();
    }
    for (const query of all.slice(answered)) {
      const answer = queryRecipientLog(log, { ...query, limit: 100 });
      await sendToPage(page, { type: 'recipients', id: query.id, page: answer, moments: recipientPageMoments(answer, 'Europe/Amsterdam') });
    }
    answered = all.length;
    return all[all.length - 1];
  }

  const range = () => page.getByTestId('recipient-range').textContent();
  const emails = () => page.locator('[data-testid="recipient-rows"] tbody tr td:nth-child(2)').allTextContents();

  it('pages, filters by kind with counts, searches, selects for Resend to selected and exports the filtered view', async () => {
    page = await pages.open();
    answered = 0;
    const model = sendingModel();
    model.state = { status: 'completed', total: TOTAL, sent: 97_000, failed: 2_000 };
    model.actions = { ...model.actions, stop: { offered: false, enabled: false }, resend: { offered: true, enabled: true } };
    await sendToPage(page, modelMessage(model, 'statistics'));
    const view = sendingStatistics();
    view.statistics = { ...view.statistics, status: 'completed', total: TOTAL };
    await sendToPage(page, { type: 'statistics', statistics: view });

    // The first page, asked for by the page itself.
    const first = await answerNextQuery();
    assert.deepEqual([first.offset, first.filter, first.search], [0, undefined, undefined]);
    await page.getByTestId('recipient-rows').waitFor({ timeout: WAIT_MS });
    assert.equal(await range(), '1–100 of 100,000');
    assert.equal((await emails()).length, 100, 'one page of rows in the DOM, not 100,000');
    assert.equal((await emails())[0], 'reader000000@example.org');
    assert.equal(await page.locator('[data-testid="recipient-rows"] tbody tr td:last-child').first().textContent(), 'Fri 27 Nov 2026 19:00 CET', 'the host writes the moments');
    const options = await page.locator('[data-testid="recipient-filter"] option').allTextContents();
    const count = (p: (r: RecipientLogEntry) => boolean) => log.filter(p).length.toLocaleString('en');
    assert.deepEqual(options.slice(0, 6), [
      'All (100,000)',
      `Sent (${count((r) => r.outcome === 'sent')})`,
      `Failed (${count((r) => r.outcome === 'failed')})`,
      `Bounced (${count((r) => r.bounce !== undefined)})`,
      `Complained (${count((r) => r.complained === true)})`,
      `Suppressed (${count((r) => r.outcome === 'suppressed')})`,
    ]);

    // Next page.
    await click(page, page.locator('vscode-button[data-action="pageNext"]'));
    assert.equal((await answerNextQuery()).offset, 100);
    await page.waitForFunction(() => document.querySelector('[data-testid="recipient-range"]')?.textContent === '101–200 of 100,000', undefined, { timeout: WAIT_MS });
    assert.equal((await emails())[0], 'reader000100@example.org');

    // A kind: back to its first page.
    await page.getByTestId('recipient-filter').selectOption('bounced');
    const bounced = await answerNextQuery();
    assert.deepEqual([bounced.filter, bounced.offset], ['bounced', 0]);
    const bouncedTotal = log.filter((r) => r.bounce !== undefined).length.toLocaleString('en');
    await page.waitForFunction((t) => document.querySelector('[data-testid="recipient-range"]')?.textContent === `1–100 of ${t}`, bouncedTotal, { timeout: WAIT_MS });
    assert.equal((await emails())[0], 'reader000049@example.org');

    // A search within it.
    await page.getByTestId('recipient-search').fill('reader0999');
    const searched = await answerNextQuery();
    assert.deepEqual([searched.filter, searched.search, searched.offset], ['bounced', 'reader0999', 0]);
    // reader099900 … reader099999: of those only 099949 bounced (099999 is suppressed).
    await page.waitForFunction(() => document.querySelector('[data-testid="recipient-range"]')?.textContent === '1–1 of 1', undefined, { timeout: WAIT_MS });
    assert.deepEqual(await emails(), ['reader099949@example.org']);
    await screenshot(page, 'statistics-recipient-table');

    // Select the page's rows, Resend to selected; export exactly this view.
    await click(page, page.getByTestId('select-page'));
    await page.locator('vscode-button[data-action="resendSelected"]', { hasText: 'Resend to selected (1)' }).waitFor({ timeout: WAIT_MS });
    await click(page, page.locator('vscode-button[data-action="resendSelected"]'));
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'resend'), { type: 'resend', to: ['reader099949@example.org'] });
    await click(page, page.locator('vscode-button[data-action="exportView"]'));
    assert.deepEqual(await waitForPosted(page, (m) => m.type === 'exportCsv'), { type: 'exportCsv', filter: 'bounced', search: 'reader0999' });

    // Nothing matches: said so.
    await page.getByTestId('recipient-search').fill('nobody-at-all');
    await answerNextQuery();
    await page.getByTestId('recipient-none').waitFor({ timeout: WAIT_MS });
    assert.equal(await range(), '0–0 of 0');
  });
});
