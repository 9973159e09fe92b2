/// <reference lib="dom" />
// The pages in the light, dark and high-contrast themes: key text must meet WCAG AA contrast against
// its background in each, and a screenshot of each is saved (artifacts/screenshots/webview-*.png) to
// be looked at.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UiStringKey, UiStrings } from '../../src/protocol';
import { UI_STRINGS } from '../../src/extension/webview/uiStrings';
import { brokenModel, cleanModel, modelMessage, sendingModel, sendingStatistics } from './support/fixtures';
import { REPO_ROOT, screenshot, sendToPage, WebviewHarness } from './support/pageHarness';
import { THEMES, type ThemeKind } from './support/themes';

/** Contrast ratio (WCAG 2) between each selected element's text colour and the page background. */
function contrastOf(selector: string): number[] {
  // rgb(r, g, b) with 0–255, or color(srgb r g b) with 0–1 (what color-mix() computes to).
  const parse = (c: string) => {
    const numbers = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    return c.startsWith('color(srgb') ? numbers.map((n) => n * 255) : numbers;
  };
  const luminance = ([r, g, b]: number[]) => {
    const lin = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const background = luminance(parse(getComputedStyle(document.body).backgroundColor));
  return [...document.querySelectorAll(selector)].map((el) => {
    const l = luminance(parse(getComputedStyle(el).color));
    return (Math.max(l, background) + 0.05) / (Math.min(l, background) + 0.05);
  });
}

describe('Themes: light, dark, high contrast (Chromium)', function () {
  this.timeout(90000);
  let harness: WebviewHarness;

  before(async () => {
    harness = await WebviewHarness.start();
  });
  after(async () => {
    await harness?.close();
  });

  for (const theme of Object.keys(THEMES) as ThemeKind[]) {
    it(`${theme}: errors, warnings, reasons and text are legible; screenshots saved`, async () => {
      const page = await harness.open({ theme, viewport: { width: 1000, height: 800 } });
      try {
        await sendToPage(page, modelMessage(brokenModel()));
        await page.locator('.diagnostic.error').first().waitFor();
        assert.equal(
          await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
          await page.evaluate((bg) => {
            const probe = document.createElement('div');
            probe.style.backgroundColor = bg;
            document.body.append(probe);
            const value = getComputedStyle(probe).backgroundColor;
            probe.remove();
            return value;
          }, THEMES[theme].variables['--vscode-editor-background']),
          'the page takes the theme background',
        );
        for (const selector of ['.diagnostic.error .message', '.diagnostic.warning .code', '.reason', '.fields dd', '.fields dt', 'h1']) {
          const ratios = await page.evaluate(contrastOf, selector);
          assert.ok(ratios.length > 0, `${selector} is on the page`);
          for (const ratio of ratios) assert.ok(ratio >= 4.5, `${theme}: ${selector} has contrast ${ratio.toFixed(2)} < 4.5`);
        }
        await screenshot(page, `confirm-broken-${theme}`);

        await sendToPage(page, modelMessage(cleanModel()));
        await page.locator('iframe.preview-frame').waitFor();
        await screenshot(page, `confirm-clean-${theme}`);

        await sendToPage(page, modelMessage(sendingModel(), 'statistics'));
        await sendToPage(page, { type: 'statistics', statistics: sendingStatistics() });
        await page.getByTestId('per-minute-chart').waitFor();
        for (const selector of ['.tile dd', '.tile dt', '.axis-label', '.legend li']) {
          const ratios = await page.evaluate(contrastOf, selector);
          for (const ratio of ratios) assert.ok(ratio >= 4.5, `${theme}: ${selector} has contrast ${ratio.toFixed(2)} < 4.5`);
        }
        await screenshot(page, `statistics-${theme}`);
      } finally {
        await page.close();
      }
    });
  }

  it('Dutch: the seed\'s words on the buttons, nothing cut off', async () => {
    // The strings as the host sends them in Dutch: UI_STRINGS through the Dutch bundle.
    const nl = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'l10n/bundle.l10n.nl.json'), 'utf8')) as Record<string, string>;
    const strings = Object.fromEntries((Object.keys(UI_STRINGS) as UiStringKey[]).map((key) => [key, nl[UI_STRINGS[key]]])) as unknown as UiStrings;
    const page = await harness.open({ theme: 'light', viewport: { width: 900, height: 800 } });
    try {
      const model = brokenModel();
      model.actions.sendNow.reason = 'Los eerst de 3 fouten op.';
      model.actions.schedule.reason = 'Los eerst de 3 fouten op.';
      await sendToPage(page, { type: 'model', page: 'confirm', ui: { locale: 'nl', strings }, model });
      await page.locator('.diagnostic.error').first().waitFor();
      const label = (action: string) => page.locator(`vscode-button[data-action="${action}"]`).textContent();
      assert.equal((await label('sendNow'))?.trim(), 'Nu verzenden');
      assert.equal((await label('schedule'))?.trim(), 'Plannen');
      assert.equal((await label('setNow'))?.trim(), 'Nu instellen');
      assert.equal((await label('sendTest'))?.trim(), 'Test verzenden');
      assert.equal((await page.locator('label[for="schedule-picker"]').textContent())?.trim(), 'Datum kiezen');
      assert.equal(await page.locator('vscode-collapsible[data-step="targetList"]').getAttribute('heading'), 'Doellijst');
      assert.match((await page.getByTestId('problem-counts').textContent()) ?? '', /3 fouten\s*1 waarschuwing/);
      // No text overflows its box (labels are longer in Dutch).
      const overflowing = await page.evaluate(() =>
        [...document.querySelectorAll('.fields dt, .inline-label, .reason, vscode-button')].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
      );
      assert.deepEqual(overflowing, []);
      await screenshot(page, 'confirm-broken-nl-light');
    } finally {
      await page.close();
    }
  });
});
