// The Inbox step's slow checks in the editor: the spam score (the real SpamAssassin, local rules
// only) after a save and on demand, and link reachability on demand. Neither ever runs while the
// user types: both work on a model the core has already built and run in a child process or over
// the network, and their results go back into the models (ConfirmModels.setInboxResult), so the
// Problems panel and the Confirm page show them like any other diagnostic.
//
// One run per mailing and check at a time: a save during a run is scored once that run ends (the
// newest content wins; nothing queues up behind a slow SpamAssassin).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkMailingLinks, type ConfirmModel, type InboxResult, scoreMailingSpam } from '../core/index';
import type { MailingsLog } from './log';
import { isMailingUri } from './mailingFiles';
import type { ConfirmModels, InboxCheck } from './models';
import { readSettings } from './settings';

/** Per request of the link check (the CLI's default too). */
const LINK_TIMEOUT_MS = 10_000;

interface Running {
  promise: Promise<InboxResult>;
  /** Asked again while running: run once more when this run ends. */
  again: boolean;
}

export class InboxChecks implements vscode.Disposable {
  private readonly running = new Map<string, Running>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly models: ConfirmModels,
    private readonly log: MailingsLog,
  ) {
    this.disposables.push(vscode.workspace.onDidSaveTextDocument((document) => this.saved(document)));
  }

  /** SpamAssassin's score of the mailing's message for its first recipient (the editor's text). */
  scoreSpam(uri: vscode.Uri): Promise<InboxResult> {
    return this.run(uri, 'spam', (model) => scoreMailingSpam(model, { command: readSettings().inbox.spamAssassin }));
  }

  /** Fetches every distinct link and image address of the mailing's message once. */
  checkLinks(uri: vscode.Uri): Promise<InboxResult> {
    return this.run(uri, 'links', (model) => checkMailingLinks(model, { timeoutMs: LINK_TIMEOUT_MS, includeLocal: readSettings().inbox.checkLocalLinks }));
  }

  /**
   * A saved mailing, or a saved file that mailings use (their HTML): scored again, when the setting
   * asks for it and the workspace is trusted (Restricted Mode runs no program on its files).
   */
  private saved(document: vscode.TextDocument): void {
    if (!vscode.workspace.isTrusted || !readSettings().inbox.spamOnSave) return;
    const mailings = isMailingUri(document.uri) ? [document.uri] : this.models.referencing(document.uri.fsPath).map((model) => vscode.Uri.file(model.file));
    for (const uri of mailings) {
      void this.scoreSpam(uri).catch((error) => this.log.warn(`spam score of ${uri.fsPath} after a save: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  private run(uri: vscode.Uri, check: InboxCheck, score: (model: ConfirmModel) => Promise<InboxResult>): Promise<InboxResult> {
    const key = `${check} ${uri.toString()}`;
    const current = this.running.get(key);
    if (current) {
      current.again = true;
      // The caller gets the run that sees the content as it is now.
      return current.promise.then(() => this.running.get(key)?.promise ?? this.run(uri, check, score));
    }
    const entry = { again: false } as Running;
    entry.promise = (async () => {
      try {
        const model = await this.models.forUri(uri);
        const started = performance.now();
        const result = await score(model);
        this.log.info(`${check === 'spam' ? 'spam score' : 'link check'} of ${path.basename(uri.fsPath)}: ${Math.round(performance.now() - started)} ms, ${result.diagnostics.length} finding(s)`);
        this.models.setInboxResult(uri, check, result);
        return result;
      } finally {
        if (this.running.get(key) === entry) this.running.delete(key);
        if (entry.again) void this.run(uri, check, score).catch(() => undefined);
      }
    })();
    this.running.set(key, entry);
    return entry.promise;
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
