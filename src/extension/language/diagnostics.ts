// Editor diagnostics from the confirm model: on open and on every edit (debounced per document),
// cached per document version (ConfirmModels), re-run when a mailing's inputs change. A diagnostic the
// core locates in another file (a merge field in newsletter.html) is shown in that file; several
// mailings may report into the same file, so each target file shows the union of its reporters.
import * as vscode from 'vscode';
import type { ConfirmModel } from '../../core/index';
import { isMailingDocument, isMailingUri, openMailingDocument } from '../mailingFiles';
import type { ConfirmModels } from '../models';
import type { MailingsLog } from '../log';
import { toDiagnostic } from './convert';

export const VALIDATION_DELAY_MS = 250;

export class MailingDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('mailings');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** target file uri -> reporting mailing uri -> diagnostics */
  private readonly byTarget = new Map<string, Map<string, vscode.Diagnostic[]>>();
  /** mailing uri -> target file uris it reported into */
  private readonly targetsOf = new Map<string, Set<string>>();
  /** Mailings shown although not open (Validate Workspace): kept until they are opened and closed. */
  private readonly pinned = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Per document, the number of the latest validation: an older one finishing later is dropped. */
  private readonly runs = new Map<string, number>();

  constructor(
    private readonly models: ConfirmModels,
    private readonly log: MailingsLog,
  ) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((document) => isMailingDocument(document) && this.validateSoon(document, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (isMailingDocument(event.document) && event.contentChanges.length > 0) this.validateSoon(event.document, VALIDATION_DELAY_MS);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => isMailingDocument(document) && this.closed(document.uri)),
      models.onDidInvalidate((uri) => this.revalidate(uri)),
    );
    for (const document of vscode.workspace.textDocuments) {
      if (isMailingDocument(document)) this.validateSoon(document, 0);
    }
  }

  /** Validates a mailing now, open or not, and shows its diagnostics (Validate Workspace). */
  async validateUri(uri: vscode.Uri): Promise<ConfirmModel> {
    const model = await this.models.forUri(uri);
    if (!openMailingDocument(uri)) this.pinned.add(uri.toString());
    this.publish(uri, model);
    return model;
  }

  private validateSoon(document: vscode.TextDocument, delay: number): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.validate(document);
      }, delay),
    );
  }

  private async validate(document: vscode.TextDocument): Promise<void> {
    const version = document.version;
    const key = document.uri.toString();
    const run = (this.runs.get(key) ?? 0) + 1;
    this.runs.set(key, run);
    try {
      const model = await this.models.forDocument(document);
      // A newer edit or re-check is on its way (or the document closed): its own run will publish.
      if (document.isClosed || document.version !== version || this.runs.get(key) !== run) return;
      this.publish(document.uri, model);
    } catch (error) {
      this.log.error(`validating ${document.uri.fsPath} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  private revalidate(uri: vscode.Uri | undefined): void {
    for (const document of vscode.workspace.textDocuments) {
      if (!isMailingDocument(document)) continue;
      if (!uri || document.uri.toString() === uri.toString()) this.validateSoon(document, VALIDATION_DELAY_MS);
    }
    for (const key of this.pinned) {
      if (uri && key !== uri.toString()) continue;
      const pinnedUri = vscode.Uri.parse(key);
      if (!openMailingDocument(pinnedUri)) void this.validateUri(pinnedUri).catch(() => this.closed(pinnedUri));
    }
  }

  private publish(mailing: vscode.Uri, model: ConfirmModel): void {
    const mailingKey = mailing.toString();
    const grouped = new Map<string, vscode.Diagnostic[]>([[mailingKey, []]]);
    for (const diagnostic of model.diagnostics) {
      const target = diagnostic.file ? vscode.Uri.file(diagnostic.file).toString() : mailingKey;
      const list = grouped.get(target) ?? [];
      list.push(toDiagnostic(diagnostic, model.mailing.timezone));
      grouped.set(target, list);
    }
    const previous = this.targetsOf.get(mailingKey) ?? new Set<string>();
    for (const target of previous) if (!grouped.has(target)) this.setFor(target, mailingKey, undefined);
    for (const [target, list] of grouped) this.setFor(target, mailingKey, list);
    this.targetsOf.set(mailingKey, new Set(grouped.keys()));
  }

  private setFor(target: string, mailing: string, list: vscode.Diagnostic[] | undefined): void {
    const reporters = this.byTarget.get(target) ?? new Map<string, vscode.Diagnostic[]>();
    if (list) reporters.set(mailing, list);
    else reporters.delete(mailing);
    if (reporters.size === 0) this.byTarget.delete(target);
    else this.byTarget.set(target, reporters);
    const all = [...reporters.values()].flat();
    const uri = vscode.Uri.parse(target);
    if (all.length === 0) this.collection.delete(uri);
    else this.collection.set(uri, all);
  }

  private closed(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.runs.delete(key);
    if (this.pinned.has(key)) return;
    for (const target of this.targetsOf.get(key) ?? []) this.setFor(target, key, undefined);
    this.targetsOf.delete(key);
    this.models.forget(uri);
  }

  /** Drops a mailing whose file was deleted. */
  deleted(uri: vscode.Uri): void {
    if (!isMailingUri(uri)) return;
    this.pinned.delete(uri.toString());
    this.closed(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
