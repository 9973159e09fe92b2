// "Check Links" and "Check Spam Score": the Inbox step's on-demand checks as commands (palette,
// Confirm page). They check the mailing as the editor shows it (saved or not: nothing is sent, so
// nothing needs to be on disk) and leave their findings in the Problems panel and on the Confirm
// page; the outcome's message is the check's summary line ("Links checked: 12 addresses: …").
import * as vscode from 'vscode';
import { type InboxResult, summaryLine } from '../../core/index';
import { formatter } from '../facts';
import { relativeLabel } from '../mailingFiles';
import type { Services } from '../services';
import { done, type Outcome, refuse } from './outcome';
import { targetMailing } from './target';

/** Both checks read what the workspace's files say and act on it (fetch, run SpamAssassin): not in Restricted Mode. */
function refuseUntrustedCheck(): Outcome | undefined {
  if (vscode.workspace.isTrusted) return undefined;
  return refuse('untrusted', vscode.l10n.t('Mailings checks links and spam scores only in a trusted workspace: the check fetches the addresses and runs SpamAssassin on the message.'), [
    { title: vscode.l10n.t('Manage Workspace Trust'), run: () => vscode.commands.executeCommand('workbench.trust.manage') },
  ]);
}

async function runCheck(services: Services, argument: unknown, placeHolder: string, title: (label: string) => string, check: (uri: vscode.Uri) => Promise<InboxResult>): Promise<Outcome> {
  const untrusted = refuseUntrustedCheck();
  if (untrusted) return untrusted;
  const uri = await targetMailing(argument, services.states, placeHolder);
  if (!uri) return refuse('no-mailing', vscode.l10n.t('Open a mailing file (*.mailing.yaml) first.'));
  let result: InboxResult;
  try {
    result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: title(relativeLabel(uri)) }, () => check(uri));
  } catch (error) {
    return refuse('failed', vscode.l10n.t('The check of “{0}” did not finish: {1}', relativeLabel(uri), error instanceof Error ? error.message : String(error)));
  }
  const model = await services.models.forUri(uri);
  const f = formatter(model.mailing.timezone);
  const summary = result.facts.map((fact) => summaryLine(fact, f)).join(' · ');
  const problems = result.diagnostics.filter((d) => d.severity !== 'info').length;
  const message = problems > 0 ? vscode.l10n.t('{0}. The findings are in the Problems panel.', summary) : `${summary}.`;
  void (problems > 0
    ? vscode.window.showWarningMessage(message, vscode.l10n.t('Show Problems')).then((picked) => picked && vscode.commands.executeCommand('workbench.actions.view.problems'))
    : vscode.window.showInformationMessage(message));
  return done(message);
}

export function checkLinksCommand(services: Services, argument?: unknown): Promise<Outcome> {
  return runCheck(
    services,
    argument,
    vscode.l10n.t('Check the links of which mailing?'),
    (label) => vscode.l10n.t('Checking the links and images of “{0}”…', label),
    (uri) => services.inbox.checkLinks(uri),
  );
}

export function checkSpamScoreCommand(services: Services, argument?: unknown): Promise<Outcome> {
  return runCheck(
    services,
    argument,
    vscode.l10n.t('Check the spam score of which mailing?'),
    (label) => vscode.l10n.t('Scoring “{0}” with SpamAssassin…', label),
    (uri) => services.inbox.scoreSpam(uri),
  );
}
