// Set SMTP Password: stored in SecretStorage only (the OS keychain where there is one). An empty
// entry removes it.
import * as vscode from 'vscode';
import { readSettings } from '../settings';
import type { Services } from '../services';
import { done, refuse, type Outcome } from './outcome';

export async function setSmtpPasswordCommand(services: Services): Promise<Outcome> {
  const { host, user } = readSettings().smtp;
  const account = user && host ? `${user}@${host}` : host || vscode.l10n.t('(no SMTP server configured yet)');
  const password = await vscode.window.showInputBox({
    title: vscode.l10n.t('Set SMTP Password'),
    prompt: vscode.l10n.t('Password for {0}. It is kept in VS Code’s secret storage, never in a file. Leave empty to remove it.', account),
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return refuse('cancelled', vscode.l10n.t('The password was not changed.'));
  if (password === '') {
    await services.password.delete();
    services.log.info('SMTP password removed from secret storage');
    void vscode.window.showInformationMessage(vscode.l10n.t('SMTP password removed.'));
    return done();
  }
  await services.password.store(password);
  services.log.info(`SMTP password stored in secret storage for ${account}`);
  const message = user ? vscode.l10n.t('SMTP password saved.') : vscode.l10n.t('SMTP password saved. Set mailings.smtp.user too, or the password is not used.');
  void vscode.window.showInformationMessage(message);
  return done(message);
}
