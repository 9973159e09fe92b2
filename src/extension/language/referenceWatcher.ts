// Re-checks a mailing when a file it references (HTML, text, CSV, attachment) is created, changed or
// deleted, also when that happens outside VS Code. One watcher per referenced file, shared by every
// mailing that references it and disposed with the last of them.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConfirmModels } from '../models';

interface Watched {
  watcher: vscode.FileSystemWatcher;
  mailings: Set<string>;
}

export class ReferenceWatcher implements vscode.Disposable {
  private readonly watched = new Map<string, Watched>();
  private readonly filesOf = new Map<string, Set<string>>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly models: ConfirmModels) {
    this.subscription = models.onDidBuild(({ uri, model }) => this.track(uri, model.referencedFiles));
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
    this.subscription.dispose();
    for (const entry of this.watched.values()) entry.watcher.dispose();
    this.watched.clear();
  }
}
