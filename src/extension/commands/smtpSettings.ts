// "Configure the SMTP server". The SMTP settings are machine-scoped (a cloned repository cannot
// redirect mail), and machine settings are kept where the extension runs: in a remote window
// (vscode.env.remoteName is set: code-server, SSH, WSL, dev containers) that is the remote side,
// which only the settings editor's Remote tab shows; its User tab finds "No Settings Found" there.
// So the command opens the Remote tab in a remote window and the User tab otherwise, searched for
// the SMTP settings, and says which one.
import * as vscode from 'vscode';
import { SECTION } from '../settings';
import { done, type Outcome } from './outcome';

export interface SettingsScope {
  /** The settings editor command that opens this scope's tab. */
  command: 'workbench.action.openRemoteSettings' | 'workbench.action.openGlobalSettings';
  /** The remote's name, in a remote window. */
  remote?: string;
}

/** Where a machine-scoped setting can be set in this window. */
export function machineSettingsScope(remoteName: string | undefined = vscode.env.remoteName): SettingsScope {
  return remoteName ? { command: 'workbench.action.openRemoteSettings', remote: remoteName } : { command: 'workbench.action.openGlobalSettings' };
}

export async function openSmtpSettingsCommand(): Promise<Outcome> {
  const scope = machineSettingsScope();
  await vscode.commands.executeCommand(scope.command, { query: `${SECTION}.smtp` });
  const message = scope.remote
    ? vscode.l10n.t('Set {0} in the Remote [{1}] settings (machine settings live where the extension runs).', `${SECTION}.smtp.host`, scope.remote)
    : vscode.l10n.t('Set {0} in the User settings.', `${SECTION}.smtp.host`);
  void vscode.window.showInformationMessage(message);
  return done(message);
}
