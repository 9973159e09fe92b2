// The scheduler runs in the extension host, one per state root that has mailing state: the roots of
// the workspace folders and of every mailing in them (stateRootFor: a mailing's state may lie
// outside every workspace folder, as when a subfolder is opened). A root gets one as soon as a
// mailing there is confirmed. A loose file opened from outside the workspace gets none: the window
// does not send what is not part of its workspace. Only in a trusted workspace. The core's Scheduler elects one leader among all windows and CLI processes
// and sends a mailing only under that mailing's lease, so several windows never send twice.
// Restarting a scheduler would stop the mailings it is sending, so a change of the SMTP settings or
// password updates its send context in place (read at each start); poll and grace settings take
// effect when the window is reloaded.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Scheduler, SCHEDULER_ACTIONS, type SchedulerEvent, type SendContext, stateRootOfFolder } from '../core/index';
import { COMMANDS } from './commands/ids';
import { ownerName } from './commands/send';
import { describeEvent } from './log';
import { stateRootFor } from './mailingFiles';
import { readSettings, smtpConfig, SECTION } from './settings';
import type { Services } from './services';

export class SchedulerHost implements vscode.Disposable {
  private schedulers: Scheduler[] = [];
  /** State roots a scheduler runs for. */
  private readonly served = new Set<string>();
  /** The send context each scheduler reads when it starts a mailing; updated in place. */
  private readonly contexts: SendContext[] = [];
  private readonly subscriptions: vscode.Disposable[];
  private restarting: Promise<void> = Promise.resolve();

  constructor(private readonly services: Services) {
    this.subscriptions = [
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.restart()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.restart()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${SECTION}.smtp`) || event.affectsConfiguration(`${SECTION}.bounces.softBounceLimit`)) void this.queue(() => this.refreshSmtp());
      }),
      services.password.onDidChange(() => void this.queue(() => this.refreshSmtp())),
      // The first state in a root (a mailing confirmed here or by the CLI) needs its scheduler.
      services.states.onDidChangeState((change) => {
        if (!vscode.workspace.getWorkspaceFolder(change.uri)) return;
        const root = path.resolve(stateRootFor(change.uri));
        if (vscode.workspace.isTrusted && !this.served.has(root)) void this.queue(() => this.startFor(root));
      }),
    ];
    this.restart();
  }

  get running(): boolean {
    return this.schedulers.length > 0;
  }


  restart(): Promise<void> {
    return this.queue(() => this.doRestart());
  }

  /** Runs scheduler changes one after the other. */
  private queue(work: () => Promise<void>): Promise<void> {
    this.restarting = this.restarting.then(work).catch((error) => {
      this.services.log.error(`scheduler: ${error instanceof Error ? error.message : String(error)}`);
    });
    return this.restarting;
  }

  private async doRestart(): Promise<void> {
    await this.stopAll();
    if (!vscode.workspace.isTrusted) {
      this.services.log.info('scheduler not started: the workspace is not trusted');
      return;
    }
    const roots = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) if (folder.uri.scheme === 'file') roots.add(path.resolve(stateRootOfFolder(folder.uri.fsPath)));
    for (const { uri } of await this.services.states.list()) if (vscode.workspace.getWorkspaceFolder(uri)) roots.add(path.resolve(stateRootFor(uri)));
    for (const root of roots) await this.startFor(root);
  }

  /** Starts the scheduler of one state root, if it has mailing state and none runs yet. */
  private async startFor(stateRoot: string): Promise<void> {
    if (this.served.has(stateRoot) || !vscode.workspace.isTrusted) return;
    if (!(await hasMailingState(stateRoot))) return;
    const settings = readSettings();
    const smtp = await smtpConfig(this.services.password, settings);
    const sendContext: SendContext = { stateRoot, owner: ownerName(), softBounceLimit: settings.bounces.softBounceLimit, ...(smtp ? { smtp } : {}) };
    this.contexts.push(sendContext);
    const scheduler = new Scheduler({
      actions: SCHEDULER_ACTIONS,
      stateRoot,
      sendContext,
      graceMs: settings.gracePeriodMs,
      pollMs: settings.pollMs,
      onEvent: (event) => this.onEvent(event),
    });
    await scheduler.start();
    this.schedulers.push(scheduler);
    this.served.add(stateRoot);
    this.services.log.info(`scheduler started for ${stateRoot} (poll ${settings.pollMs / 1000} s, grace ${settings.gracePeriodMs / 60000} min)`);
  }

  private async refreshSmtp(): Promise<void> {
    const settings = readSettings();
    const smtp = await smtpConfig(this.services.password, settings);
    for (const context of this.contexts) {
      context.softBounceLimit = settings.bounces.softBounceLimit;
      if (smtp) context.smtp = smtp;
      else delete context.smtp;
    }
  }

  private onEvent(event: SchedulerEvent): void {
    const { log } = this.services;
    const line = describeEvent(`scheduler: ${event.type}`, event);
    if (event.type === 'error' || event.type === 'stopped' || event.type === 'missed') log.warn(line);
    else log.info(line);
    if (event.type === 'missed') this.offerMissed(vscode.Uri.file(event.file));
    if (event.type === 'stopped') {
      void vscode.window.showWarningMessage(vscode.l10n.t('“{0}” stopped: {1}', vscode.workspace.asRelativePath(event.file), event.reason));
    }
  }

  private offerMissed(uri: vscode.Uri): void {
    const start = vscode.l10n.t('Start now');
    const reschedule = vscode.l10n.t('Reschedule…');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('“{0}” missed its scheduled time while VS Code was not running.', vscode.workspace.asRelativePath(uri)), start, reschedule)
      .then(async (picked) => {
        if (picked === start) await vscode.commands.executeCommand(COMMANDS.start, uri);
        if (picked === reschedule) {
          const stopped = await vscode.commands.executeCommand<{ ok: boolean }>(COMMANDS.stop, uri);
          if (stopped?.ok) await vscode.commands.executeCommand(COMMANDS.schedule, uri);
        }
      });
  }

  private async stopAll(): Promise<void> {
    const running = this.schedulers;
    this.schedulers = [];
    this.served.clear();
    this.contexts.length = 0;
    await Promise.all(running.map((scheduler) => scheduler.stop()));
  }

  async dispose(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.dispose();
    await this.restarting;
    await this.stopAll();
  }
}

/** Those of `roots` that hold mailing state (a mailing was confirmed there). */
export async function withMailingState(roots: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const root of roots) if (await hasMailingState(root)) found.push(root);
  return found;
}

async function hasMailingState(stateRoot: string): Promise<boolean> {
  try {
    return (await fs.stat(path.join(stateRoot, 'mailings'))).isDirectory();
  } catch {
    return false;
  }
}
