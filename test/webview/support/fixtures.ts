// Host messages for the page tests: what the host sends for a broken mailing, a clean one, and one
// that is sending. Written out as data on purpose: the page must render whatever the host sends.
import { Formatter } from '../../../src/core/index';
import { UI_STRINGS } from '../../../src/extension/webview/uiStrings';
import type { ActionsView, ConfirmView, HostMessage, StatisticsView, UiContext } from '../../../src/protocol';

export const UI_EN: UiContext = { locale: 'en', strings: UI_STRINGS };

const enabled = { offered: true, enabled: true };
const FIX_ERRORS = 'Fix the 3 errors first.';

export const PREVIEW_HTML = `<!DOCTYPE html><html><head><style>h1 { color: rgb(0, 94, 184); font-family: Georgia, serif; }</style></head>
<body style="margin: 0; padding: 24px; background: #f4f4f4"><h1 id="headline">Hello Jane</h1>
<p style="font-size: 16px">Our November news, just for you.</p><img alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<script>document.title = 'SCRIPT RAN'; parent.postMessage({ type: 'sendNow' }, '*');</script></body></html>`;

function baseModel(): ConfirmView {
  return {
    file: '/work/mailings/november.mailing.yaml',
    fileLabel: 'november.mailing.yaml',
    timezone: 'Europe/Amsterdam',
    steps: [
      { step: 'setup', complete: true, errors: 0, warnings: 0, lines: [] },
      { step: 'content', complete: true, errors: 0, warnings: 0, lines: [] },
      { step: 'targetList', complete: true, errors: 0, warnings: 0, lines: ['3 recipients, 2 skipped'] },
      { step: 'test', complete: true, errors: 0, warnings: 0, lines: [] },
      { step: 'schedule', complete: true, errors: 0, warnings: 0, lines: [] },
    ],
    diagnostics: [],
    errorCount: 0,
    warningCount: 0,
    setup: {
      name: 'November newsletter',
      from: 'Acme News <news@acme.example>',
      replyTo: 'support@acme.example',
      subject: '{{firstName}}, our November news',
      subjectForFirst: 'Jane, our November news',
      firstRecipient: 'jane@example.com',
    },
    content: {
      html: { file: 'newsletter.html', length: 1840 },
      textDerived: true,
      attachments: [{ filename: 'price-list.pdf', size: 48213 }],
      unsubscribe: ['https://acme.example/u?e={{email}}'],
    },
    preview: {
      recipientIndex: 0,
      recipientCount: 3,
      recipientChoices: ['jane@example.com', 'piet@example.nl', 'ann@example.org'],
      subject: 'Jane, our November news',
      html: PREVIEW_HTML,
      width: 'desktop',
      remoteImages: false,
    },
    targetList: {
      recipients: 3,
      skipped: { invalid: 1, duplicate: 1, excluded: 0 },
      sources: [{ label: 'customers.csv', rows: 4, invalid: 1, duplicate: 1 }],
      excludes: [],
      fields: ['email', 'firstName', 'city'],
      sample: {
        columns: ['email', 'firstName', 'city'],
        rows: [
          ['jane@example.com', 'Jane', 'Utrecht'],
          ['piet@example.nl', 'Piet', 'Delft'],
          ['ann@example.org', 'Ann', 'Gent'],
        ],
      },
    },
    test: { recipients: ['me@acme.example'], lastAt: 'Thu 26 Nov 2026 10:00 CET, 2 hours ago', lastTo: ['me@acme.example'], outdated: false },
    schedule: { expression: 'next friday 19:00', resolved: 'Fri 4 Dec 2026 19:00 CET, in 8 days' },
    state: { status: 'draft' },
    actions: {
      sendTest: enabled,
      sendNow: enabled,
      schedule: enabled,
      stop: { offered: false, enabled: false },
      start: { offered: false, enabled: false },
      exportCsv: { offered: false, enabled: false },
      checkLinks: enabled,
      checkSpamScore: enabled,
      resend: { offered: false, enabled: false },
    },
  };
}

export function cleanModel(): ConfirmView {
  return baseModel();
}

