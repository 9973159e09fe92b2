// Registers every Mailings command (category "Mailings" in package.json). Each returns an Outcome.
import * as vscode from 'vscode';
import { showConfirmOverview, showStatistics } from '../panels';
import { openPreviewToSide } from '../webview/previewPanel';
import type { Services } from '../services';
import { COMMANDS } from './ids';
import { checkBouncesCommand, openBounceSettingsCommand } from './bounces';
import { checkLinksCommand, checkSpamScoreCommand } from './inboxChecks';
import { newMailingCommand } from './newMailing';
import { done, isOutcome, refuse, type Outcome } from './outcome';
import { scheduleCommand } from './schedule';
import { resendCommand, sendNowCommand, sendTestCommand, startCommand, stopCommand } from './send';
import { setImapPasswordCommand, setSmtpPasswordCommand } from './smtpPassword';
import { addSuppressionCommand, clearBounceFlagCommand, importSuppressionCommand, openSuppressionFileCommand, removeSuppressionCommand } from './suppression';
import { openSmtpSettingsCommand } from './smtpSettings';
import { targetMailing } from './target';
import { validateWorkspaceCommand } from './validateWorkspace';

export function registerCommands(services: Services, refreshView: () => void): vscode.Disposable[] {
  const openPanel = (show: typeof showConfirmOverview, placeHolder: string) => async (argument?: unknown): Promise<Outcome> => {
    const uri = await targetMailing(argument, services.states, placeHolder);
    if (!uri) return refuse('no-mailing', vscode.l10n.t('Open a mailing file (*.mailing.yaml) first.'));
    await show(uri);
    return done();
  };
  // Every refusal and failure is in the Mailings log too: a notification goes away, the log stays.
  const register = (id: string, handler: (...args: unknown[]) => unknown) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        const outcome = await handler(...args);
        if (isOutcome(outcome) && !outcome.ok && outcome.reason !== 'cancelled') services.log.warn(`${id}: not done (${outcome.reason}): ${outcome.message}`);
        return outcome;
      } catch (error) {
        services.log.error(`${id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        throw error;
      }
    });
  return [
    register(COMMANDS.confirm, openPanel(showConfirmOverview, vscode.l10n.t('Which mailing do you want to confirm?'))),
    register(COMMANDS.openPreviewToSide, async (argument?: unknown): Promise<Outcome> => {
      // The editor title passes the file shown; the palette and the keybinding, nothing: the active editor's.
      const uri = argument instanceof vscode.Uri ? argument : vscode.window.activeTextEditor?.document.uri;
      if (!uri || uri.scheme !== 'file') return refuse('no-mailing', vscode.l10n.t('Open a mailing file (*.mailing.yaml) or its content file first.'));
      const panel = await openPreviewToSide(uri);
      return panel ? done() : refuse('cancelled', vscode.l10n.t('No preview was opened.'));
    }),
    register(COMMANDS.showStatistics, openPanel(showStatistics, vscode.l10n.t('Statistics of which mailing?'))),
    register(COMMANDS.sendTest, (argument) => sendTestCommand(services, argument)),
    register(COMMANDS.sendNow, (argument) => sendNowCommand(services, argument)),
    register(COMMANDS.schedule, (argument, when) => scheduleCommand(services, argument, when)),
    register(COMMANDS.start, (argument) => startCommand(services, argument)),
    register(COMMANDS.checkLinks, (argument) => checkLinksCommand(services, argument)),
    register(COMMANDS.checkSpamScore, (argument) => checkSpamScoreCommand(services, argument)),
    register(COMMANDS.stop, (argument) => stopCommand(services, argument)),
    register(COMMANDS.resend, (argument, options) => resendCommand(services, argument, options)),
    register(COMMANDS.setSmtpPassword, () => setSmtpPasswordCommand(services)),
    register(COMMANDS.validateWorkspace, () => validateWorkspaceCommand(services)),
    register(COMMANDS.newMailing, (argument, name, format) => newMailingCommand(argument, name, format)),
    register(COMMANDS.openSmtpSettings, () => openSmtpSettingsCommand()),
    register(COMMANDS.showLog, () => services.log.show()),
    register(COMMANDS.checkBounces, () => checkBouncesCommand(services.bounces)),
    register(COMMANDS.setImapPassword, () => setImapPasswordCommand(services)),
    register(COMMANDS.openBounceSettings, () => openBounceSettingsCommand()),
    register(COMMANDS.addSuppression, (argument, addresses) => addSuppressionCommand(services, refreshView, argument, addresses)),
    register(COMMANDS.removeSuppression, (argument, selected) => removeSuppressionCommand(services, refreshView, argument, selected)),
    register(COMMANDS.clearBounceFlag, (argument, address) => clearBounceFlagCommand(services, refreshView, argument, address)),
    register(COMMANDS.importSuppression, (argument, file) => importSuppressionCommand(services, refreshView, argument, file)),
    register(COMMANDS.openSuppressionFile, (argument) => openSuppressionFileCommand(services, argument)),
    register(COMMANDS.refreshView, async () => {
      await services.states.rescan();
      refreshView();
    }),
  ];
}
