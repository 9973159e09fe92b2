// The host side without VS Code: the protocol's guards (the host's first line of defence), which
// actions are offered, and the view built from a confirm model (with the preview rendered by the core).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isPreviewPageMessage, isWebviewMessage, parsePageState, parsePreviewState } from '../../src/protocol';
import { UI_STRINGS } from '../../src/extension/webview/uiStrings';
import { formatString } from '../../webview/confirm/strings';
import { actionAvailability } from '../../src/extension/webview/availability';
import { toConfirmView, toStatisticsView } from '../../src/extension/webview/confirmView';
import { renderPreview } from '../../src/extension/webview/preview';
import type { Statistics } from '../../src/core/types';
import { diagnostic, makeMailing, modelFor, recipients, tempDir } from '../support/resolvedMailings';

const t = (message: string, ...args: (string | number)[]) => formatString(message, ...args);

describe('webview host', () => {
  describe('isWebviewMessage', () => {
    const range = { start: { line: 3, column: 2 }, end: { line: 3, column: 9 } };
    it('accepts every well-formed command and request', () => {
      for (const m of [
        { type: 'ready' },
        { type: 'sendTest' },
        { type: 'sendNow' },
        { type: 'stop' },
        { type: 'start' },
        { type: 'openStatistics' },
        { type: 'openConfirm' },
        { type: 'exportCsv' },
        { type: 'reveal', range },
        { type: 'reveal', range, file: '/w/newsletter.html' },
        { type: 'schedule', whenText: 'tomorrow 19:00' },
        { type: 'schedule', at: '2026-12-04T19:00' },
        { type: 'schedule', at: '2026-12-04T19:00:30' },
        { type: 'resolveWhen', id: 7, text: 'next friday' },
        { type: 'selectPreviewRecipient', index: 3 },
        { type: 'setPreviewWidth', width: 'mobile' },
        { type: 'loadRemoteImages' },
      ]) {
        assert.ok(isWebviewMessage(m), JSON.stringify(m));
      }
    });
    it('rejects unknown types, extra keys, wrong types and out-of-range values', () => {
      for (const m of [
        null,
        'sendNow',
        [],
        { type: 'eval', code: '1' },
        { type: 'sendNow', recipients: 10 },
        { type: 'reveal', range: { start: { line: -1, column: 0 }, end: { line: 0, column: 0 } } },
        { type: 'reveal', range: { start: { line: 1.5, column: 0 }, end: { line: 2, column: 0 } } },
        { type: 'reveal', range: { start: { line: 1, column: 0 } } },
        { type: 'reveal', range, file: 42 },
        { type: 'schedule' },
        { type: 'schedule', at: '2026-12-04T19:00', whenText: 'now' },
        { type: 'schedule', at: 'tomorrow' },
        { type: 'schedule', whenText: 'x'.repeat(201) },
        { type: 'resolveWhen', id: '1', text: 'now' },
        { type: 'resolveWhen', id: 1 },
        { type: 'selectPreviewRecipient', index: -1 },
        { type: 'selectPreviewRecipient', index: '2' },
        { type: 'setPreviewWidth', width: 'tablet' },
        { type: 'loadRemoteImages', origin: 'https://tracker.example' },
        { type: '__proto__' },
      ]) {
        assert.ok(!isWebviewMessage(m), JSON.stringify(m));
      }
    });
  });

  describe('parsePageState', () => {
    it('keeps a mailing file and known fields, drops the rest', () => {
      assert.deepEqual(parsePageState({ file: '/w/a.mailing.yaml', page: 'statistics', previewWidth: 'mobile', previewRecipient: 2, extra: 1 }), {
        file: '/w/a.mailing.yaml',
        page: 'statistics',
        previewWidth: 'mobile',
        previewRecipient: 2,
      });
      assert.deepEqual(parsePageState({ file: '/w/a.mailing.yml', page: 'evil' }), { file: '/w/a.mailing.yml', page: 'confirm' });
      // Remote images only when the page says so in so many words.
      assert.deepEqual(parsePageState({ file: '/w/a.mailing.yml', remoteImages: true }), { file: '/w/a.mailing.yml', page: 'confirm', remoteImages: true });
      assert.deepEqual(parsePageState({ file: '/w/a.mailing.yml', remoteImages: 'yes' }), { file: '/w/a.mailing.yml', page: 'confirm' });
    });
    it('rejects anything that is not a mailing file', () => {
      for (const s of [undefined, null, {}, { file: '/etc/passwd' }, { file: 3 }, { file: '/w/a.mailing.yaml.exe' }]) assert.equal(parsePageState(s), undefined);
    });
  });

  describe('parsePreviewState', () => {
    it('keeps the mailing, the previewed source and the well-formed choices', () => {
      assert.deepEqual(parsePreviewState({ file: '/w/a.mailing.yaml', source: '/w/news.mjml', previewWidth: 'mobile', previewDark: true, page: 'statistics' }), {
        file: '/w/a.mailing.yaml',
        source: '/w/news.mjml',
        previewWidth: 'mobile',
        previewDark: true,
      });
    });
    it('rejects a state without a mailing file or a source', () => {
      for (const s of [undefined, { file: '/w/a.mailing.yaml' }, { file: '/etc/passwd', source: '/w/a.mailing.yaml' }, { file: '/w/a.mailing.yaml', source: 7 }]) assert.equal(parsePreviewState(s), undefined);
    });
  });

  describe('isPreviewPageMessage', () => {
    it('accepts the preview page messages and nothing with extra keys or a Confirm-only type', () => {
      assert.ok(isPreviewPageMessage({ type: 'ready' }));
      assert.ok(!isPreviewPageMessage({ type: 'ready', extra: 1 }));
      assert.ok(!isPreviewPageMessage({ type: 'sendNow' }));
      assert.ok(!isPreviewPageMessage({ type: '__proto__' }));
    });
  });

  describe('actionAvailability', () => {
    let dir: string;
    beforeEach(async () => (dir = await tempDir('mailings-webview-')));
    afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

    it('a draft with errors: Send now and Schedule offered but disabled, with the reason', async () => {
      const model = modelFor(await makeMailing({ dir }), [diagnostic('from-missing', 'setup'), diagnostic('test-not-sent', 'test'), diagnostic('recipient-invalid', 'targetList', 'warning')]);
      const a = actionAvailability({ model, trusted: true, t });
      assert.deepEqual(a.sendNow, { offered: true, enabled: false, reason: 'Fix the 2 errors first.' });
      assert.deepEqual(a.schedule, { offered: true, enabled: false, reason: 'Fix the 2 errors first.' });
      assert.deepEqual(a.sendTest, { offered: true, enabled: true });
      assert.equal(a.stop.offered || a.start.offered || a.exportCsv.offered, false);
    });
    it('a clean draft can be sent and scheduled, but not in an untrusted workspace', async () => {
      const model = modelFor(await makeMailing({ dir }));
      assert.equal(actionAvailability({ model, trusted: true, t }).sendNow.enabled, true);
      const untrusted = actionAvailability({ model, trusted: false, t });
      for (const action of ['sendNow', 'schedule', 'sendTest'] as const) {
        assert.equal(untrusted[action].enabled, false);
        assert.match(untrusted[action].reason ?? '', /untrusted workspace/);
      }
    });
    it('no Schedule once started, stopped or completed; Stop and Start by state', async () => {
      const model = modelFor(await makeMailing({ dir }));
      const by = (status: Statistics['status']) => actionAvailability({ model: { ...model, state: { status } }, trusted: true, t });
      for (const status of ['scheduled', 'sending', 'stopped', 'completed', 'missed'] as const) {
        assert.equal(by(status).schedule.offered, false, status);
        assert.equal(by(status).sendNow.offered, false, status);
        assert.equal(by(status).exportCsv.offered, true, status);
      }
      assert.deepEqual([by('scheduled').stop.offered, by('scheduled').start.offered], [true, true]);
      assert.deepEqual([by('sending').stop.offered, by('sending').start.offered], [true, false]);
      assert.deepEqual([by('stopped').stop.offered, by('stopped').start.offered], [false, true]);
      assert.deepEqual([by('completed').stop.offered, by('completed').start.offered], [false, false]);
      // Reload and resend: a completed or stopped mailing; disabled with the reason when nobody is left.
      for (const status of ['draft', 'scheduled', 'sending', 'missed'] as const) assert.equal(by(status).resend.offered, false, status);
      assert.deepEqual(by('completed').resend, { offered: true, enabled: true });
      assert.deepEqual(by('stopped').resend, { offered: true, enabled: true });
      const none = actionAvailability({ model: { ...model, state: { status: 'completed' } }, trusted: true, t, resendCount: 0 });
      assert.deepEqual(none.resend, { offered: true, enabled: false, reason: 'Nothing to resend: every recipient was reached, and no rows were added.' });
      assert.equal(actionAvailability({ model: { ...model, state: { status: 'completed' } }, trusted: false, t }).resend.enabled, false);
    });
  });

  describe('toConfirmView and the preview', () => {
    let dir: string;
    beforeEach(async () => (dir = await tempDir('mailings-webview-')));
    afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

    it('renders the chosen recipient with the core renderer, values HTML-escaped', async () => {
      const list = recipients(3, 'example.test', (i): Record<string, string> => (i === 1 ? { firstName: '<b>Bo & "Co"</b>' } : {}));
      const model = modelFor(await makeMailing({ dir, recipients: list, attachments: { 'price-list.pdf': 'x'.repeat(2048) } }));
      const preview = await renderPreview(model, 1);
      assert.ok(preview);
      assert.equal(preview.index, 1);
      assert.match(preview.html ?? '', /<h1>Hello &lt;b&gt;Bo &amp; &quot;Co&quot;&lt;\/b&gt;<\/h1>/);
      assert.equal(preview.subject, '<b>Bo & "Co"</b>, our November news');
      assert.match(preview.text, /Hello <b>Bo & "Co"<\/b>/);
      // An index past the list is clamped to the last recipient.
      assert.equal((await renderPreview(model, 99))?.recipient.email, 'r2@example.test');

      const first = await renderPreview(model, 0);
      const view = toConfirmView(model, {
        now: new Date('2026-11-26T12:00:00Z'),
        locale: 'en',
        actions: actionAvailability({ model, trusted: true, t }),
        preview: first,
        previewWidth: 'mobile',
        inlineLabel: 'listed in the file',
      });
      assert.equal(view.setup.from, 'Acme News <news@acme.example>');
      assert.equal(view.setup.subjectForFirst, 'First0, our November news');
      assert.equal(view.setup.firstRecipient, 'r0@example.test');
      assert.deepEqual(view.content.attachments, [{ filename: 'price-list.pdf', size: 2048 }]);
      assert.equal(view.content.textDerived, true);
      assert.equal(view.preview?.width, 'mobile');
      assert.deepEqual(view.preview?.recipientChoices, ['r0@example.test', 'r1@example.test', 'r2@example.test']);
      assert.equal(view.targetList.recipients, 3);
      assert.deepEqual(view.targetList.sample.columns, ['email', 'firstName']);
      assert.deepEqual(view.targetList.sample.rows[0], ['r0@example.test', 'First0']);
      assert.deepEqual(view.targetList.sources, [{ label: 'listed in the file', rows: 3, invalid: 1, duplicate: 0 }]);
      assert.equal(view.test.lastAt, undefined);
      assert.equal(view.errorCount, 0);
    });

    it('labels diagnostics in other files relative to the mailing, and describes the last test and schedule', async () => {
      const mailing = await makeMailing({ dir, mailing: { schedule: 'friday 19:00' } });
      const d = { ...diagnostic('merge-field-unknown', 'content'), file: `${dir}/content/news.html` };
      const model = { ...modelFor(mailing, [d, diagnostic('test-outdated', 'test')]), test: { version: 1 as const, at: '2026-11-26T10:00:00Z', to: ['me@acme.example'], hash: 'old', messageIds: [] }, scheduleAt: '2026-11-27T18:00:00Z' };
      const view = toConfirmView(model, { now: new Date('2026-11-26T12:00:00Z'), locale: 'en', actions: actionAvailability({ model, trusted: true, t }), previewWidth: 'desktop', inlineLabel: '-' });
      assert.equal(view.diagnostics[0].fileLabel, 'content/news.html');
      assert.equal(view.diagnostics[1].file, undefined);
      assert.equal(view.test.lastAt, 'Thu 26 Nov 2026 11:00 CET, 2 hours ago');
      assert.equal(view.test.outdated, true);
      assert.equal(view.schedule.resolved, 'Fri 27 Nov 2026 19:00 CET, in 1 day');
      assert.equal(view.errorCount, 2);
      assert.equal(view.actions.sendNow.enabled, false);
    });

    it('no preview without content', async () => {
      const model = modelFor(await makeMailing({ dir, mailing: { html: undefined, text: undefined } }));
      assert.equal(await renderPreview(model, 0), undefined);
    });
  });

  describe('toStatisticsView', () => {
    const stats: Statistics = { status: 'sending', total: 100, sent: 40, failed: 2, deferred: 8, pending: 50, skipped: 0, uncertain: 0, ratePerMinute: 29, perMinute: [] };
    it('estimates the time left from the rate and lists only failed recipients', () => {
      const view = toStatisticsView('/w/a.mailing.yaml', 'A', 'UTC', stats, [
        { email: 'a@x.test', outcome: 'sent', attempts: 1 },
        { email: 'b@x.test', outcome: 'failed', attempts: 1, reply: '550 no such user' },
        { email: 'c@x.test', outcome: 'deferred', attempts: 2, reply: '451 try later' },
      ]);
      assert.equal(view.etaMs, ((50 + 8) / 29) * 60000);
      assert.deepEqual(view.failures.map((f) => f.email), ['b@x.test']);
      assert.equal(view.failuresTotal, 1);
      assert.equal(toStatisticsView('/w/a.mailing.yaml', 'A', 'UTC', { ...stats, status: 'completed' }, []).etaMs, undefined);
    });
    it('writes every moment it shows in the one format of the language, in the mailing zone', () => {
      const at = '2026-12-01T19:25:44.000Z';
      const done = { ...stats, status: 'completed' as const, startedAt: '2026-12-01T19:20:00.000Z', finishedAt: at };
      const failed = [{ email: 'b@x.test', outcome: 'failed' as const, attempts: 1, at }];
      assert.deepEqual(toStatisticsView('/w/a.mailing.yaml', 'A', 'Europe/Amsterdam', done, failed).moments, {
        '2026-12-01T19:20:00.000Z': 'Tue 1 Dec 2026 20:20 CET',
        [at]: 'Tue 1 Dec 2026 20:25:44 CET',
      });
      assert.equal(toStatisticsView('/w/a.mailing.yaml', 'A', 'Europe/Amsterdam', done, failed, 'nl').moments[at], 'di 1 dec 2026 20:25:44 CET');
    });
  });

  it('has a Dutch translation, with the same placeholders, for every string the panels show', async () => {
    const root = path.resolve(__dirname, '../../..');
    const nl = JSON.parse(await fs.readFile(path.join(root, 'l10n/bundle.l10n.nl.json'), 'utf8')) as Record<string, string>;
    const hostDir = path.join(root, 'src/extension/webview');
    const hostMessages: string[] = [];
    for (const name of await fs.readdir(hostDir)) {
      const source = await fs.readFile(path.join(hostDir, name), 'utf8');
      for (const m of source.matchAll(/\bt\('((?:[^'\\]|\\.)*)'/g)) hostMessages.push(m[1]);
    }
    assert.ok(hostMessages.length >= 8, `found ${hostMessages.length} host messages`);
    const placeholders = (text: string) => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort().join();
    for (const message of [...Object.values(UI_STRINGS), ...hostMessages]) {
      assert.ok(typeof nl[message] === 'string' && nl[message].trim() !== '', `no Dutch for '${message}'`);
      assert.equal(placeholders(nl[message]), placeholders(message), `placeholders of '${message}'`);
    }
    // The seed's own words (the CRM's Dutch help page).
    assert.equal(nl['Send now'], 'Nu verzenden');
    assert.equal(nl['Scheduled to send at'], 'Gepland voor verzenden om');
    assert.equal(nl['Pick date'], 'Datum kiezen');
    assert.equal(nl['Send status and statistics'], 'Verzendstatus en statistieken');
  });
});