/** The broken example: an unknown merge field (in the HTML file), a missing From, a missing test. */
export function brokenModel(): ConfirmView {
  const m = baseModel();
  m.diagnostics = [
    { code: 'from-missing', severity: 'error', step: 'setup', message: "no 'from': add the sender, e.g. from: Acme News <news@acme.example>", range: { start: { line: 0, column: 0 }, end: { line: 0, column: 7 } } },
    {
      code: 'merge-field-unknown',
      severity: 'error',
      step: 'content',
      message: "{{frstName}} is no field of the target list; did you mean {{firstName}}?",
      range: { start: { line: 11, column: 14 }, end: { line: 11, column: 26 } },
      file: '/work/mailings/newsletter.html',
      fileLabel: 'newsletter.html',
    },
    { code: 'recipient-invalid', severity: 'warning', step: 'targetList', message: 'customers.csv: 1 row with an invalid address is skipped (row 4)', range: { start: { line: 9, column: 12 }, end: { line: 9, column: 25 } } },
    { code: 'test-not-sent', severity: 'error', step: 'test', message: 'no test was ever sent of this mailing: use Send test', range: { start: { line: 13, column: 0 }, end: { line: 13, column: 4 } } },
  ];
  m.errorCount = 3;
  m.warningCount = 1;
  m.setup.from = undefined;
  m.steps = m.steps.map((s) =>
    s.step === 'setup' || s.step === 'content' || s.step === 'test' ? { ...s, complete: false, errors: 1 } : s.step === 'targetList' ? { ...s, warnings: 1 } : s,
  );
  m.test = { recipients: ['me@acme.example'], outdated: false };
  m.preview = undefined;
  m.actions = { ...m.actions, sendNow: { offered: true, enabled: false, reason: FIX_ERRORS }, schedule: { offered: true, enabled: false, reason: FIX_ERRORS } };
  return m;
}

export function sendingModel(): ConfirmView {
  const m = baseModel();
  m.state = { status: 'sending', total: 120, sent: 70, failed: 2 };
  const no = { offered: false, enabled: false };
  m.actions = { sendTest: enabled, sendNow: no, schedule: no, stop: enabled, start: no, exportCsv: enabled, checkLinks: no, checkSpamScore: no, resend: no };
  return m;
}

export function scheduledModel(): ConfirmView {
  const m = baseModel();
  m.state = { status: 'scheduled', scheduledAt: '2026-12-04T18:00:00.000Z', scheduledAtText: 'Fri 4 Dec 2026 19:00 CET, in 8 days' };
  const no = { offered: false, enabled: false };
  m.actions = { sendTest: enabled, sendNow: no, schedule: no, stop: enabled, start: enabled, exportCsv: enabled, checkLinks: no, checkSpamScore: no, resend: no } satisfies ActionsView;
  return m;
}

export function modelMessage(model: ConfirmView, page: 'confirm' | 'statistics' = 'confirm'): Extract<HostMessage, { type: 'model' }> {
  return { type: 'model', page, ui: UI_EN, model };
}

export function sendingStatistics(): StatisticsView {
  const start = Date.parse('2026-11-26T11:00:00Z');
  const perMinute = [12, 30, 28, 0].map((sent, i) => ({ minute: new Date(start + i * 60000).toISOString(), sent, failed: i === 1 ? 2 : 0 }));
  return {
    file: '/work/mailings/november.mailing.yaml',
    name: 'November newsletter',
    timezone: 'Europe/Amsterdam',
    statistics: {
      status: 'sending',
      total: 120,
      sent: 70,
      failed: 2,
      deferred: 3,
      pending: 45,
      skipped: 2,
      uncertain: 0,
      ratePerMinute: 23.3,
      startedAt: new Date(start).toISOString(),
      durationMs: 185000,
      perMinute,
      sender: { pid: 4242, host: 'build-1', owner: 'VS Code window 4242' },
    },
    etaMs: 116000,
    failures: [
      { email: 'bounce@example.com', outcome: 'failed', attempts: 1, reply: '550 5.1.1 <bounce@example.com>: Recipient address rejected: User unknown', at: new Date(start + 65000).toISOString() },
      { email: 'full@example.net', outcome: 'failed', attempts: 1, reply: '552 5.2.2 Mailbox full', at: new Date(start + 70000).toISOString() },
    ],
    failuresTotal: 2,
    moments: hostMoments('Europe/Amsterdam', [start, start + 65000, start + 70000]),
  };
}

/** The instants as the host writes them for the page (confirmView.ts toStatisticsView). */
export function hostMoments(timezone: string, instants: number[], lang: 'en' | 'nl' = 'en'): Record<string, string> {
  const f = new Formatter(lang, { timezone, now: new Date() });
  return Object.fromEntries(instants.map((t) => [new Date(t).toISOString(), f.instant(new Date(t))]));
}
