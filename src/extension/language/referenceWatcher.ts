// Re-checks a mailing when a file it references (HTML, text, CSV, attachment) is created, changed or
// deleted, also when that happens outside VS Code. One watcher per referenced file, shared by every
// mailing that references it and disposed with the last of them. Typing in a referenced file open in
// an editor re-checks too (the models read the editor's text: models.ts), after a pause, as typing
// in the mailing itself does; so does closing it unsaved (its text on disk counts again).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConfirmModels } from '../models';
import { VALIDATION_DELAY_MS } from './diagnostics';

interface Watched {
  watcher: vscode.FileSystemWatcher;
  mailings: Set<string>;
}

export class ReferenceWatcher implements vscode.Disposable {
  private readonly watched = new Map<string, Watched>();
  private readonly filesOf = new Map<string, Set<string>>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly typing = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly models: ConfirmModels) {
    this.subscriptions = [
      models.onDidBuild(({ uri, model }) => this.track(uri, model.referencedFiles)),
      vscode.workspace.onDidChangeTextDocument((event) => event.contentChanges.length > 0 && this.edited(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.edited(document, 0)),
    ];
  }

  /** A referenced file's editor text changed: its mailings are checked again once the typing pauses. */
  private edited(document: vscode.TextDocument, delay = VALIDATION_DELAY_MS): void {
    if (document.uri.scheme !== 'file') return;
    const file = path.resolve(document.uri.fsPath);
    if (!this.watched.has(file)) return;
    clearTimeout(this.typing.get(file));
    this.typing.set(
      file,
      setTimeout(() => {
        this.typing.delete(file);
        const mailings = [...(this.watched.get(file)?.mailings ?? [])].map((mailing) => vscode.Uri.parse(mailing));
        for (const uri of mailings) this.models.invalidate(uri);
      }, delay),
    );
  }

  private track(mailing: vscode.Uri, files: string[]): void {
    const key = mailing.toString();
    const next = new Set(files.map((file) => path.resolve(file)));
    const previous = this.filesOf.get(key) ?? new Set<string>();
    for (const file of previous) if (!next.has(file)) this.release(file, key);
    for (const file of next) if (!previous.has(file)) this.watch(file, key);
    this.filesOf.set(key, next);
  }

  private watch(file: string, mailing: string): void {
    let entry = this.watched.get(file);
    if (!entry) {
      const pattern = new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file));
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const changed = () => this.changed(file);
      watcher.onDidChange(changed);
      watcher.onDidCreate(changed);
      watcher.onDidDelete(changed);
      entry = { watcher, mailings: new Set() };
      this.watched.set(file, entry);
    }
    entry.mailings.add(mailing);
  }

  private release(file: string, mailing: string): void {
    const entry = this.watched.get(file);
    if (!entry) return;
    entry.mailings.delete(mailing);
    if (entry.mailings.size === 0) {
      entry.watcher.dispose();
      this.watched.delete(file);
    }
  }

  private changed(file: string): void {
    const mailings = [...(this.watched.get(file)?.mailings ?? [])].map((mailing) => vscode.Uri.parse(mailing));
    this.models.fileChanged(file, mailings);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const timer of this.typing.values()) clearTimeout(timer);
    for (const entry of this.watched.values()) entry.watcher.dispose();
    this.watched.clear();
  }
}
