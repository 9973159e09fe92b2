// Entry of the live preview's bundle (dist/webview/preview.js): the message as one recipient gets it,
// beside the editor. The host sends a new view after every (debounced) edit; the page keeps what is
// its own across them: the scroll position, the width, dark mode, the recipient search. The message
// is in an iframe sandboxed without scripts; allow-same-origin only lets this page read and set the
// iframe's scroll position (for keeping it across an edit and for the scroll sync with the editor).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../confirm/confirm.css';
import './preview.css';
import { html, nothing, render, type TemplateResult } from 'lit';
import { dispatch, isPreviewHostMessage, type Handlers, type LivePreviewView, type PreviewHostMessage, type PreviewPageState, type PreviewWidth, type RecipientChoice, type UiContext } from '../../src/protocol';
import { Formatter } from '../confirm/format';
import { previewDocument } from '../confirm/previewDocument';
import { post, savedState, saveState } from '../confirm/vscodeApi';
import { lineAtOffset, offsetOfLine, sourceLines } from './sourceLines';

interface PreviewPage {
  ui?: UiContext;
  view?: LivePreviewView;
  width: PreviewWidth;
  dark: boolean;
  search: { text: string; id: number; choices?: RecipientChoice[]; total?: number };
  /** The iframe's scroll position, kept across updates (each update reloads the iframe's document). */
  scrollTop: number;
  /** A line the editor scrolled to, shown once the iframe has loaded. */
  pendingLine?: number;
}

const saved = savedState<PreviewPageState>();
const state: PreviewPage = {
  width: saved.previewWidth === 'mobile' ? 'mobile' : 'desktop',
  dark: saved.previewDark === true,
  search: { text: '', id: 0 },
  scrollTop: 0,
};
const root = document.getElementById('app') ?? document.body;
let formatter: Formatter | undefined;
/** The scroll position this page set itself: the scroll event it causes is not sent to the editor. */
let ownScroll: number | undefined;
/** The message's HTML last given to the iframe, and whether the iframe has loaded it (before that its document is the previous one, or about:blank). */
let frameHtml: string | undefined;
let frameReady = false;
let scrollFrame = 0;

function persist(): void {
  const view = state.view;
  if (!view) return;
  saveState({
    file: view.file,
    source: view.source,
    previewWidth: state.width,
    ...(view.recipient ? { previewRecipient: view.recipient.index } : {}),
    ...(view.remoteImages ? { remoteImages: true } : {}),
    ...(state.dark ? { previewDark: true } : {}),
  });
}

function frame(): HTMLIFrameElement | null {
  return root.querySelector<HTMLIFrameElement>('iframe.preview-frame');
}

function scrollFrameTo(top: number): void {
  const win = frame()?.contentWindow;
  if (!win) return;
  const target = Math.max(0, Math.round(top));
  const from = win.scrollY;
  if (Math.abs(from - target) < 1) return;
  win.scrollTo(0, target);
  // Where it got to (scrollTo is synchronous): a document shorter than the target stops at its end,
  // and that is the scroll event to expect; no movement, no event.
  ownScroll = win.scrollY !== from ? win.scrollY : undefined;
}

function showLine(line: number): void {
  const doc = frame()?.contentDocument;
  if (!frameReady || !doc?.body) {
    state.pendingLine = line;
    return;
  }
  const top = offsetOfLine(sourceLines(doc), line);
  if (top !== undefined) scrollFrameTo(top);
}

/** The iframe loaded a new document (an update): back to where the reader was, or to the editor's line. */
function frameLoaded(event: Event): void {
  const iframe = event.target as HTMLIFrameElement;
  const win = iframe.contentWindow;
  if (!win) return;
  frameReady = true;
  if (state.pendingLine !== undefined && state.view?.scrollSync) {
    const line = state.pendingLine;
    state.pendingLine = undefined;
    showLine(line);
  } else {
    scrollFrameTo(state.scrollTop);
  }
  iframe.dataset.loaded = String(Number(iframe.dataset.loaded ?? '0') + 1);
  win.addEventListener('scroll', () => {
    const top = win.scrollY;
    state.scrollTop = top;
    if (ownScroll !== undefined && Math.abs(top - ownScroll) < 2) {
      ownScroll = undefined;
      return;
    }
    ownScroll = undefined;
    if (!state.view?.scrollSync || scrollFrame) return;
    scrollFrame = requestAnimationFrame(() => {
      scrollFrame = 0;
      const doc = win.document;
      const line = lineAtOffset(sourceLines(doc), win.scrollY);
      if (line !== undefined) post({ type: 'scrolled', line });
    });
  });
}

