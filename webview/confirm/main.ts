// Entry of the webview bundle (dist/webview/confirm.js): renders the Confirm overview or the send
// status and statistics page from the host's messages, and turns clicks into protocol messages.
// All data comes from the host; the page decides nothing the host does not check again.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './confirm.css';
import { html, render } from 'lit';
import { dispatch, isHostMessage, MAX_SELECTED, type Handlers, type HostMessage, type MailingStatus, type PageKind } from '../../src/protocol';
import { confirmPage } from './confirmPage';
import { Formatter, wallClockValue } from './format';
import type { PageActions, PageModel } from './pageModel';
import { statisticsPage } from './statisticsPage';
import { post, savedState, saveState } from './vscodeApi';

const saved = savedState();
const state: PageModel = {
  page: saved.page === 'statistics' ? 'statistics' : 'confirm',
  when: { text: '', requestId: 0 },
  picker: '',
  previewWidth: saved.previewWidth === 'mobile' ? 'mobile' : 'desktop',
  previewDark: saved.previewDark === true,
};

const root = document.getElementById('app') ?? document.body;
let formatter: Formatter | undefined;

function update(): void {
  const { ui, model } = state;
  if (!ui || !model) {
    render(html``, root);
    return;
  }
  if (!formatter || formatter.locale !== ui.locale || formatter.timezone !== model.timezone) {
    formatter = new Formatter(ui.locale, model.timezone, ui.strings);
  }
  document.documentElement.lang = ui.locale;
  document.title = state.page === 'statistics' ? ui.strings.statisticsTitle : ui.strings.confirmTitle;
  document.body.dataset.page = state.page;
  render(
    state.page === 'statistics' ? statisticsPage(state, model, state.statistics, formatter, actions) : confirmPage(state, model, formatter, actions),
    root,
  );
}

function persist(): void {
  if (!state.model) return;
  saveState({
    file: state.model.file,
    page: state.page,
    previewWidth: state.previewWidth,
    previewRecipient: state.model.preview?.recipientIndex,
    ...(state.model.preview?.remoteImages ? { remoteImages: true } : {}),
    ...(state.previewDark ? { previewDark: true } : {}),
  });
}

const actions: PageActions = {
  post(action) {
    post({ type: action });
  },
  reveal(index) {
    const d = state.model?.diagnostics[index];
    if (d) post(d.file ? { type: 'reveal', range: d.range, file: d.file } : { type: 'reveal', range: d.range });
  },
  schedule() {
    const text = state.when.text.trim();
    if (text && state.when.resolution?.ok) post({ type: 'schedule', whenText: text });
    else if (state.picker) post({ type: 'schedule', at: state.picker });
    else if (text) post({ type: 'schedule', whenText: text });
  },
  setNow() {
    state.picker = wallClockValue(new Date(), state.model?.timezone ?? 'UTC');
    clearWhenText();
    update();
  },
  pickerChanged(value) {
    if (value === state.picker) return;
    state.picker = value;
    // The picker now holds the moment; a typed expression would contradict it.
    clearWhenText();
    update();
  },
  whenTextChanged(text) {
    if (text === state.when.text) return;
    state.when = { text, requestId: state.when.requestId + 1 };
    if (text.trim()) post({ type: 'resolveWhen', id: state.when.requestId, text });
    update();
  },
  selectPreviewRecipient(index) {
    post({ type: 'selectPreviewRecipient', index });
  },
  setPreviewWidth(width) {
    state.previewWidth = width;
    post({ type: 'setPreviewWidth', width });
    persist();
    update();
  },
  setPreviewDark(dark) {
    // The page's own view of the message: the host renders the same HTML either way.
    state.previewDark = dark;
    persist();
    update();
  },
  queryRecipients(change) {
    const table = state.recipients ?? { id: 0, search: '', offset: 0, selected: new Set<string>() };
    // A new kind or search starts at the first page; `filter` in the change (even undefined) replaces it.
    const next = { ...table, ...change, id: table.id + 1 };
    if ('filter' in change) next.filter = change.filter;
    state.recipients = next;
    postRecipientQuery();
    update();
  },
  selectRecipients(emails, selected) {
    const table = state.recipients;
    if (!table) return;
    for (const email of emails) {
      if (selected) table.selected.add(email);
      else table.selected.delete(email);
    }
    update();
  },
  resendSelected() {
    const chosen = [...(state.recipients?.selected ?? [])];
    if (chosen.length > 0) post({ type: 'resend', to: chosen.slice(0, MAX_SELECTED) });
  },
  exportView() {
    const table = state.recipients;
    const search = table?.search.trim();
    post({ type: 'exportCsv', ...(table?.filter ? { filter: table.filter } : {}), ...(search ? { search } : {}) });
  },
  loadRemoteImages() {
    post({ type: 'loadRemoteImages' });
  },
  showPage(page: PageKind) {
    state.result = undefined;
    post({ type: page === 'statistics' ? 'openStatistics' : 'openConfirm' });
  },
  dismissResult() {
    state.result = undefined;
    update();
  },
};

function postRecipientQuery(): void {
  const table = state.recipients;
  if (!table) return;
  const search = table.search.trim();
  post({ type: 'queryRecipients', id: table.id, offset: table.offset, ...(table.filter ? { filter: table.filter } : {}), ...(search ? { search } : {}) });
}

/** The Statistics page of a mailing past its draft shows its recipients: the first page is asked for once. */
function ensureRecipients(): void {
  const status = state.statistics?.statistics.status ?? state.model?.state.status;
  if (state.recipients || state.page !== 'statistics' || !status || status === 'draft') return;
  state.recipients = { id: 1, search: '', offset: 0, selected: new Set<string>() };
  postRecipientQuery();
}

function clearWhenText(): void {
  state.when = { text: '', requestId: state.when.requestId + 1 };
}

/**
 * The mailing is in `status` now (a model or statistics from the host): an action's outcome about
 * another state is history, whoever changed the state since (this window, another, the CLI).
 */
function stateSeen(status: MailingStatus): void {
  if (state.result?.status !== undefined && state.result.status !== status) state.result = undefined;
}

/** What the host tells the page, one handler per message (src/protocol.ts HOST_MESSAGES). */
const handlers: Handlers<HostMessage> = {
  model: (message) => {
    state.ui = message.ui;
    state.model = message.model;
    state.page = message.page;
    if (message.model.preview) state.previewWidth = message.model.preview.width;
    stateSeen(message.model.state.status);
    persist();
  },
  statistics: (message) => {
    state.statistics = message.statistics;
    stateSeen(message.statistics.statistics.status);
  },
  whenResolved: (message) => {
    if (message.id !== state.when.requestId) return; // an answer to text the user has changed since
    state.when = { ...state.when, resolution: message.result };
    if (message.result.ok) state.picker = message.result.local;
  },
  recipients: (message) => {
    if (state.recipients && message.id === state.recipients.id) state.recipients = { ...state.recipients, page: message.page, moments: message.moments, offset: message.page.offset };
  },
  busy: (message) => (state.busy = message.action),
  result: (message) => (state.result = { ok: message.ok, message: message.message, code: message.code, status: message.status }),
};

function receive(message: HostMessage): void {
  dispatch(handlers, message);
  ensureRecipients();
  update();
}

window.addEventListener('message', (event: MessageEvent) => {
  if (isHostMessage(event.data)) receive(event.data);
});

update();
post({ type: 'ready' });
