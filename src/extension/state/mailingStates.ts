// The send state of every known mailing, kept current from its state folder: journal.jsonl (status,
// progress), test.json (last test), lease (who sends). Another VS Code window or the CLI writes the
// same files, so CodeLens, the Mailings view, the status bar and the Confirm panel follow what
// happens in any process.
//
// Staying current does not rest on file-watcher events alone, because those can be missed: a watcher
// is set up asynchronously (writes made right after activation, or right after a state folder is
// created, are not reported), a state root outside the workspace is watched by polling until it
// exists, and inotify drops events under load. So:
// - every read remembers the stamp (inode, size, mtime) of the state files it started from, and
//   info() reads again whenever the files' stamp differs: a cached answer is never older than the
//   files (one statSync per file, microseconds);
// - a sweep compares the stamps every SWEEP_MS with those last announced, and announces what
//   changed without an event (VS Code asks for CodeLens again only when told);
// - watcher events (one watcher per distinct state root) and this process's own engine events make
//   the common case immediate; a dead sender is noticed by re-reading while anything is sending.
import { promises as fs, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CHECKPOINT_FILE, mailingEvents, mailingStateDir, type MailingStatus, parseYamlSource, readStatistics, type Statistics, TEST_RECORD_FILE } from '../../core/index';
import { findWorkspaceMailings, isMailingUri, MAILING_GLOB, stateRootFor } from '../mailingFiles';
import { machineTimeZone } from '../format';
import { sameStamp, stateStamp, type StateStamp } from './stateStamp';

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
  /** The statistics read for this change. */
  stats: Statistics;
}

/** Journal events arrive in bursts while sending: coalesce each mailing's refresh to this interval. */
const REFRESH_INTERVAL_MS = 400;
/** How often the state files' stamps are compared, for changes no watcher reported. */
export const SWEEP_MS = 2000;

interface KnownMailing {
  uri: vscode.Uri;
  root: string;
  stateDir: string;
}

interface CachedInfo {
  /** The stamp of the state files when the read started. */
  stamp: StateStamp;
  promise: Promise<MailingInfo>;
}

/** One file watcher per state root: `<root>/mailings/*\/*`, watched from the root's parent until the root exists. */
function watchStateRoot(root: string, changed: (file: vscode.Uri) => void): vscode.Disposable {
  // Watching a folder that does not exist yet is suspended by VS Code and resumed by polling, which
  // loses the first writes; its parent exists (it holds the mailing, or the workspace folder).
  const exists = statSync(root, { throwIfNoEntry: false })?.isDirectory() ?? false;
  const pattern = exists
    ? new vscode.RelativePattern(vscode.Uri.file(root), 'mailings/*/*')
    : new vscode.RelativePattern(vscode.Uri.file(path.dirname(root)), `${path.basename(root)}/mailings/*/*`);
  const watcher = vscode.workspace.createFileSystemWatcher(pattern);
  return vscode.Disposable.from(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed));
}