function searchRecipients(text: string): void {
  state.search = { ...state.search, text, id: state.search.id + 1 };
  post({ type: 'searchRecipients', id: state.search.id, text });
}

function selectRecipient(index: number): void {
  const view = state.view;
  if (!view || index < 0 || index >= view.recipientCount) return;
  post({ type: 'selectPreviewRecipient', index });
}

function recipientLabel(choice: RecipientChoice): string {
  return choice.name ? `${choice.name} <${choice.email}>` : choice.email;
}

function recipientBar(view: LivePreviewView, f: Formatter): TemplateResult {
  if (view.recipientCount === 0) return html`<span class="muted">${f.t('previewNoRecipients')}</span>`;
  const current = view.recipient;
  const choices = state.search.choices ?? (current ? [current] : []);
  const listed = current && !choices.some((c) => c.index === current.index) ? [current, ...choices] : choices;
  return html`
    <div class="recipient-bar">
      <vscode-textfield data-testid="recipient-search" placeholder=${f.t('livePreviewSearch')} aria-label=${f.t('livePreviewSearch')} .value=${state.search.text}
        @input=${(e: Event) => searchRecipients((e.target as HTMLInputElement).value)}></vscode-textfield>
      <vscode-single-select data-testid="recipient-select" aria-label=${f.t('livePreviewRecipient')}
        @change=${(e: Event) => selectRecipient(Number((e.target as HTMLSelectElement).value))}>
        ${listed.map((c) => html`<vscode-option value=${String(c.index)} ?selected=${c.index === current?.index}>${f.number(c.index + 1)}. ${recipientLabel(c)}</vscode-option>`)}
      </vscode-single-select>
      <vscode-button secondary data-action="previousRecipient" aria-label=${f.t('livePreviewPrevious')} title=${f.t('livePreviewPrevious')} ?disabled=${!current || current.index === 0}
        @click=${() => current && selectRecipient(current.index - 1)}>‹</vscode-button>
      <vscode-button secondary data-action="nextRecipient" aria-label=${f.t('livePreviewNext')} title=${f.t('livePreviewNext')} ?disabled=${!current || current.index >= view.recipientCount - 1}
        @click=${() => current && selectRecipient(current.index + 1)}>›</vscode-button>
      <span class="muted" data-testid="recipient-row">${current ? f.t('livePreviewRow', f.number(current.index + 1), f.number(view.recipientCount)) : ''}</span>
      ${state.search.total !== undefined && state.search.choices && state.search.total > state.search.choices.length
        ? html`<span class="muted">${f.t('livePreviewMatches', f.number(state.search.choices.length), f.number(state.search.total))}</span>`
        : state.search.text && state.search.total === 0
          ? html`<span class="muted">${f.t('noRecipientMatches')}</span>`
          : nothing}
    </div>
  `;
}

function errorBanner(view: LivePreviewView, f: Formatter): TemplateResult | typeof nothing {
  if (view.errors.length === 0) return nothing;
  return html`
    <div class="banner banner-error preview-errors" role="alert" data-testid="preview-errors">
      <div><strong>${f.count('errorCount', 'errorsCount', view.errors.length)}</strong> · ${f.t('livePreviewErrors')}</div>
      <ul>
        ${view.errors.map(
          (d) => html`<li>
            <a href="#" data-testid="preview-error" @click=${(e: Event) => {
              e.preventDefault();
              post(d.file ? { type: 'reveal', range: d.range, file: d.file } : { type: 'reveal', range: d.range });
            }}>${d.message}</a>
            <span class="muted"><code>${d.code}</code> ${d.fileLabel ?? view.fileLabel}, ${f.t('livePreviewLine', d.range.start.line + 1)}</span>
          </li>`,
        )}
      </ul>
    </div>
  `;
}

