// The live preview beside the editor ("Mailings: Open Preview to the Side"): one panel per mailing
// and the file it follows (the mailing, or its HTML / MJML / Markdown file), as Markdown's preview
// does. It shows the message as one recipient of the real target list gets it, from the editors'
// text as typed (debounced), keeps its scroll across updates, and scrolls with the source editor
// where the source's blocks carry their lines (MJML, Markdown). The page asks; the host checks every
// message and decides what may be opened.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type ConfirmModel, declaredContentFiles } from '../../core/index';
import { whenLocale } from '../format';
import { findWorkspaceMailings, isMailingUri } from '../mailingFiles';
import { type Handlers, dispatch, isPreviewPageMessage, type LivePreviewView, parsePreviewState, PREVIEW_VIEW_TYPE, type PreviewHostMessage, type PreviewPageMessage, type PreviewWidth } from '../../protocol';
import { loadPageShell } from './pageShell';
import { searchRecipients, toLivePreviewView } from './livePreviewView';
import { renderPreview } from './preview';
import { revealInEditor } from './reveal';
import { uiContext } from './strings';

export interface PreviewHooks {
  context: vscode.ExtensionContext;
  models: {
    forUri(uri: vscode.Uri): Promise<ConfirmModel>;
    forPreview(uri: vscode.Uri): Promise<ConfirmModel>;
    /** The last-built models of the mailings that reference a file. */
    referencing(file: string): ConfirmModel[];
    allLatest(): ConfirmModel[];
    onDidInvalidate: vscode.Event<vscode.Uri | undefined>;
    onDidBuild: vscode.Event<{ uri: vscode.Uri; model: ConfirmModel }>;
  };
  log: { info(message: string): void; warn(message: string): void };
}

/** Typing is shown after this pause (as the diagnostics wait before checking). */
const EDIT_DEBOUNCE_MS = 300;
/** The context key that lists the content files a preview can follow (package.json `when` clauses). */
const PREVIEWABLE_KEY = 'mailings.previewableFiles';
/** A mailing file larger than this is not read for the preview button (the model reads it when opened). */
const SCAN_MAX_BYTES = 1024 * 1024;

let manager: PreviewManager | undefined;

