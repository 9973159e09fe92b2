// Activation: wires the core's confirm model, send engine and scheduler into VS Code. Everything
// registered goes into context.subscriptions. Diagnostics work in every workspace; sending and
// scheduling only in a trusted one (package.json: untrustedWorkspaces "limited").
import * as vscode from 'vscode';
import { BounceHost } from './bounceHost';
import { MailingCodeLenses } from './codeLens';
import { InboxChecks } from './inboxChecks';
import { registerCommands } from './commands';
import { SendRuns } from './commands/sendRuns';
import { MailingCodeActions } from './language/codeActions';
import { MailingCompletion } from './language/completion';
import { MailingDiagnostics } from './language/diagnostics';
import { MailingHover } from './language/hover';
import { MailingDocumentLinks } from './language/links';
import { ReferenceWatcher } from './language/referenceWatcher';
import { createLog } from './log';
import { MAILING_SELECTOR } from './mailingFiles';
import { ConfirmModels } from './models';
import { SchedulerHost, withMailingState } from './schedulerHost';
import { logSendEvents } from './sendEventLog';
import type { Services } from './services';
import { ImapPassword, readSettings, seedPasswordForDevelopment, SECTION, SmtpPassword } from './settings';
import { MailingStates } from './state/mailingStates';
import { MailingsStatusBar } from './statusBar';
import { MailingsTree } from './view/mailingsTree';
import { suppressionRoots } from './view/suppressionNodes';
import { registerMailingsWebviews } from './webview/confirmPanel';
import { livePreviews, registerLivePreview } from './webview/previewPanel';

export interface MailingsApi {
  /** Milliseconds activate() took. */
  activationMs: number;
  services: Services;
  /** The Mailings view's data (tests read its nodes as the view shows them). */
  tree: MailingsTree;
  /** The open live previews (tests wait for their renders). */
  livePreviews: typeof livePreviews;
}

let schedulerHost: SchedulerHost | undefined;
let runs: SendRuns | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<MailingsApi> {
  const started = performance.now();
  const log = createLog();
  const password = new SmtpPassword(context.secrets);
  await seedPasswordForDevelopment(context, password);
  const models = new ConfirmModels();
  const states = new MailingStates(() => readSettings().pollMs);
  const diagnostics = new MailingDiagnostics(models, log);
  runs = new SendRuns();
  const inbox = new InboxChecks(models, log);
  const imapPassword = new ImapPassword(context.secrets);
  const bounces = new BounceHost(imapPassword, log, async () => withMailingState(suppressionRoots(await states.list())));
  const services: Services = { context, log, models, states, diagnostics, password, imapPassword, bounces, runs, inbox };

  const tree = new MailingsTree(states);
  const treeView = vscode.window.createTreeView('mailings.list', { treeDataProvider: tree, showCollapseAll: true, canSelectMany: true });
  tree.setVisible(treeView.visible);
  context.subscriptions.push(treeView.onDidChangeVisibility((event) => tree.setVisible(event.visible)));
  const codeLenses = new MailingCodeLenses(states);
  const completionSelector: vscode.DocumentSelector = [
    ...(MAILING_SELECTOR as vscode.DocumentFilter[]),
    { scheme: 'file', language: 'html' },
    { scheme: 'file', language: 'plaintext' },
  ];

  context.subscriptions.push(
    log,
    models,
    states,
    diagnostics,
    inbox,
    new ReferenceWatcher(models),
    logSendEvents(log),
    vscode.languages.registerCodeActionsProvider(completionSelector, new MailingCodeActions(models), MailingCodeActions.metadata),
    vscode.languages.registerCompletionItemProvider(completionSelector, new MailingCompletion(models), ...MailingCompletion.triggerCharacters),
    vscode.languages.registerHoverProvider(completionSelector, new MailingHover(models)),
    vscode.languages.registerDocumentLinkProvider(MAILING_SELECTOR, new MailingDocumentLinks(models)),
    vscode.languages.registerCodeLensProvider(MAILING_SELECTOR, codeLenses),
    codeLenses,
    tree,
    treeView,
    bounces,
    // A report suppressed someone: the list and the target-list summaries (suppressed) change.
    bounces.onDidApply(() => {
      tree.refresh();
      models.invalidate();
    }),
    new MailingsStatusBar(states),
    ...registerCommands(services, () => tree.refresh()),
    // A state change (here or in another window) can change diagnostics (test-not-sent,
    // changed-since-confirm) and what the Confirm panel shows: compared with the model itself, not
    // with the previous announcement, so a change no model has seen yet is never skipped.
    states.onDidChangeState((change) => {
      const state = models.latest(change.uri)?.state;
      const moment = change.status === 'scheduled' || change.status === 'missed' ? change.stats.scheduledAt : undefined;
      if (change.kind === 'test' || !state || state.status !== change.status || (moment !== undefined && state.scheduledAt !== moment)) models.invalidate(change.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.smtp`) || event.affectsConfiguration(`${SECTION}.schedule.workingHours`)) models.invalidate();
    }),
    // Trust lifts the confinement of reads to the open folders (models.ts): check again.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      models.invalidate();
      tree.refresh();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => vscode.workspace.isTrusted || models.invalidate()),
  );
  // The Confirm overview and Statistics panels (issue 6), restored after a reload by their serializer.
  registerMailingsWebviews(services);
  // The live preview beside the editor (issue 15), restored after a reload by its serializer.
  registerLivePreview(services);
  schedulerHost = new SchedulerHost(services);
  context.subscriptions.push({ dispose: () => void schedulerHost?.dispose() });

  const activationMs = Math.round(performance.now() - started);
  log.info(`Mailings activated in ${activationMs} ms (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'not trusted: no sending'})`);
  return { activationMs, services, tree, livePreviews };
}

/** Stops sends and the scheduler of this window; their journals let Start resume them later. */
export async function deactivate(): Promise<void> {
  runs?.abortAll();
  await schedulerHost?.dispose();
  schedulerHost = undefined;
}
