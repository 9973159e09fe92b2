// The Confirm overview and Send status and statistics panel: one webview panel per mailing that shows
// either page. The host builds every view from a fresh confirm model and the send state; messages
// from the page are validated with the protocol's guards, and every action re-checks the mailing
// by running the extension's own command (trust, state, errors, a modal confirmation with the
// recipient count, SMTP), so the page can ask but never decide.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type ConfirmModel, exportRecipientLogCsv, getRecipientLog, getStatistics, instantFromWallClock, type MailingStatus, previewResend, type Range, queryRecipientLog, type RecipientLogEntry, type RecipientLogFilter, resolveWhen, type Statistics, wallClock, whenProblemText } from '../../core/index';
import { formatter } from '../facts';
import { whenLocale } from '../format';
import { stateRootFor } from '../mailingFiles';
import { isOutcome } from '../commands/outcome';
import {
  CONFIRM_VIEW_TYPE,
  dispatch,
  isWebviewMessage,
  type Handlers,
  parsePageState,
  type ActionName,
  type HostMessage,
  type PageKind,
  type PreviewWidth,
  RECIPIENT_PAGE_SIZE,
  type WebviewMessage,
} from '../../protocol';
import { actionAvailability } from './availability';
import { recipientPageMoments, toConfirmView, toStatisticsView } from './confirmView';
import { loadPageShell } from './pageShell';
import { renderPreview } from './preview';
import { revealInEditor } from './reveal';
import { uiContext } from './strings';

/**
 * What the panels need from the extension. The extension's `Services` object satisfies it as is:
 * `registerMailingsWebviews(services)`.
 */
export interface WebviewHooks {
  context: vscode.ExtensionContext;
  models: {
    /** The model of a mailing as the user sees it (open editor text, else the file). */
    forUri(uri: vscode.Uri): Promise<ConfirmModel>;
    /** A mailing's inputs changed outside its text (undefined: possibly every mailing's). */
    onDidInvalidate: vscode.Event<vscode.Uri | undefined>;
    /** A model was built (after an edit, debounced by the diagnostics). */
    onDidBuild: vscode.Event<{ uri: vscode.Uri; model: ConfirmModel }>;
    /** Forget a mailing's cached model (an action changed its state). */
    invalidate(uri: vscode.Uri): void;
  };
  states: {
    /** Name, zone and statistics (a fold over the journal) of one mailing. */
    info(uri: vscode.Uri): Promise<{ name: string; timezone: string; stats: Statistics }>;
    /** The journal, lease or test record of a mailing changed (in any process). */
    onDidChangeState: vscode.Event<{ uri: vscode.Uri; status: MailingStatus; stats: Statistics }>;
  };
  log: { info(message: string): void; warn(message: string): void };
}

/** The commands that carry out the page's actions (src/extension/commands; package.json). */
const ACTION_COMMANDS: Partial<Record<ActionName, string>> = {
  sendTest: 'mailings.sendTest',
  sendNow: 'mailings.sendNow',
  schedule: 'mailings.schedule',
  stop: 'mailings.stop',
  start: 'mailings.start',
  checkLinks: 'mailings.checkLinks',
  checkSpamScore: 'mailings.checkSpamScore',
  resend: 'mailings.resend',
};

/** Edits are shown after this quiet time (the model itself is cached per document version). */
const EDIT_DEBOUNCE_MS = 300;

let manager: PanelManager | undefined;

/**
 * Registers the panel serializer (a reload restores the open panels) and the live updates. Call once
 * from activate(); the registration is added to context.subscriptions (and returned).
 */
export function registerMailingsWebviews(hooks: WebviewHooks): vscode.Disposable {
  manager?.dispose();
  const created = new PanelManager(hooks);
  manager = created;
  const registration = vscode.Disposable.from(
    vscode.window.registerWebviewPanelSerializer(CONFIRM_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => created.restore(panel, state),
    }),
    {
      dispose: () => {
        if (manager === created) manager = undefined;
        created.dispose();
      },
    },
  );
  hooks.context.subscriptions.push(registration);
  return registration;
}

function requireManager(): PanelManager {
  if (!manager) throw new Error('Mailings: the webviews are not registered (registerMailingsWebviews was not called in activate).');
  return manager;
}

