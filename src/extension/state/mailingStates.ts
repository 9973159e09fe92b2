// The send state of every mailing of the workspace, kept current by watching the state folders:
// journal.jsonl (status, progress), test.json (last test), lease (who sends). Another VS Code window
// or the CLI writes the same files, so CodeLens, the Mailings view and the status bar follow what
// happens in any process. Reading is cheap: the core folds each journal incrementally.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { tooDeepAt } from '../../core/load/yamlDepth';
import { mailingEvents } from '../../core/send/events';
import { mailingStateDir, STATE_DIR_NAME } from '../../core/state/paths';
import { readStatistics } from '../../core/state/summary';
import type { MailingStatus, Statistics } from '../../core/types';
import { findWorkspaceMailings, isMailingUri, MAILING_GLOB, stateRootFor } from '../mailingFiles';
import { machineTimeZone } from '../format';

export interface MailingInfo {
  uri: vscode.Uri;
  /** `name:` of the file, or its file name while it has none. */
  name: string;
  timezone: string;
  stats: Statistics;
}

export interface StateChange {
  uri: vscode.Uri;
  /** Which state file changed: the journal/lease (status, progress) or the test record. */
  kind: 'send' | 'test';
  previous?: MailingStatus;
  status: MailingStatus;
}

/** Journal events arrive in bursts while sending: coalesce each mailing's refresh to this interval. */
const REFRESH_INTERVAL_MS = 400;

export class MailingStates implements vscode.Disposable {
  private readonly known = new Map<string, vscode.Uri>();
  private readonly byStateDir = new Map<string, string>();
  private readonly infos = new Map<string, Promise<MailingInfo>>();
  private readonly lastStatus = new Map<string, MailingStatus>();
  private readonly pending = new Map<string, { timer: ReturnType<typeof setTimeout>; kind: StateChange['kind'] }>();
  private readonly listChanged = new vscode.EventEmitter<void>();
  private readonly stateChanged = new vscode.EventEmitter<StateChange>();
  private readonly disposables: vscode.Disposable[] = [];
  private stateWatchers: vscode.FileSystemWatcher[] = [];
  private sendingPoll: ReturnType<typeof setInterval> | undefined;
  private ready: Promise<void>;

  /** Mailings were added, removed or renamed. */
  readonly onDidChangeList = this.listChanged.event;
  /** One mailing's state changed. */
  readonly onDidChangeState = this.stateChanged.event;

