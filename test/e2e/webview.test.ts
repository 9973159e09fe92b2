/// <reference lib="dom" />
// The Confirm overview and the status page inside the real VS Code workbench (code-server), driven
// by Playwright: the broken example shows red errors and a disabled Send now; fixing the file enables
// it; scheduling a few seconds ahead from the date picker turns the panel into the status view, which
// ends Completed with the statistics of what the local SMTP server received. Screenshots in
// artifacts/screenshots/webview-e2e-*.png (light and dark).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { failureContext, findWebviewFrame, openWorkbench, pickQuickInputItem, runCommand, screenshot, startCodeServer, waitForText, type CodeServer, type Workbench } from '../support/codeServer';
import { MailSink, type ReceivedMail as Received } from '../support/mailSink';

const root = path.resolve(__dirname, '../../..');

const isTest = (mail: Received) => mail.subject.startsWith('[TEST]');
const RECIPIENTS = ['ann@example.org', 'bob@example.org', 'cas@example.org'];

const LETTER = `version: 1
name: Webview letter
from: Webview Tests <sender@example.org>
subject: "{{frstName}}, the webview news"
content:
  html: |
    <html><body style="font-family: Georgia, serif"><h1 style="color: #0b5394">Hello {{firstName}}</h1>
    <p>The Confirm overview, tested inside VS Code.</p></body></html>
targetList:
  include:
    - { email: ann@example.org, firstName: Ann }
    - { email: bob@example.org, firstName: Bob }
    - { email: cas@example.org, firstName: Cas }
unsubscribe:
  url: https://example.org/unsubscribe?e={{email}}
test:
  recipients: [tester@example.org]
timezone: Europe/Amsterdam
sending:
  transport: smtp
  connections: 1
`;

/** A Markdown mailing, for the live preview beside the editor. */
const NOTES = `version: 1
name: Preview notes
from: Northwind Notes <notes@example.org>
subject: "Notes for {{firstName}}"
preheader: This week's three notes, {{firstName}}
content:
  markdown: notes.md
targetList:
  include:
    - { email: ann@example.org, firstName: Ann }
    - { email: bob@example.org, firstName: Bob }
unsubscribe:
  url: https://example.org/unsubscribe?e={{email}}
test:
  recipients: [tester@example.org]
timezone: Europe/Amsterdam
sending:
  transport: outbox
`;
const NOTES_MD = `# Hello {{firstName}}

${Array.from({ length: 30 }, (_, i) => `Note ${i + 1}: a paragraph long enough to take a line or two of the preview, so that it scrolls.`).join('\n\n')}
`;

/** The wall-clock time `seconds` from now in a zone, as a datetime-local input takes it. */
function wallClockIn(zone: string, seconds: number): string {
  const at = new Date(Date.now() + seconds * 1000);
  return new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .format(at)
    .replace(' ', 'T');
}