function page(view: LivePreviewView, f: Formatter): TemplateResult {
  const prepared = view.html !== undefined ? previewDocument(view.html, state.dark) : undefined;
  if (prepared?.html !== frameHtml) {
    frameHtml = prepared?.html;
    frameReady = false;
  }
  const inbox = view.inbox;
  return html`
    <header class="preview-header">
      <span class="muted">${f.t('livePreviewFollows', view.sourceLabel, view.fileLabel)}</span>
      <span class="spacer"></span>
      <vscode-button secondary data-action="openConfirm" @click=${() => post({ type: 'openConfirm' })}>${f.t('livePreviewOpenConfirm')}</vscode-button>
    </header>
    ${errorBanner(view, f)}
    <div class="inbox-row" data-testid="inbox-row" role="group" aria-label=${f.t('livePreviewInbox')}>
      <span class="inbox-avatar" aria-hidden="true">${(inbox.from ?? '?').trim().charAt(0).toUpperCase()}</span>
      <span class="inbox-lines">
        <span class="inbox-from" data-testid="inbox-from">${inbox.from ?? ''}</span>
        <span class="inbox-text"><span class="inbox-subject" data-testid="inbox-subject">${inbox.subject || f.t('livePreviewNoSubject')}</span>${inbox.snippet
          ? html`<span class="inbox-snippet" data-testid="inbox-snippet"> — ${inbox.snippet}</span>`
          : nothing}</span>
      </span>
    </div>
    <div class="preview-toolbar">
      ${recipientBar(view, f)}
      <span class="spacer"></span>
      <div class="segmented" role="group" aria-label=${f.t('preview')}>
        <vscode-button ?secondary=${state.width !== 'desktop'} aria-pressed=${String(state.width === 'desktop')} data-width="desktop" @click=${() => setWidth('desktop')}>${f.t('previewDesktop')}</vscode-button>
        <vscode-button ?secondary=${state.width !== 'mobile'} aria-pressed=${String(state.width === 'mobile')} data-width="mobile" @click=${() => setWidth('mobile')}>${f.t('previewMobile')}</vscode-button>
      </div>
      ${prepared
        ? html`<vscode-button ?secondary=${!state.dark} aria-pressed=${String(state.dark)} data-action="toggleDark" @click=${() => setDark(!state.dark)}>${f.t('previewDark')}</vscode-button>`
        : nothing}
    </div>
    ${prepared?.dark ? html`<div class="preview-dark-note muted" data-testid="preview-dark" data-dark=${prepared.dark}>${f.t(prepared.dark === 'own' ? 'previewDarkOwn' : 'previewDarkInverted')}</div>` : nothing}
    ${prepared && prepared.remoteImages > 0 && !view.remoteImages
      ? html`<div class="remote-images" role="note" data-testid="remote-images">
          <span class="remote-images-text"><strong>${f.t('remoteImagesBlocked')}</strong> ${f.t('remoteImagesWhy')}</span>
          <vscode-button secondary data-action="loadRemoteImages" @click=${() => post({ type: 'loadRemoteImages' })}>${f.t('loadRemoteImages')}</vscode-button>
        </div>`
      : nothing}
    <div class="preview-frame-holder live ${state.width}${prepared?.dark ? ' dark' : ''}">
      ${prepared
        ? html`<iframe class="preview-frame" sandbox="allow-same-origin" referrerpolicy="no-referrer" title=${f.t('previewTitle')} .srcdoc=${prepared.html} @load=${frameLoaded}></iframe>`
        : view.text !== undefined
          ? html`<pre class="preview-text">${view.text}</pre>`
          : html`<p class="muted" data-testid="preview-unavailable">${f.t('previewUnavailable')}</p>`}
    </div>
  `;
}

function setWidth(width: PreviewWidth): void {
  state.width = width;
  post({ type: 'setPreviewWidth', width });
  persist();
  update();
}

function setDark(dark: boolean): void {
  state.dark = dark;
  persist();
  update();
}

function update(): void {
  const { ui, view } = state;
  if (!ui || !view) {
    render(html``, root);
    return;
  }
  if (!formatter || formatter.locale !== ui.locale) formatter = new Formatter(ui.locale, 'UTC', ui.strings);
  document.documentElement.lang = ui.locale;
  document.title = ui.strings.livePreviewTitle;
  document.body.dataset.page = 'preview';
  render(page(view, formatter), root);
}

const handlers: Handlers<PreviewHostMessage> = {
  preview: (message) => {
    const first = !state.view;
    state.ui = message.ui;
    state.view = message.view;
    state.width = message.view.width;
    if (first) searchRecipients(state.search.text);
    persist();
  },
  recipientChoices: (message) => {
    if (message.id === state.search.id) state.search = { ...state.search, choices: message.choices, total: message.total };
  },
  scrollTo: (message) => showLine(message.line),
};

window.addEventListener('message', (event: MessageEvent) => {
  if (!isPreviewHostMessage(event.data)) return;
  dispatch(handlers, event.data);
  update();
});

update();
post({ type: 'ready' });
