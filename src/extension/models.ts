// The confirm models of the open mailings: built by the core from the editor's text (saved or not),
// and the editors' text of the files they reference (an .mjml file being typed in: its squiggles and
// the preview follow the keystrokes; an action saves those files first, commands/target.ts),
// cached per document version and state stamp, rebuilt when something outside the text changes (a
// referenced file, the test record, the send state, the SMTP settings). One FileCache is shared by every build, so a
// CSV used by several mailings is read once per change.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildConfirmModel, type ConfirmModel, type Diagnostic, FileCache, type InboxResult, mailingStateDir, type ParsedMailing, parseMailingText, withInboxResults } from '../core/index';
import { isMailingDocument, openMailingDocument, stateRootFor } from './mailingFiles';
import { sameStamp, stateStamp, type StateStamp } from './state/stateStamp';
import { readSettings, smtpConfigured } from './settings';

/** The on-demand checks of the Inbox step whose results a model carries (inboxChecks.ts). */
export type InboxCheck = 'spam' | 'links';

interface Entry {
  version: number;
  generation: number;
  /** The mailing's state files when the build started: the model's send state and test record come from them. */
  stamp: StateStamp;
  promise: Promise<ConfirmModel>;
}

/** The text of every file open in an editor with unsaved changes, but mailings (each one's own text is passed as such). */
function editedTexts(): Map<string, string> {
  const edited = new Map<string, string>();
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty && document.uri.scheme === 'file' && !isMailingDocument(document)) edited.set(path.resolve(document.uri.fsPath), document.getText());
  }
  return edited;
}

export class ConfirmModels implements vscode.Disposable {
  private readonly cache = new FileCache();
  private readonly entries = new Map<string, Entry>();
  private readonly latestModels = new Map<string, ConfirmModel>();
  /** Per mailing, the number of its latest build. */
  private readonly builds = new Map<string, number>();
  private generation = 0;
  /**
   * Per mailing, the last result of each on-demand Inbox check: every model built for the same
   * content carries it (its diagnostics in the Problems panel and on the Confirm page); a result for
   * other content is left out by withInboxResults; the next result of the same check replaces it.
   */
  private readonly inboxResults = new Map<string, Map<InboxCheck, InboxResult>>();
  private readonly invalidated = new vscode.EventEmitter<vscode.Uri | undefined>();
  private readonly built = new vscode.EventEmitter<{ uri: vscode.Uri; model: ConfirmModel }>();

  /** A mailing's inputs changed outside its text (undefined: possibly every mailing's). */
  readonly onDidInvalidate = this.invalidated.event;
  /** A model was built (diagnostics, code lenses and the reference watcher follow it). */
  readonly onDidBuild = this.built.event;

  /**
   * The model of an open document at its current version, and at the current state on disk: a
   * schedule, stop or test made by another process changes the model even before any event says so.
   */
  forDocument(document: vscode.TextDocument): Promise<ConfirmModel> {
    const key = document.uri.toString();
    const known = this.entries.get(key);
    const stamp = stateStamp(mailingStateDir(stateRootFor(document.uri), document.uri.fsPath));
    if (known && known.version === document.version && known.generation === this.generation && sameStamp(known.stamp, stamp)) return known.promise;
    const promise = this.build(document.uri, document.getText());
    const entry = { version: document.version, generation: this.generation, stamp, promise };
    this.entries.set(key, entry);
    promise.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    return promise;
  }

  /** The model of a mailing as the user sees it: the open editor's text, or the file on disk. */
  forUri(uri: vscode.Uri): Promise<ConfirmModel> {
    const document = openMailingDocument(uri);
    return document ? this.forDocument(document) : this.build(uri, undefined);
  }

  /**
   * The model the live preview shows: as forUri, with the MJML and Markdown blocks marked with their
   * source lines (for the preview's scroll sync; never checked or sent). Not cached and not announced:
   * the preview asks once per (debounced) change, and the markers must not reach the diagnostics.
   */
  forPreview(uri: vscode.Uri): Promise<ConfirmModel> {
    return this.build(uri, openMailingDocument(uri)?.getText(), { sourceLines: true });
  }