  constructor(private readonly pollMs: () => number) {
    const files = vscode.workspace.createFileSystemWatcher(MAILING_GLOB);
    this.disposables.push(
      files,
      files.onDidCreate((uri) => this.add(uri)),
      files.onDidDelete((uri) => this.remove(uri)),
      files.onDidChange((uri) => this.fileEdited(uri)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watchStateFolders();
        void this.rescan();
      }),
      vscode.workspace.onDidOpenTextDocument((document) => isMailingUri(document.uri) && this.add(document.uri, false)),
      this.listChanged,
      this.stateChanged,
    );
    // This window's own runs report at once; other processes are seen through the state files.
    const onEngineEvent = (file: string) => this.engineEvent(file);
    mailingEvents.on('state', onEngineEvent);
    mailingEvents.on('progress', onEngineEvent);
    this.disposables.push({ dispose: () => (mailingEvents.off('state', onEngineEvent), mailingEvents.off('progress', onEngineEvent)) });
    this.watchStateFolders();
    this.ready = this.rescan();
  }

  /** Every known mailing with its name and statistics, sorted by name. */
  async list(): Promise<MailingInfo[]> {
    await this.ready;
    const infos = await Promise.all([...this.known.values()].map((uri) => this.info(uri)));
    return infos.sort((a, b) => a.name.localeCompare(b.name) || a.uri.fsPath.localeCompare(b.uri.fsPath));
  }

  /** Name, zone and statistics of one mailing (cached until its files change). */
  info(uri: vscode.Uri): Promise<MailingInfo> {
    const key = uri.toString();
    if (!this.known.has(key)) this.add(uri, false);
    let info = this.infos.get(key);
    if (!info) {
      info = this.read(uri);
      this.infos.set(key, info);
      info.catch(() => this.infos.get(key) === info && this.infos.delete(key));
    }
    return info;
  }

  /** Re-reads everything (the view's Refresh button). */
  async rescan(): Promise<void> {
    const found = await findWorkspaceMailings();
    const keep = new Set(found.map((uri) => uri.toString()));
    for (const [key, uri] of this.known) if (!keep.has(key) && !vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) this.forget(uri);
    for (const uri of found) this.add(uri, false);
    this.infos.clear();
    this.listChanged.fire();
  }

  private async read(uri: vscode.Uri): Promise<MailingInfo> {
    const stats = await readStatistics(mailingStateDir(stateRootFor(uri), uri.fsPath));
    let name = path.basename(uri.fsPath).replace(/\.mailing\.ya?ml$/i, '');
    let timezone = machineTimeZone();
    try {
      const text = await fs.readFile(uri.fsPath, 'utf8');
      // Nested too deep to parse safely: the file name stands in, the diagnostics say why.
      const value = (tooDeepAt(text) >= 0 ? null : parse(text)) as { name?: unknown; timezone?: unknown } | null;
      if (typeof value?.name === 'string' && value.name.trim()) name = value.name.trim();
      if (typeof value?.timezone === 'string' && value.timezone.trim()) timezone = value.timezone.trim();
    } catch {
      // An unreadable or broken file keeps its file name; diagnostics tell what is wrong.
    }
    const key = uri.toString();
    const previous = this.lastStatus.get(key);
    this.lastStatus.set(key, stats.status);
    if (previous !== stats.status) this.updatePolling();
    return { uri, name, timezone, stats };
  }

  private add(uri: vscode.Uri, announce = true): void {
    const key = uri.toString();
    if (this.known.has(key)) return;
    this.known.set(key, uri);
    this.byStateDir.set(path.resolve(mailingStateDir(stateRootFor(uri), uri.fsPath)), key);
    if (announce) this.listChanged.fire();
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.known.delete(key);
    this.infos.delete(key);
    this.lastStatus.delete(key);
    this.byStateDir.delete(path.resolve(mailingStateDir(stateRootFor(uri), uri.fsPath)));
  }

  private remove(uri: vscode.Uri): void {
    this.forget(uri);
    this.listChanged.fire();
  }

  private fileEdited(uri: vscode.Uri): void {
    // The name shown in the view may have changed.
    this.infos.delete(uri.toString());
    this.listChanged.fire();
  }

  private watchStateFolders(): void {
    for (const watcher of this.stateWatchers) watcher.dispose();
    this.stateWatchers = (vscode.workspace.workspaceFolders ?? []).map((folder) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, `${STATE_DIR_NAME}/mailings/*/*`));
      const changed = (file: vscode.Uri) => this.stateFileChanged(file);
      watcher.onDidChange(changed);
      watcher.onDidCreate(changed);
      watcher.onDidDelete(changed);
      return watcher;
    });
  }

  private engineEvent(file: string): void {
    const uri = vscode.Uri.file(file);
    this.add(uri);
    this.changeSoon(uri.toString(), 'send');
  }

  private stateFileChanged(file: vscode.Uri): void {
    const key = this.byStateDir.get(path.dirname(path.resolve(file.fsPath)));
    if (!key) return;
    const name = path.basename(file.fsPath);
    if (name.endsWith('.tmp')) return;
    this.changeSoon(key, name === 'test.json' ? 'test' : 'send');
  }

  private changeSoon(key: string, kind: StateChange['kind']): void {
    const waiting = this.pending.get(key);
    if (waiting) {
      if (kind === 'send') waiting.kind = 'send';
      return;
    }
    const timer = setTimeout(() => {
      const entry = this.pending.get(key);
      this.pending.delete(key);
      void this.announce(key, entry?.kind ?? kind);
    }, REFRESH_INTERVAL_MS);
    this.pending.set(key, { timer, kind });
  }

  private async announce(key: string, kind: StateChange['kind']): Promise<void> {
    const uri = this.known.get(key);
    if (!uri) return;
    const previous = this.lastStatus.get(key);
    this.infos.delete(key);
    try {
      const info = await this.info(uri);
      this.stateChanged.fire({ uri, kind, previous, status: info.stats.status });
    } catch {
      // The state folder is being rewritten; the next change event reads it again.
    }
  }

  /**
   * A run that dies leaves its journal at `sending`; only the lease's heartbeat going stale tells.
   * While any mailing is sending, re-read the states now and then to notice that.
   */
  private updatePolling(): void {
    const anySending = [...this.lastStatus.values()].some((status) => status === 'sending');
    if (anySending && !this.sendingPoll) {
      this.sendingPoll = setInterval(() => {
        for (const [key, status] of this.lastStatus) if (status === 'sending') void this.announce(key, 'send');
      }, this.pollMs());
    } else if (!anySending && this.sendingPoll) {
      clearInterval(this.sendingPoll);
      this.sendingPoll = undefined;
    }
  }

  dispose(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    if (this.sendingPoll) clearInterval(this.sendingPoll);
    for (const watcher of this.stateWatchers) watcher.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