/** Opens (or reveals) the Confirm overview of a mailing. */
export function showConfirmPanel(file: string | vscode.Uri): Promise<MailingPanel> {
  return requireManager().show(typeof file === 'string' ? vscode.Uri.file(file) : file, 'confirm');
}

/** Opens (or reveals) the Send status and statistics page of a mailing. */
export function showStatisticsPanel(file: string | vscode.Uri): Promise<MailingPanel> {
  return requireManager().show(typeof file === 'string' ? vscode.Uri.file(file) : file, 'statistics');
}

class PanelManager implements vscode.Disposable {
  private readonly open = new Map<string, MailingPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly hooks: WebviewHooks) {
    this.disposables.push(
      hooks.models.onDidBuild(({ uri, model }) => this.open.get(uri.toString())?.modelBuilt(model)),
      hooks.models.onDidInvalidate((uri) => {
        for (const panel of uri ? [this.open.get(uri.toString())] : this.open.values()) panel?.refresh();
      }),
      hooks.states.onDidChangeState((change) => this.open.get(change.uri.toString())?.stateChanged(change.stats)),
      vscode.workspace.onDidChangeTextDocument((event) => this.open.get(event.document.uri.toString())?.edited()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        for (const panel of this.open.values()) panel.refresh();
      }),
    );
  }

  panels(): MailingPanel[] {
    return [...this.open.values()];
  }

  async show(uri: vscode.Uri, page: PageKind): Promise<MailingPanel> {
    const existing = this.open.get(uri.toString());
    if (existing) {
      existing.reveal(page);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(CONFIRM_VIEW_TYPE, path.basename(uri.fsPath), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      // No retainContextWhenHidden: a hidden panel is reloaded and restored from the host's state.
      localResourceRoots: [this.distRoot()],
    });
    return this.adopt(panel, uri, page, {});
  }

  /** Serializer: a panel that was open before a reload. Its saved state is checked, not trusted. */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = parsePageState(state);
    const uri = saved ? vscode.Uri.file(saved.file) : undefined;
    const usable = uri && vscode.workspace.getWorkspaceFolder(uri) && (await fs.stat(uri.fsPath).then((s) => s.isFile(), () => false));
    if (!saved || !uri || !usable || this.open.has(uri.toString())) {
      panel.dispose();
      return;
    }
    panel.webview.options = { enableScripts: true, localResourceRoots: [this.distRoot()] };
    this.adopt(panel, uri, saved.page, { previewWidth: saved.previewWidth, previewRecipient: saved.previewRecipient, remoteImages: saved.remoteImages });
  }

  private adopt(panel: vscode.WebviewPanel, uri: vscode.Uri, page: PageKind, view: PanelView): MailingPanel {
    const mailingPanel = new MailingPanel(this, panel, uri, page, view);
    this.open.set(uri.toString(), mailingPanel);
    panel.onDidDispose(() => {
      if (this.open.get(uri.toString()) === mailingPanel) this.open.delete(uri.toString());
      mailingPanel.dispose();
    });
    return mailingPanel;
  }

  distRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.hooks.context.extensionUri, 'dist', 'webview');
  }

  dispose(): void {
    for (const panel of [...this.open.values()]) panel.panel.dispose();
    this.open.clear();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** What a panel keeps of how it shows its mailing (also restored after a reload, from the page's state). */
interface PanelView {
  previewWidth?: PreviewWidth;
  previewRecipient?: number;
  remoteImages?: boolean;
}

export class MailingPanel {
  private model: ConfirmModel | undefined;
  private previewWidth: PreviewWidth;
  private previewRecipient: number;
  /** The user asked to load the preview's remote images in this panel (the CSP allows https: images). */
  private remoteImages: boolean;
  private ready = false;
  private busy: ActionName | undefined;
  private editTimer: ReturnType<typeof setTimeout> | undefined;
  /** Renders run one after another; a newer one makes an older one's result moot. */
  private renderSeq = 0;
  /** The same for the statistics: an older read posted after a newer one would show a past state. */
  private statisticsSeq = 0;
  /** The per-recipient log last read (the recipient table's pages come from it, never the whole log to the page). */
  private recipientLog: RecipientLogEntry[] | undefined;
  /** The page the recipient table shows: answered again whenever the log is read again. */
  private recipientQuery: { id: number; filter?: RecipientLogFilter; search?: string; offset: number } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly manager: PanelManager,
    readonly panel: vscode.WebviewPanel,
    readonly uri: vscode.Uri,
    private page: PageKind,
    view: PanelView,
  ) {
    this.previewWidth = view.previewWidth ?? 'desktop';
    this.previewRecipient = view.previewRecipient ?? 0;
    this.remoteImages = view.remoteImages ?? false;
    this.disposables.push(panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)));
    this.loadPage();
    this.updateTitle();
  }

  /** (Re)loads the page; its CSP follows the remote-images choice. The page restores its own state. */
  private loadPage(): void {
    this.ready = false;
    loadPageShell(this.panel.webview, this.manager.distRoot(), 'confirm', vscode.l10n.t('Confirm'), this.remoteImages);
  }

  /** Which page the panel shows now. */
  get currentPage(): PageKind {
    return this.page;
  }

  reveal(page: PageKind): void {
    this.panel.reveal();
    if (page !== this.page) {
      this.page = page;
      void this.render();
    }
  }

  modelBuilt(model: ConfirmModel): void {
    this.model = model;
    void this.render(model);
  }

  refresh(): void {
    void this.render();
  }

  edited(): void {
    if (this.editTimer) clearTimeout(this.editTimer);
    this.editTimer = setTimeout(() => {
      this.editTimer = undefined;
      void this.render();
    }, EDIT_DEBOUNCE_MS);
  }

  stateChanged(stats: Statistics): void {
    if (!this.ready || !this.model) return;
    // A new status (or moment) changes the whole page: its badge, banners and actions. Whoever made
    // the change (this window, another one, the CLI), the page is built again from a fresh model.
    const moment = stats.status === 'scheduled' || stats.status === 'missed' ? stats.scheduledAt : undefined;
    if (this.model.state.status !== stats.status || (moment !== undefined && this.model.state.scheduledAt !== moment)) {
      void this.render();
      return;
    }
    // Progress: only the statistics are new.
    if (this.page !== 'statistics' && stats.status === 'draft') return;
    void this.postStatistics(this.model).catch((error) => this.manager.hooks.log.warn(`statistics ${this.uri.fsPath}: ${String(error)}`));
  }

  private post(message: HostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  private updateTitle(): void {
    const name = this.model?.mailing.name ?? path.basename(this.uri.fsPath);
    this.panel.title = this.page === 'statistics' ? vscode.l10n.t('Statistics: {0}', name) : vscode.l10n.t('Confirm: {0}', name);
  }

  /** Builds the view from a fresh model (and the statistics on that page) and sends it. */
  private async render(given?: ConfirmModel): Promise<void> {
    if (!this.ready) return;
    const seq = ++this.renderSeq;
    try {
      const model = given ?? (await this.manager.hooks.models.forUri(this.uri));
      const preview = await renderPreview(model, this.previewRecipient);
      // Who Reload and resend would reach, counted for the button (the command counts again and asks).
      const status = model.state.status;
      const resend = status === 'completed' || status === 'stopped' ? await previewResend(model, stateRootFor(this.uri)).catch(() => undefined) : undefined;
      if (seq !== this.renderSeq) return;
      this.model = model;
      this.updateTitle();
      const view = toConfirmView(model, {
        now: new Date(),
        locale: whenLocale(),
        actions: actionAvailability({ model, trusted: vscode.workspace.isTrusted, t: vscode.l10n.t, ...(resend ? { resendCount: resend.added + resend.retry } : {}) }),
        ...(resend ? { resend } : {}),
        preview,
        previewWidth: this.previewWidth,
        remoteImages: this.remoteImages,
        inlineLabel: vscode.l10n.t('listed in the file'),
      });
      this.post({ type: 'model', page: this.page, ui: uiContext(), model: view });
      if (this.page === 'statistics' || model.state.status !== 'draft') await this.postStatistics(model);
      else this.statisticsSeq++; // statistics of an earlier state still on their way are moot
    } catch (error) {
      this.manager.hooks.log.warn(`confirm panel ${this.uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      this.post({ type: 'result', ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  }

  /** The send status and statistics (live when this window sends), with the failed recipients. */
  private async postStatistics(model: ConfirmModel): Promise<void> {
    const seq = ++this.statisticsSeq;
    const stateRoot = stateRootFor(this.uri);
    const stats = await getStatistics(model.file, stateRoot);
    const log = stats.status === 'draft' ? [] : await getRecipientLog(model.file, stateRoot);
    if (seq !== this.statisticsSeq) return;
    this.recipientLog = log;
    this.post({ type: 'statistics', statistics: toStatisticsView(model.file, model.mailing.name, model.mailing.timezone, stats, log, whenLocale()) });
    if (this.recipientQuery) this.answerRecipients(this.recipientQuery);
  }

  private receive(message: unknown): void {
    if (!isWebviewMessage(message)) {
      this.manager.hooks.log.warn(`confirm panel ${this.uri.fsPath}: ignored a malformed message from the webview`);
      return;
    }
    void this.handle(message);
  }

  /** What the page may ask, one handler per message (src/protocol.ts WEBVIEW_MESSAGES). */
  private readonly handlers: Handlers<WebviewMessage> = {
    ready: () => {
      this.ready = true;
      if (this.busy) this.post({ type: 'busy', action: this.busy });
      return this.render();
    },
    reveal: (message) => this.revealRange(message.range, message.file),
    resolveWhen: (message) => this.resolveWhen(message.id, message.text),
    selectPreviewRecipient: (message) => {
      this.previewRecipient = message.index;
      return this.render();
    },
    // The page has applied it; kept for the next model message.
    setPreviewWidth: (message) => (this.previewWidth = message.width),
    openStatistics: () => this.showPage('statistics'),
    openConfirm: () => this.showPage('confirm'),
    exportCsv: (message) => this.exportCsv(message.filter, message.search),
    queryRecipients: async (message) => {
      this.recipientQuery = { id: message.id, offset: message.offset, ...(message.filter ? { filter: message.filter } : {}), ...(message.search ? { search: message.search } : {}) };
      if (!this.recipientLog) this.recipientLog = await getRecipientLog(this.uri.fsPath, stateRootFor(this.uri));
      this.answerRecipients(this.recipientQuery);
    },
    loadRemoteImages: () => {
      if (this.remoteImages) return;
      this.manager.hooks.log.info(`confirm panel ${this.uri.fsPath}: remote images loaded on request`);
      this.remoteImages = true;
      return this.loadPage();
    },
    schedule: async (message) => this.runAction('schedule', await this.scheduleArgument(message.at, message.whenText)),
    sendTest: () => this.runAction('sendTest'),
    sendNow: () => this.runAction('sendNow'),
    stop: () => this.runAction('stop'),
    start: () => this.runAction('start'),
    checkLinks: () => this.runAction('checkLinks'),
    checkSpamScore: () => this.runAction('checkSpamScore'),
    resend: (message) => (message.to ? this.runAction('resend', { to: message.to }) : this.runAction('resend')),
  };

  private handle(message: WebviewMessage): Promise<unknown> {
    return Promise.resolve(dispatch(this.handlers, message));
  }

  private showPage(page: PageKind): Promise<void> {
    this.page = page;
    return this.render();
  }

  /** Opens the mailing (or a file it references) with the range selected; only those files. */
  private async revealRange(range: Range, file?: string): Promise<void> {
    const model = await this.manager.hooks.models.forUri(this.uri);
    if (!(await revealInEditor(model, this.uri, range, file, this.panel.viewColumn))) {
      this.manager.hooks.log.warn(`confirm panel: refused to reveal ${path.resolve(file ?? model.file)}, which the mailing does not reference`);
    }
  }

  private async resolveWhen(id: number, text: string): Promise<void> {
    const model = this.model ?? (await this.manager.hooks.models.forUri(this.uri));
    const timezone = model.mailing.timezone;
    const result = resolveWhen(text, { timezone, now: new Date(), locale: whenLocale() });
    if (!result.ok) {
      this.post({ type: 'whenResolved', id, result: { ok: false, message: whenProblemText(result.problem, formatter(timezone)) } });
      return;
    }
    const wall = wallClock(result.at, timezone);
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    const local = `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
    this.post({ type: 'whenResolved', id, result: { ok: true, at: result.at.toISOString(), description: result.description, local } });
  }

  /** The moment for the schedule command: the typed expression, or the picker's wall clock in the mailing's zone. */
  private async scheduleArgument(at: string | undefined, whenText: string | undefined): Promise<string> {
    if (whenText !== undefined) return whenText;
    const model = this.model ?? (await this.manager.hooks.models.forUri(this.uri));
    const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(at ?? '');
    if (!match) return at ?? '';
    const [year, month, day, hour, minute, second] = match.slice(1).map((v) => Number(v ?? 0));
    // An exact instant in ISO form: the scheduler reads it as is, whatever zone the machine is in.
    return instantFromWallClock({ year, month, day, hour, minute, second }, model.mailing.timezone).toISOString();
  }

  /**
   * Runs an action's command and reports its outcome on the page. Send now and Start run until the
   * mailing completes: as soon as the mailing is scheduled or sending, the page becomes the status
   * view and the other actions (Stop) are free again.
   */
  private async runAction(action: ActionName, ...args: unknown[]): Promise<void> {
    const command = ACTION_COMMANDS[action];
    if (!command || this.busy) return;
    this.busy = action;
    this.post({ type: 'busy', action });
    const takesEffect = action === 'sendNow' || action === 'schedule' || action === 'start';
    const watcher = takesEffect
      ? this.manager.hooks.states.onDidChangeState(({ uri }) => {
          if (uri.toString() !== this.uri.toString()) return;
          void this.manager.hooks.states.info(this.uri).then((info) => {
            if (info.stats.status !== 'scheduled' && info.stats.status !== 'sending') return;
            if (this.busy === action) this.clearBusy();
            if (this.page !== 'statistics') {
              this.page = 'statistics';
              void this.render();
            }
          });
        })
      : undefined;
    try {
      const outcome = await vscode.commands.executeCommand<unknown>(command, this.uri, ...args);
      // The action may have changed the state: from here on the page is built from a model that
      // knows it (a render still working from the old model is superseded).
      this.manager.hooks.models.invalidate(this.uri);
      if (isOutcome(outcome)) {
        if (outcome.ok && takesEffect) this.page = 'statistics';
        // The banner tells what the action did, tagged with the state it left: the page drops it once
        // the state moves on ("Scheduled to send at …" must not stay beside a Draft badge).
        const status = await this.currentStatus();
        if (!outcome.ok && outcome.reason !== 'cancelled') this.post({ type: 'result', action, ok: false, message: outcome.message, code: outcome.reason, status });
        else if (outcome.ok && outcome.message) this.post({ type: 'result', action, ok: true, message: outcome.message, status });
      }
    } catch (error) {
      this.post({ type: 'result', action, ok: false, message: error instanceof Error ? error.message : String(error) });
    } finally {
      watcher?.dispose();
      if (this.busy === action) this.clearBusy();
      await this.render();
    }
  }

  /** The mailing's status on disk now (undefined when it cannot be read). */
  private async currentStatus(): Promise<MailingStatus | undefined> {
    try {
      return (await this.manager.hooks.states.info(this.uri)).stats.status;
    } catch {
      return undefined;
    }
  }

  private clearBusy(): void {
    if (!this.busy) return;
    this.busy = undefined;
    this.post({ type: 'busy' });
  }

  /** One page of the recipient table from the log last read (the filter's counts over the whole log). */
  private answerRecipients(query: NonNullable<MailingPanel['recipientQuery']>): void {
    const page = queryRecipientLog(this.recipientLog ?? [], { ...query, limit: RECIPIENT_PAGE_SIZE });
    this.post({ type: 'recipients', id: query.id, page, moments: recipientPageMoments(page, this.model?.mailing.timezone ?? 'UTC', whenLocale()) });
  }

  private async exportCsv(filter?: RecipientLogFilter, search?: string): Promise<void> {
    const model = this.model ?? (await this.manager.hooks.models.forUri(this.uri));
    const base = path.basename(this.uri.fsPath).replace(/\.mailing\.ya?ml$/i, '');
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(path.dirname(this.uri.fsPath), `${base}-recipients.csv`)),
      filters: { CSV: ['csv'] },
      saveLabel: vscode.l10n.t('Export CSV'),
    });
    if (!target) return;
    try {
      await exportRecipientLogCsv(model.file, stateRootFor(this.uri), target.fsPath, { ...(filter ? { filter } : {}), ...(search ? { search } : {}) });
      this.post({ type: 'result', action: 'exportCsv', ok: true, message: vscode.l10n.t('Exported to {0}.', target.fsPath) });
    } catch (error) {
      this.post({ type: 'result', action: 'exportCsv', ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  }

  dispose(): void {
    if (this.editTimer) clearTimeout(this.editTimer);
    for (const d of this.disposables) d.dispose();
  }
}