describe('Confirm overview and status view in VS Code (code-server)', function () {
  this.timeout(240_000);
  let folder: string;
  let sink: MailSink;
  let cs: CodeServer;
  let wb: Workbench;
  let page: Page;
  /** CSP violations reported in the workbench or any webview while the tests ran. */
  const cspMessages: string[] = [];

  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mailings-webview-e2e-'));
    fs.cpSync(path.join(root, 'examples/broken'), path.join(folder, 'broken'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'letter.mailing.yaml'), LETTER);
    fs.writeFileSync(path.join(folder, 'notes.mailing.yaml'), NOTES);
    fs.writeFileSync(path.join(folder, 'notes.md'), NOTES_MD);
    sink = new MailSink();
    const port = await sink.listen();
    const smtp = { 'mailings.smtp.host': '127.0.0.1', 'mailings.smtp.port': port, 'mailings.smtp.security': 'none' };
    // files.autoSave off, as desktop VS Code has it: in the browser it defaults to afterDelay (1 s), so
    // "the preview follows typing, unsaved" raced the auto-save on a loaded machine (CI saw the file saved).
    cs = await startCodeServer({ settings: { ...smtp, 'mailings.schedule.pollSeconds': 1, 'workbench.colorTheme': 'Default Dark Modern', 'files.autoSave': 'off' } });
    // The SMTP settings are machine-scoped: a remote window (code-server's) reads those from the
    // server's Machine settings, not from the user's.
    fs.mkdirSync(path.join(cs.userDataDir, 'Machine'), { recursive: true });
    fs.writeFileSync(path.join(cs.userDataDir, 'Machine', 'settings.json'), JSON.stringify(smtp, null, 2));
    wb = await openWorkbench(cs, { folder, extensionDevelopmentPath: root, viewport: { width: 1600, height: 1000 } });
    page = wb.page;
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspMessages.push(message.text());
    });
  });

  after(async () => {
    await wb?.close();
    await cs?.stop();
    await sink?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  afterEach(async function () {
    const title = this.currentTest?.title.slice(0, 30) ?? '';
    if (this.currentTest?.state === 'failed' && page) {
      await screenshot(page, `webview-e2e-failed-${title}`).catch(() => undefined);
      console.log(await failureContext(cs, page));
    }
  });

  async function openFile(name: string): Promise<void> {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: name }).waitFor();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  const command = (title: string): Promise<void> => runCommand(page, title);

  /**
   * Confirm… on the mailing in the active editor. The extension host learns of the active editor
   * asynchronously: under load the command may not know it yet and asks which mailing to confirm,
   * which a user answers by picking it; so does this.
   */
  async function confirm(pickLabel: string, title: string): Promise<Frame> {
    await command('Mailings: Confirm…');
    const asked = page.locator('.quick-input-widget input[placeholder*="Which mailing"]');
    const shown = panelFrame(title, 60_000);
    const first = await Promise.race([
      shown.then(() => 'panel' as const),
      asked.waitFor({ timeout: 60_000 }).then(() => 'asked' as const, () => 'never' as const),
    ]);
    if (first === 'asked') await pickQuickInputItem(page, pickLabel);
    return shown;
  }

  /** The webview frame of the panel whose title line names `title`. */
  function panelFrame(title: string, timeoutMs = 30_000): Promise<Frame> {
    return findWebviewFrame(page, `h1:has-text(${JSON.stringify(title)})`, timeoutMs);
  }

  /**
   * Clicks in the webview until the page shows it acted (`acknowledged` appears). Under load, headless
   * Chromium sometimes hit-tests a click against a layout of a moment ago and delivers it to the
   * preview's out-of-process iframe instead; the host ignores a second press while an action runs.
   */
  async function click(frame: Frame, locator: Locator, acknowledged: Locator): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await locator.scrollIntoViewIfNeeded();
      await frame.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      await locator.click();
      try {
        await acknowledged.first().waitFor({ timeout: 10_000 });
        return;
      } catch (error) {
        if (attempt === 3) throw error;
      }
    }
  }

  it('opens the overview of the broken example: red errors with codes, Send now disabled with the reason', async () => {
    await openFile('broken.mailing.yaml');
    const frame = await confirm('broken', 'broken.mailing.yaml');
    await frame.locator('.diagnostic.error').first().waitFor();
    const errors = await frame.locator('.diagnostic.error').count();
    assert.ok(errors >= 10, `${errors} errors shown`);
    for (const code of ['from-invalid', 'merge-field-unknown', 'file-missing', 'schedule-past']) {
      assert.ok((await frame.locator(`.diagnostic.error[data-code="${code}"]`).count()) > 0, `${code} shown`);
    }
    const color = await frame.locator('.diagnostic.error .message').first().evaluate((el) => getComputedStyle(el).color);
    const [r, g, b] = (color.match(/\d+/g) ?? []).map(Number);
    assert.ok(r > 180 && g < 120 && b < 120, `errors are red, got ${color}`);
    const sendNow = frame.locator('vscode-button[data-action="sendNow"]');
    assert.equal(await sendNow.getAttribute('disabled'), '');
    assert.equal(await frame.getByTestId('reason-sendNow').textContent(), `Fix the ${errors} errors first.`);
    await screenshot(page, 'webview-e2e-01-broken-dark');

    // A click on an error reveals its range in the YAML: the editor's cursor moves there.
    const invalid = frame.locator('.diagnostic.error[data-code="from-invalid"]').first();
    const where = (await invalid.locator('.where').textContent()) ?? '';
    const line = Number(where.split(':')[0]);
    await click(frame, invalid, page.locator('.monaco-editor.focused'));
    await page.locator('.monaco-editor.focused').waitFor();
    // The range is selected (the cursor stands at its end, as VS Code's Problems panel does it).
    await waitForText(page, '.statusbar-item', new RegExp(`Ln ${line}, Col \\d+ \\(\\d+ selected\\)`));
  });

  it('updates live as the file is fixed: Send now enables once the errors are gone', async () => {
    await command('View: Close All Editors');
    await openFile('letter.mailing.yaml');
    let frame = await confirm('Webview letter', 'Webview letter');
    await frame.locator('.diagnostic.error[data-code="merge-field-unknown"]').waitFor();
    await frame.locator('.diagnostic.error[data-code="test-not-sent"]').waitFor();
    assert.equal(await frame.locator('vscode-button[data-action="sendNow"]').getAttribute('disabled'), '');

    // Fix the misspelled field in the editor (unsaved): the overview follows the editor's text.
    await page.locator('.monaco-editor .view-line span', { hasText: 'frstName' }).first().dblclick();
    await page.keyboard.type('firstName');
    await frame.locator('.diagnostic[data-code="merge-field-unknown"]').waitFor({ state: 'detached' });
    assert.equal(await frame.getByTestId('subject-first').textContent(), 'Ann, the webview news');

    // Send a test from the overview: it arrives, and the test step is complete.
    await click(frame, frame.locator('vscode-button[data-action="sendTest"]'), frame.locator('.busy, [data-testid="result-banner"]'));
    // The page reports the command's outcome in its banner.
    const banner = frame.getByTestId('result-banner');
    await banner.waitFor({ timeout: 60_000 });
    assert.match((await banner.textContent()) ?? '', /Test sent to tester@example\.org/);
    await sink.until(() => sink.received.some(isTest), 30_000);
    assert.deepEqual(sink.received.find(isTest)?.to, ['tester@example.org']);
    frame = await panelFrame('Webview letter');
    await frame.locator('vscode-button[data-action="sendNow"]:not([disabled])').waitFor({ timeout: 30_000 });
    assert.equal(await frame.locator('.diagnostic.error').count(), 0);
    assert.match((await frame.getByTestId('test-last').textContent()) ?? '', /to tester@example\.org/);
    await screenshot(page, 'webview-e2e-02-fixed-dark');
  });

  it('schedules a few seconds ahead from the date picker → status view → completed with what the SMTP server received', async () => {
    let frame = await panelFrame('Webview letter');
    const moment = wallClockIn('Europe/Amsterdam', 20);
    await frame.locator('#schedule-picker input').fill(moment);
    await click(frame, frame.locator('vscode-button[data-action="schedule"]'), page.locator('.monaco-dialog-box'));
    const dialog = await waitForText(page, '.monaco-dialog-box', /Schedule “Webview letter” to 3 recipients\?/);
    await screenshot(page, 'webview-e2e-03-schedule-confirm');
    await dialog.locator('.monaco-button', { hasText: 'Schedule' }).first().click();

    // The panel turns into the status view: scheduled, then completed.
    frame = await panelFrame('Send status and statistics', 30_000);
    await frame.locator('[data-testid="status"]', { hasText: /Scheduled|Sending|Completed/ }).waitFor();
    await screenshot(page, 'webview-e2e-04-scheduled-dark');
    await sink.until(() => sink.received.filter((m) => !isTest(m)).length >= RECIPIENTS.length);
    frame = await panelFrame('Send status and statistics');
    await frame.locator('[data-testid="status"]', { hasText: 'Completed' }).waitFor({ timeout: 60_000 });

    const received = sink.received.filter((m) => !isTest(m));
    assert.deepEqual(received.flatMap((m) => m.to).sort(), RECIPIENTS);
    const tile = async (key: string) => (await frame.locator(`.tile[data-key="${key}"] dd`).textContent())?.trim();
    assert.equal(await tile('total'), String(RECIPIENTS.length));
    assert.equal(await tile('sent'), String(received.length));
    assert.equal(await tile('failed'), '0');
    assert.equal(await tile('pending'), '0');
    const bars = await frame.locator('[data-testid="per-minute-chart"] g.bar').count();
    assert.ok(bars >= 1, 'the per-minute chart has the run');
    assert.match((await frame.locator('.legend li[data-outcome="sent"]').textContent()) ?? '', /Sent:\s*3\s*\(100%\)/);
    // Schedule is no longer offered once the mailing has been sent.
    await click(frame, frame.locator('vscode-button[data-action="openConfirm"]'), frame.locator('vscode-collapsible[data-step="schedule"]'));
    frame = await panelFrame('Webview letter');
    await frame.locator('vscode-collapsible[data-step="schedule"]').waitFor();
    assert.equal(await frame.getByTestId('schedule-form').count(), 0);
    assert.equal(await frame.locator('vscode-button[data-action="sendNow"]').count(), 0);
    await click(frame, frame.locator('vscode-button[data-action="openStatistics"]'), frame.locator('[data-testid="status"]'));
    frame = await panelFrame('Send status and statistics');
    await frame.locator('[data-testid="status"]', { hasText: 'Completed' }).waitFor();
    await screenshot(page, 'webview-e2e-05-completed-dark');

    // No retainContextWhenHidden: a reloaded webview asks the host again and shows the same page.
    const old = frame;
    const detached = page.waitForEvent('framedetached', { predicate: (f) => f === old, timeout: 30_000 });
    await command('Developer: Reload Webviews');
    await detached;
    frame = await panelFrame('Send status and statistics');
    await frame.locator('[data-testid="status"]', { hasText: 'Completed' }).waitFor();
    assert.equal((await frame.locator('.tile[data-key="sent"] dd').textContent())?.trim(), String(RECIPIENTS.length));

    await command('Preferences: Color Theme');
    await pickQuickInputItem(page, 'Light Modern');
    await page.locator('.monaco-workbench.vs').waitFor({ timeout: 15_000 });
    frame = await panelFrame('Send status and statistics');
    await frame.locator('body.vscode-light').waitFor();
    await screenshot(page, 'webview-e2e-06-completed-light');
    assert.deepEqual(cspMessages, [], 'no Content Security Policy violations');
  });

  it('comes back after a window reload: the serializer restores the panel and its page', async () => {
    await command('Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const frame = await panelFrame('Send status and statistics', 60_000);
    await frame.locator('[data-testid="status"]', { hasText: 'Completed' }).waitFor({ timeout: 30_000 });
    assert.equal((await frame.locator('.tile[data-key="sent"] dd').textContent())?.trim(), String(RECIPIENTS.length));
    await screenshot(page, 'webview-e2e-07-restored-light');
  });

  /** Clicks the CodeLens action whose text is exactly `text` (the one mailing editor open). */
  async function clickLens(text: string): Promise<void> {
    const anchor = page.locator('.codelens-decoration a', { hasText: new RegExp(`^${text}$`) }).first();
    await anchor.waitFor({ timeout: 30_000 });
    await anchor.click();
  }

  async function answerDialog(question: RegExp, button: string): Promise<void> {
    const dialog = await waitForText(page, '.monaco-dialog-box', question, 30_000);
    await dialog.locator('.monaco-button', { hasText: button }).first().click();
    await dialog.waitFor({ state: 'detached' });
  }

  /** img-src of the page's CSP in the webview, as Chromium parsed it. */
  async function imgSrc(frame: Frame): Promise<string[]> {
    const csp = await frame.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy" i]')?.getAttribute('content') ?? '');
    return csp.split(';').map((d) => d.trim().split(/\s+/)).find(([name]) => name === 'img-src')?.slice(1) ?? [];
  }

  it('follows the state wherever it changes: badge and banner through scheduled, Stop from the CodeLens in a narrow editor, sending, completed', async () => {
    await command('View: Close All Editors');
    // The remote image on a name reserved for examples (it resolves nowhere): a loopback address
    // would be a link-local error of the Inbox step, which blocks Schedule.
    fs.writeFileSync(
      path.join(folder, 'follow.mailing.yaml'),
      LETTER.replace('name: Webview letter', 'name: Follow letter')
        .replace('{{frstName}}, the webview news', '{{firstName}}, the follow-up')
        .replace('<p>The Confirm overview', '<img src="https://images.northwind.example/logo.png" alt="remote logo" width="120" height="30"><p>The Confirm overview')
        .replace('connections: 1', 'connections: 1\n  rate: 30/minute'),
    );
    // A narrow editor: the panel opens beside it, as a user has it.
    await page.setViewportSize({ width: 1100, height: 900 });
    try {
      const tests = sink.received.filter(isTest).length;
      await openFile('follow.mailing.yaml');
      await command('Mailings: Send Test');
      await sink.until(() => sink.received.filter(isTest).length > tests, 30_000);
      let frame = await confirm('Follow letter', 'Follow letter');

      // The preview loads no remote image until asked; then the page comes back with a CSP that allows them.
      await frame.getByTestId('remote-images').waitFor();
      assert.ok(!(await imgSrc(frame)).includes('https:'), `img-src ${await imgSrc(frame)}`);
      const old = frame;
      const reloaded = page.waitForEvent('framedetached', { predicate: (f) => f === old, timeout: 30_000 });
      await frame.locator('vscode-button[data-action="loadRemoteImages"]').click();
      await reloaded;
      frame = await panelFrame('Follow letter');
      await frame.locator('iframe.preview-frame').waitFor();
      assert.ok((await imgSrc(frame)).includes('https:'), `img-src ${await imgSrc(frame)}`);
      assert.equal(await frame.getByTestId('remote-images').count(), 0);

      // Scheduled from the page: the status view says so, in the badge and the banner.
      await frame.locator('#schedule-picker input').fill(wallClockIn('Europe/Amsterdam', 3600));
      await click(frame, frame.locator('vscode-button[data-action="schedule"]'), page.locator('.monaco-dialog-box'));
      await answerDialog(/Schedule “Follow letter” to 3 recipients\?/, 'Schedule');
      frame = await panelFrame('Send status and statistics', 30_000);
      const badge = (status: string) => frame.locator('[data-testid="status"]', { hasText: status });
      await badge('Scheduled').waitFor();
      await waitForText(frame, '[data-testid="result-banner"]', /Scheduled to send at/);

      // Beside the panel the editor is narrow: the lens actions come first and stay in reach. The
      // lenses are re-rendered when the state is announced: read the line and its editor at once.
      const lensLine = await waitForText(page, '.codelens-decoration', /Scheduled \w+ \d\d:\d\d/, 30_000);
      assert.match((await lensLine.innerText()).replace(/\s+/g, ' '), /^Start now \| Stop \| Scheduled \w+ \d\d:\d\d$/);
      const layout = await page.waitForFunction(
        () => {
          const line = [...document.querySelectorAll('.codelens-decoration')].find((el) => /Scheduled/.test(el.textContent ?? ''));
          const editor = line?.closest('.monaco-editor');
          const anchors = [...(line?.querySelectorAll('a') ?? [])].filter((a) => ['Start now', 'Stop'].includes((a.textContent ?? '').trim()));
          if (!editor || anchors.length !== 2) return undefined;
          const right = (el: Element) => el.getBoundingClientRect().right;
          return { editorRight: right(editor), actions: anchors.map((a) => ({ text: (a.textContent ?? '').trim(), right: right(a) })) };
        },
        undefined,
        { timeout: 15_000 },
      );
      const { editorRight, actions } = (await layout.jsonValue())!;
      for (const action of actions) assert.ok(action.right <= editorRight, `${action.text} ends at ${action.right} px, inside the editor (${editorRight} px)`);
      await screenshot(page, 'webview-e2e-08-scheduled-narrow');

      // Stop from the CodeLens: the page hears it from the state, not from its own action.
      await clickLens('Stop');
      await badge('Draft').waitFor({ timeout: 30_000 });
      assert.equal(await frame.getByTestId('result-banner').count(), 0, 'no "Scheduled to send at" beside Draft');
      assert.equal(await frame.getByTestId('scheduled-for').count(), 0);
      await screenshot(page, 'webview-e2e-09-stopped-draft');

      // Send now from the CodeLens: Sending, then Completed, with no banner of an earlier state.
      await clickLens('Send now');
      await answerDialog(/Send “Follow letter” now to 3 recipients\?/, 'Send now');
      await badge('Sending').waitFor({ timeout: 30_000 });
      assert.equal(await frame.getByTestId('result-banner').count(), 0);
      await badge('Completed').waitFor({ timeout: 60_000 });
      assert.equal(await frame.getByTestId('result-banner').count(), 0);
      assert.equal(await frame.getByTestId('scheduled-for').count(), 0);
      await screenshot(page, 'webview-e2e-10-completed-narrow');
    } finally {
      await page.setViewportSize({ width: 1600, height: 1000 });
    }
  });

  it('opens the live preview beside a Markdown file from its editor title; it follows typing, unsaved', async () => {
    await command('View: Close All Editors');
    await openFile('notes.md');
    // The button is there before the mailing was opened: the extension read which files mailings name.
    // (Markdown's own preview button has the same title: ours is the eye.)
    const button = page.locator('.editor-actions a.action-label.codicon-eye[aria-label*="Open Preview to the Side"]');
    await button.first().waitFor({ timeout: 30_000 });
    await button.first().click();
    const frame = await findWebviewFrame(page, '[data-testid="inbox-row"]', 60_000);
    await waitForText(frame, '[data-testid="inbox-subject"]', /^Notes for Ann$/);
    await waitForText(frame, '[data-testid="inbox-snippet"]', /This week's three notes, Ann/);
    const message = async (): Promise<Frame> => {
      const handle = await frame.locator('iframe.preview-frame').elementHandle({ timeout: 30_000 });
      const inner = await handle?.contentFrame();
      assert.ok(inner, 'the message frame');
      return inner;
    };
    await (await message()).locator('h1', { hasText: 'Hello Ann' }).waitFor({ timeout: 30_000 });

    // Type at the end of the Markdown file (not saved): the preview shows it after the pause.
    await page.locator('.monaco-editor .view-line', { hasText: 'Hello {{firstName}}' }).first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n\nTyped in the workbench.');
    await (await message()).locator('p', { hasText: 'Typed in the workbench.' }).waitFor({ timeout: 30_000 });
    assert.ok(!fs.readFileSync(path.join(folder, 'notes.md'), 'utf8').includes('Typed in the workbench.'), 'nothing was saved');
    await screenshot(page, 'webview-e2e-11-live-preview');
    await command('File: Revert File');
  });
});