export class MailingStates implements vscode.Disposable {
  private readonly known = new Map<string, KnownMailing>();
  private readonly byStateDir = new Map<string, string>();
  /** State root -> its watcher and the mailings whose state it holds. */
  private readonly roots = new Map<string, { watcher: vscode.Disposable; keys: Set<string> }>();
  private readonly infos = new Map<string, CachedInfo>();
  /**
   * The stamp each mailing's state files had when its state was last announced (or first read):
   * what the sweep compares. Not the stamp of the last read: a read (a CodeLens asking) is fresh,
   * but only an announcement makes VS Code ask again for what it shows.
   */
  private readonly announced = new Map<string, StateStamp>();
  private readonly lastStatus = new Map<string, MailingStatus>();
  /** Per mailing, the number of its latest read: an older read finishing later changes nothing. */
  private readonly readSeq = new Map<string, number>();
  private readonly pending = new Map<string, { timer: ReturnType<typeof setTimeout>; kind: StateChange['kind'] }>();
  private readonly listChanged = new vscode.EventEmitter<void>();
  private readonly stateChanged = new vscode.EventEmitter<StateChange>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly sweepTimer: ReturnType<typeof setInterval>;
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
        // A mailing's state root may follow its workspace folder (stateRootFor).
        this.relocate();
        void this.rescan();
      }),
      vscode.workspace.onDidOpenTextDocument((document) => isMailingUri(document.uri) && this.add(document.uri, false)),
      this.listChanged,
      this.stateChanged,
    );
    // This window's own runs report at once; other processes are seen through the state files.
    const onState = (file: string) => this.engineEvent(file, true);
    const onProgress = (file: string) => this.engineEvent(file, false);
    mailingEvents.on('state', onState);
    mailingEvents.on('progress', onProgress);
    this.disposables.push({ dispose: () => (mailingEvents.off('state', onState), mailingEvents.off('progress', onProgress)) });
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_MS);
    this.ready = this.rescan();
  }

  /** Every known mailing with its name and statistics, sorted by name. */
  async list(): Promise<MailingInfo[]> {
    await this.ready;
    const infos = await Promise.all([...this.known.values()].map(({ uri }) => this.info(uri)));
    return infos.sort((a, b) => a.name.localeCompare(b.name) || a.uri.fsPath.localeCompare(b.uri.fsPath));
  }

  /** Name, zone and statistics of one mailing: read again whenever its state files changed since. */
  info(uri: vscode.Uri): Promise<MailingInfo> {
    const key = uri.toString();
    if (!this.known.has(key)) this.add(uri, false);
    const { stateDir } = this.known.get(key)!;
    const stamp = stateStamp(stateDir);
    const cached = this.infos.get(key);
    if (cached && sameStamp(cached.stamp, stamp)) return cached.promise;
    const promise = this.read(uri, key, stateDir, stamp);
    const entry = { stamp, promise };
    this.infos.set(key, entry);
    promise.catch(() => this.infos.get(key) === entry && this.infos.delete(key));
    return promise;
  }

  /** Re-reads everything (the view's Refresh button). */
  async rescan(): Promise<void> {
    const found = await findWorkspaceMailings();
    const keep = new Set(found.map((uri) => uri.toString()));
    for (const [key, { uri }] of this.known) if (!keep.has(key) && !vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) this.forget(uri);
    for (const uri of found) this.add(uri, false);
    this.infos.clear();
    this.listChanged.fire();
  }

  private async read(uri: vscode.Uri, key: string, stateDir: string, stamp: StateStamp): Promise<MailingInfo> {
    const seq = (this.readSeq.get(key) ?? 0) + 1;
    this.readSeq.set(key, seq);
    const stats = await readStatistics(stateDir);
    let name = path.basename(uri.fsPath).replace(/\.mailing\.ya?ml$/i, '');
    let timezone = machineTimeZone();
    try {
      const text = await fs.readFile(uri.fsPath, 'utf8');
      // The core's parse (a file nested too deep is not read: the file name stands in, the diagnostics say why).
      const value = parseYamlSource(text).value as { name?: unknown; timezone?: unknown } | null;
      if (typeof value?.name === 'string' && value.name.trim()) name = value.name.trim();
      if (typeof value?.timezone === 'string' && value.timezone.trim()) timezone = value.timezone.trim();
    } catch {
      // An unreadable or broken file keeps its file name; diagnostics tell what is wrong.
    }
    if (this.readSeq.get(key) === seq && this.known.has(key)) {
      // Consumers asked for this state, so they know it; later changes are announced.
      if (!this.announced.has(key)) this.announced.set(key, stamp);
      const previous = this.lastStatus.get(key);
      this.lastStatus.set(key, stats.status);
      if (previous !== stats.status) this.updatePolling();
    }
    return { uri, name, timezone, stats };
  }

  private add(uri: vscode.Uri, announce = true): void {
    const key = uri.toString();
    if (this.known.has(key)) return;
    const root = path.resolve(stateRootFor(uri));
    const stateDir = path.resolve(mailingStateDir(root, uri.fsPath));
    this.known.set(key, { uri, root, stateDir });
    this.byStateDir.set(stateDir, key);
    this.watchRoot(root, key);
    if (announce) this.listChanged.fire();
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const known = this.known.get(key);
    if (!known) return;
    this.known.delete(key);
    this.infos.delete(key);
    this.announced.delete(key);
    this.lastStatus.delete(key);
    this.readSeq.delete(key);
    const pending = this.pending.get(key);
    if (pending) clearTimeout(pending.timer);
    this.pending.delete(key);
    if (this.byStateDir.get(known.stateDir) === key) this.byStateDir.delete(known.stateDir);
    this.unwatchRoot(known.root, key);
  }

  private remove(uri: vscode.Uri): void {
    this.forget(uri);
    this.listChanged.fire();
  }

  /** Workspace folders changed: state roots are looked up again, watchers follow. */
  private relocate(): void {
    for (const { uri } of [...this.known.values()]) {
      this.forget(uri);
      this.add(uri, false);
    }
  }

  private watchRoot(root: string, key: string): void {
    let entry = this.roots.get(root);
    if (!entry) {
      entry = { watcher: watchStateRoot(root, (file) => this.stateFileChanged(file)), keys: new Set() };
      this.roots.set(root, entry);
    }
    entry.keys.add(key);
  }

  private unwatchRoot(root: string, key: string): void {
    const entry = this.roots.get(root);
    if (!entry) return;
    entry.keys.delete(key);
    if (entry.keys.size === 0) {
      entry.watcher.dispose();
      this.roots.delete(root);
    }
  }

  private fileEdited(uri: vscode.Uri): void {
    // The name shown in the view may have changed.
    this.infos.delete(uri.toString());
    this.listChanged.fire();
  }

  private engineEvent(file: string, stateChange: boolean): void {
    const uri = vscode.Uri.file(file);
    this.add(uri);
    const key = uri.toString();
    // A state change made in this window (scheduled, stopped, completed) is shown at once; progress
    // while sending is coalesced.
    if (stateChange) this.changeNow(key, 'send');
    else this.changeSoon(key, 'send');
  }

  private stateFileChanged(file: vscode.Uri): void {
    const key = this.byStateDir.get(path.dirname(path.resolve(file.fsPath)));
    if (!key) return;
    const name = path.basename(file.fsPath);
    // A checkpoint says nothing new: it is the journal's fold, written beside it (a reader may write one).
    if (name.endsWith('.tmp') || name === CHECKPOINT_FILE) return;
    this.changeSoon(key, name === TEST_RECORD_FILE ? 'test' : 'send');
  }

  /** Announces what changed on disk without a watcher event (see the comment at the top). */
  private sweep(): void {
    for (const [key, { stateDir }] of this.known) {
      const told = this.announced.get(key);
      if (!told || this.pending.has(key)) continue;
      const now = stateStamp(stateDir);
      if (now.send !== told.send) this.changeSoon(key, 'send');
      else if (now.test !== told.test) this.changeSoon(key, 'test');
    }
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

  private changeNow(key: string, kind: StateChange['kind']): void {
    const waiting = this.pending.get(key);
    if (waiting) clearTimeout(waiting.timer);
    this.pending.delete(key);
    void this.announce(key, waiting?.kind === 'send' ? 'send' : kind);
  }

  private async announce(key: string, kind: StateChange['kind'], reread = false): Promise<void> {
    const known = this.known.get(key);
    if (!known) return;
    const previous = this.lastStatus.get(key);
    if (reread) this.infos.delete(key);
    // The stamp from before the read: a write that lands during it shows as a change to the sweep.
    const stamp = stateStamp(known.stateDir);
    try {
      const info = await this.info(known.uri);
      this.announced.set(key, stamp);
      this.stateChanged.fire({ uri: known.uri, kind, previous, status: info.stats.status, stats: info.stats });
    } catch {
      // The state folder is being rewritten: a failed read is not an announcement, so the sweep
      // finds the stamp changed and tries again.
    }
  }

  /**
   * A run that dies leaves its journal at `sending`; only the lease's heartbeat going stale tells,
   * and no file changes then. While any mailing is sending, re-read the states now and then.
   */
  private updatePolling(): void {
    const anySending = [...this.lastStatus.values()].some((status) => status === 'sending');
    if (anySending && !this.sendingPoll) {
      this.sendingPoll = setInterval(() => {
        for (const [key, status] of this.lastStatus) if (status === 'sending') void this.announce(key, 'send', true);
      }, this.pollMs());
    } else if (!anySending && this.sendingPoll) {
      clearInterval(this.sendingPoll);
      this.sendingPoll = undefined;
    }
  }

  dispose(): void {
    clearInterval(this.sweepTimer);
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    if (this.sendingPoll) clearInterval(this.sendingPoll);
    for (const { watcher } of this.roots.values()) watcher.dispose();
    this.roots.clear();
    for (const disposable of this.disposables) disposable.dispose();
  }
}