/** Registers the preview's serializer and the previewable-files context key; call once from activate(). */
export function registerLivePreview(hooks: PreviewHooks): vscode.Disposable {
  manager?.dispose();
  const created = new PreviewManager(hooks);
  manager = created;
  const registration = vscode.Disposable.from(
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, { deserializeWebviewPanel: (panel, state) => created.restore(panel, state) }),
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

/** The open preview panels (tests). */
export function livePreviews(): LivePreviewPanel[] {
  return manager ? [...manager.open.values()] : [];
}

/**
 * Opens (or reveals) the preview of `file` beside it: a mailing, or a content file of one (asked
 * which when several mailings use it). Undefined when no mailing uses the file or the user cancels.
 */
export async function openPreviewToSide(file: vscode.Uri): Promise<LivePreviewPanel | undefined> {
  if (!manager) throw new Error('Mailings: the preview is not registered (registerLivePreview was not called in activate).');
  const mailing = isMailingUri(file) ? file : await manager.mailingOf(file);
  if (!mailing) return undefined;
  return manager.show(mailing, file);
}

class PreviewManager implements vscode.Disposable {
  readonly open = new Map<string, LivePreviewPanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private previewable = '';
  /** The content files each mailing of the workspace names (read from their saved text at start and on save). */
  private readonly declared = new Map<string, string[]>();

  constructor(readonly hooks: PreviewHooks) {
    this.disposables.push(
      hooks.models.onDidBuild(() => this.updatePreviewable()),
      vscode.workspace.onDidSaveTextDocument((document) => {
        if (!isMailingUri(document.uri)) return;
        this.declared.set(document.uri.fsPath, declaredContentFiles(document.uri.fsPath, document.getText()));
        this.updatePreviewable();
      }),
      hooks.models.onDidInvalidate((uri) => {
        for (const panel of this.open.values()) if (!uri || panel.mailing.toString() === uri.toString()) panel.changed();
      }),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length === 0) return;
        for (const panel of this.open.values()) if (panel.follows(event.document)) panel.changed();
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges((event) => {
        for (const panel of this.open.values()) panel.editorScrolled(event.textEditor, event.visibleRanges);
      }),
    );
    void this.scanWorkspace().catch((error) => hooks.log.warn(`preview: the workspace's mailings could not be listed: ${String(error)}`));
  }

  /**
   * Which files of the workspace are content files of a mailing, so the editor title offers the
   * preview on them before any mailing was opened: each mailing's saved text, read once, not checked.
   */
  private async scanWorkspace(): Promise<void> {
    for (const uri of await findWorkspaceMailings()) {
      const text = await fs.readFile(uri.fsPath, 'utf8').catch(() => undefined);
      if (text !== undefined && text.length <= SCAN_MAX_BYTES) this.declared.set(uri.fsPath, declaredContentFiles(uri.fsPath, text));
    }
    this.updatePreviewable();
  }

  /** Sets the context key of the files the editor title offers the preview for (content files of known mailings). */
  private updatePreviewable(): void {
    const files = new Set<string>([...this.declared.values()].flat());
    for (const model of this.hooks.models.allLatest()) {
      for (const reference of model.references) if (reference.path[0] === 'content') files.add(reference.file);
    }
    const list = [...files].sort();
    const key = list.join('\n');
    if (key === this.previewable) return;
    this.previewable = key;
    void vscode.commands.executeCommand('setContext', PREVIEWABLE_KEY, list);
  }

  /** The mailing a content file belongs to: one that references it (known, else found in the workspace); asked when several do. */
  async mailingOf(file: vscode.Uri): Promise<vscode.Uri | undefined> {
    const target = path.resolve(file.fsPath);
    const uses = (model: ConfirmModel) => model.referencedFiles.some((f) => path.resolve(f) === target);
    let models = this.hooks.models.referencing(target);
    if (models.length === 0) {
      // The mailings whose saved text names the file are checked first; every mailing only when none
      // of them uses it (the file is an include or a layout's part, which only a check finds).
      const usersAmong = async (uris: vscode.Uri[]) => (await Promise.all(uris.map((uri) => this.hooks.models.forUri(uri).catch(() => undefined)))).filter((m): m is ConfirmModel => !!m && uses(m));
      const naming = [...this.declared].filter(([, files]) => files.some((f) => path.resolve(f) === target)).map(([mailing]) => vscode.Uri.file(mailing));
      models = await usersAmong(naming);
      if (models.length === 0) models = await usersAmong(await findWorkspaceMailings());
    }
    if (models.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('No mailing in this workspace uses {0}: open the preview from a mailing.', path.basename(target)));
      return undefined;
    }
    if (models.length === 1) return vscode.Uri.file(models[0].file);
    const picked = await vscode.window.showQuickPick(
      models.map((model) => ({ label: model.mailing.name ?? path.basename(model.file), description: vscode.workspace.asRelativePath(model.file), file: model.file })),
      { placeHolder: vscode.l10n.t('Several mailings use {0}: preview it as which one?', path.basename(target)) },
    );
    return picked ? vscode.Uri.file(picked.file) : undefined;
  }

  show(mailing: vscode.Uri, source: vscode.Uri): LivePreviewPanel {
    const key = panelKey(mailing, source);
    const existing = this.open.get(key);
    if (existing) {
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, previewTitle(source), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.options());
    return this.adopt(panel, mailing, source, {});
  }

  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = parsePreviewState(state);
    const isFile = (file: string) => fs.stat(file).then((s) => s.isFile(), () => false);
    const mailing = saved ? vscode.Uri.file(saved.file) : undefined;
    const source = saved ? vscode.Uri.file(saved.source) : undefined;
    const usable = saved && mailing && source && vscode.workspace.getWorkspaceFolder(mailing) && (await isFile(saved.file)) && (await isFile(saved.source));
    if (!saved || !mailing || !source || !usable || this.open.has(panelKey(mailing, source))) {
      panel.dispose();
      return;
    }
    panel.webview.options = this.options();
    this.adopt(panel, mailing, source, { width: saved.previewWidth, recipient: saved.previewRecipient, remoteImages: saved.remoteImages });
  }

  private options(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [this.distRoot()] };
  }

  private adopt(panel: vscode.WebviewPanel, mailing: vscode.Uri, source: vscode.Uri, view: PreviewState): LivePreviewPanel {
    const key = panelKey(mailing, source);
    const preview = new LivePreviewPanel(this, panel, mailing, source, view);
    this.open.set(key, preview);
    panel.onDidDispose(() => {
      if (this.open.get(key) === preview) this.open.delete(key);
      preview.dispose();
    });
    return preview;
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

function panelKey(mailing: vscode.Uri, source: vscode.Uri): string {
  return `${mailing.toString()}\n${source.toString()}`;
}

function previewTitle(source: vscode.Uri): string {
  return vscode.l10n.t('Preview {0}', path.basename(source.fsPath));
}

interface PreviewState {
  width?: PreviewWidth;
  recipient?: number;
  remoteImages?: boolean;
}

export class LivePreviewPanel {
  private width: PreviewWidth;
  private recipient: number;
  private remoteImages: boolean;
  private ready = false;
  private model: ConfirmModel | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private renderSeq = 0;
  private scrollSync = false;
  /** The line this panel scrolled the source editor to: the editor's answer to it is not sent back. */
  private revealedLine: number | undefined;
  private lastView: LivePreviewView | undefined;
  private readonly rendered = new vscode.EventEmitter<LivePreviewView>();
  /** A view was sent to the page (tests wait for it). */
  readonly onDidRender = this.rendered.event;
  private readonly disposables: vscode.Disposable[] = [this.rendered];

  constructor(
    private readonly manager: PreviewManager,
    readonly panel: vscode.WebviewPanel,
    readonly mailing: vscode.Uri,
    readonly source: vscode.Uri,
    view: PreviewState,
  ) {
    this.width = view.width ?? 'desktop';
    this.recipient = view.recipient ?? 0;
    this.remoteImages = view.remoteImages ?? false;
    this.disposables.push(panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)));
    this.loadPage();
  }

  /** (Re)loads the page; its CSP follows the remote-images choice. */
  private loadPage(): void {
    this.ready = false;
    loadPageShell(this.panel.webview, this.manager.distRoot(), 'preview', previewTitle(this.source), this.remoteImages);
  }

  /** The view last sent to the page. */
  get view(): LivePreviewView | undefined {
    return this.lastView;
  }

  /** Does an edit of this document change what the preview shows? */
  follows(document: vscode.TextDocument): boolean {
    const file = path.resolve(document.uri.fsPath);
    if (document.uri.toString() === this.mailing.toString() || file === path.resolve(this.source.fsPath)) return true;
    return this.model?.referencedFiles.some((f) => path.resolve(f) === file) ?? false;
  }

  /** Something the preview shows changed: rendered again after the pause. */
  changed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.render();
    }, EDIT_DEBOUNCE_MS);
  }

  editorScrolled(editor: vscode.TextEditor, ranges: readonly vscode.Range[]): void {
    if (!this.ready || !this.scrollSync || path.resolve(editor.document.uri.fsPath) !== path.resolve(this.source.fsPath) || ranges.length === 0) return;
    const line = ranges[0].start.line;
    if (this.revealedLine !== undefined) {
      const ours = this.revealedLine === line;
      this.revealedLine = undefined;
      if (ours) return;
    }
    this.post({ type: 'scrollTo', line });
  }

  private post(message: PreviewHostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  /** Builds the preview from a fresh model of the editors' text and sends it. */
  async render(): Promise<void> {
    if (!this.ready) return;
    const seq = ++this.renderSeq;
    try {
      const model = await this.manager.hooks.models.forPreview(this.mailing);
      const preview = await renderPreview(model, this.recipient);
      if (seq !== this.renderSeq) return;
      this.model = model;
      if (preview) this.recipient = preview.index;
      const view = toLivePreviewView(model, { source: this.source.fsPath, preview, width: this.width, remoteImages: this.remoteImages, locale: whenLocale(), now: new Date() });
      this.scrollSync = view.scrollSync;
      this.panel.title = previewTitle(this.source);
      this.post({ type: 'preview', ui: uiContext(), view });
      this.lastView = view;
      this.rendered.fire(view);
    } catch (error) {
      this.manager.hooks.log.warn(`preview ${this.source.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private receive(message: unknown): void {
    if (!isPreviewPageMessage(message)) {
      this.manager.hooks.log.warn(`preview ${this.source.fsPath}: ignored a malformed message from the webview`);
      return;
    }
    void Promise.resolve(dispatch(this.handlers, message)).catch((error) => this.manager.hooks.log.warn(`preview ${this.source.fsPath}: ${String(error)}`));
  }

  private readonly handlers: Handlers<PreviewPageMessage> = {
    ready: () => {
      this.ready = true;
      return this.render();
    },
    reveal: async (message) => {
      const model = this.model ?? (await this.manager.hooks.models.forUri(this.mailing));
      if (!(await revealInEditor(model, this.mailing, message.range, message.file, this.panel.viewColumn))) {
        this.manager.hooks.log.warn(`preview: refused to reveal ${message.file ?? model.file}, which the mailing does not reference`);
      }
    },
    selectPreviewRecipient: (message) => {
      this.recipient = message.index;
      return this.render();
    },
    setPreviewWidth: (message) => (this.width = message.width),
    loadRemoteImages: () => {
      if (this.remoteImages) return;
      this.manager.hooks.log.info(`preview ${this.source.fsPath}: remote images loaded on request`);
      this.remoteImages = true;
      this.loadPage();
    },
    searchRecipients: (message) => {
      const found = searchRecipients(this.model?.mailing.targetList?.recipients ?? [], message.text);
      this.post({ type: 'recipientChoices', id: message.id, ...found });
    },
    scrolled: (message) => {
      if (!this.scrollSync) return;
      const editor = vscode.window.visibleTextEditors.find((e) => path.resolve(e.document.uri.fsPath) === path.resolve(this.source.fsPath));
      if (!editor) return;
      const line = Math.min(message.line, Math.max(0, editor.document.lineCount - 1));
      if (editor.visibleRanges[0]?.start.line === line) return;
      this.revealedLine = line;
      editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.AtTop);
    },
    openConfirm: () => vscode.commands.executeCommand('mailings.confirm', this.mailing),
  };

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