  /**
   * The model of a mailing as its files on disk say, whatever an editor shows: for an action that
   * reads them as they are now (Resend reads the target list again; the caller saved the editor first).
   */
  forFile(uri: vscode.Uri): Promise<ConfirmModel> {
    return this.build(uri, undefined);
  }

  /**
   * The core's parse of an open mailing's text (its node ranges): the very parse the model of that
   * version is built on, so hover, links, completion and quick fixes see what the checks see.
   */
  parse(document: vscode.TextDocument): ParsedMailing {
    return parseMailingText(this.cache, document.uri.fsPath, document.getText());
  }

  /** The last model built for a mailing, without waiting (completion, quick fixes). */
  latest(uri: vscode.Uri): ConfirmModel | undefined {
    return this.latestModels.get(uri.toString());
  }

  /** Every last-built model (to find which mailings reference a file). */
  allLatest(): ConfirmModel[] {
    return [...this.latestModels.values()];
  }

  /** The core diagnostics located in `file` (a mailing, or a file a mailing references). */
  diagnosticsIn(file: string): { model: ConfirmModel; diagnostic: Diagnostic }[] {
    const target = path.resolve(file);
    return this.allLatest().flatMap((model) =>
      model.diagnostics.filter((d) => path.resolve(d.file ?? model.file) === target).map((diagnostic) => ({ model, diagnostic })),
    );
  }

  /** The models of mailings that reference `file` (content, attachment, CSV). */
  referencing(file: string): ConfirmModel[] {
    const target = path.resolve(file);
    return this.allLatest().filter((model) => model.referencedFiles.some((f) => path.resolve(f) === target));
  }

  /** Forget cached results: for one mailing, or for all (settings changed). */
  invalidate(uri?: vscode.Uri): void {
    if (uri) this.entries.delete(uri.toString());
    else this.generation++;
    this.invalidated.fire(uri);
  }

  /** A referenced file changed on disk: drop what the cache holds of it and re-check its mailings. */
  fileChanged(file: string, mailings: vscode.Uri[]): void {
    this.cache.delete(file);
    for (const uri of mailings) this.invalidate(uri);
  }

  /** The result of an on-demand Inbox check (spam score, link reachability): the mailing is checked again with it. */
  setInboxResult(uri: vscode.Uri, check: InboxCheck, result: InboxResult): void {
    const key = uri.toString();
    const results = this.inboxResults.get(key) ?? new Map<InboxCheck, InboxResult>();
    results.set(check, result);
    this.inboxResults.set(key, results);
    this.invalidate(uri);
  }

  forget(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
    this.inboxResults.delete(uri.toString());
    this.latestModels.delete(uri.toString());
    this.builds.delete(uri.toString());
  }

  private async build(uri: vscode.Uri, text: string | undefined, preview?: { sourceLines: true }): Promise<ConfirmModel> {
    const key = uri.toString();
    const seq = preview ? 0 : (this.builds.get(key) ?? 0) + 1;
    if (!preview) this.builds.set(key, seq);
    const settings = readSettings();
    const built = await buildConfirmModel(uri.fsPath, {
      ...(text !== undefined ? { text } : {}),
      ...(preview ?? {}),
      edited: editedTexts(),
      stateRoot: stateRootFor(uri),
      // An untrusted window reads nothing outside the folders it has open (Restricted Mode).
      ...(vscode.workspace.isTrusted ? {} : { confine: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath) }),
      now: new Date(),
      smtpConfigured: smtpConfigured(settings),
      workingHours: settings.workingHours,
      cache: this.cache,
    });
    const model = withInboxResults(built, ...(this.inboxResults.get(key)?.values() ?? []));
    // A build that started before a newer one (an edit, a state change) is superseded: announcing it
    // after the newer one would show a stale model (a panel keeps the last model it was given).
    if (!preview && this.builds.get(key) === seq) {
      this.latestModels.set(key, model);
      this.built.fire({ uri, model });
    }
    return model;
  }

  dispose(): void {
    this.invalidated.dispose();
    this.built.dispose();
  }
}
