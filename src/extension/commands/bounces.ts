// The bounce mailbox's commands: Check the Bounce Mailbox Now (the poller's round, at once) and
// Configure the Bounce Mailbox (its machine-scoped settings, where this window keeps them: see
// smtpSettings.ts). Its password: smtpPassword.ts.
import * as vscode from 'vscode';
import { type BounceHost, describePoll } from '../bounceHost';
import { SECTION } from '../settings';
import { COMMANDS } from './ids';
import { done, refuse, refuseUntrusted, type Outcome } from './outcome';
import { machineSettingsScope } from './smtpSettings';

export async function checkBouncesCommand(bounces: BounceHost): Promise<Outcome> {
  const untrusted = refuseUntrusted();
  if (untrusted) return untrusted;
  const poll = await bounces.poll();
  if (!poll.configured) {
    return refuse('bounces-unconfigured', vscode.l10n.t('No bounce mailbox is configured: set {0} and {1}.', `${SECTION}.bounces.imap.host`, `${SECTION}.bounces.imap.user`), [
      { title: vscode.l10n.t('Configure the Bounce Mailbox'), run: () => vscode.commands.executeCommand(COMMANDS.openBounceSettings) },
    ]);
  }
  if (poll.rounds.length === 0) return refuse('invalid-input', vscode.l10n.t('No mailing of this workspace has been confirmed yet: no bounce can be about one of them.'));
  const failed = poll.rounds.find((round) => round.result === 'failed');
  if (failed) {
    return refuse('failed', vscode.l10n.t('The bounce mailbox could not be read: {0}', failed.message ?? ''), [
      { title: vscode.l10n.t('Configure the Bounce Mailbox'), run: () => vscode.commands.executeCommand(COMMANDS.openBounceSettings) },
      { title: vscode.l10n.t('Set Bounce Mailbox Password'), run: () => vscode.commands.executeCommand(COMMANDS.setImapPassword) },
    ]);
  }
  if (poll.rounds.every((round) => round.result === 'busy')) {
    const message = vscode.l10n.t('Another window or `mailings` process is reading the bounce mailbox for this workspace right now.');
    void vscode.window.showInformationMessage(message);
    return done(message);
  }
  const message = describePoll(poll.rounds);
  void vscode.window.showInformationMessage(message);
  return done(message);
}

export async function openBounceSettingsCommand(): Promise<Outcome> {
  const scope = machineSettingsScope();
  await vscode.commands.executeCommand(scope.command, { query: `${SECTION}.bounces` });
  const message = scope.remote
    ? vscode.l10n.t('Set {0} in the Remote [{1}] settings (machine settings live where the extension runs).', `${SECTION}.bounces.imap.host`, scope.remote)
    : vscode.l10n.t('Set {0} in the User settings.', `${SECTION}.bounces.imap.host`);
  void vscode.window.showInformationMessage(message);
  return done(message);
}
