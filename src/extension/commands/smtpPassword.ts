// Set SMTP Password and Set Bounce Mailbox Password: stored in SecretStorage only (the OS keychain
// where there is one), never in a file or the log. An empty entry removes it.
import * as vscode from 'vscode';
import type { MailingsLog } from '../log';
import { readSettings, type StoredSecret } from '../settings';
import type { Services } from '../services';
import { done, refuse, type Outcome } from './outcome';

interface PasswordTexts {
  title: string;
  /** `user@host`, or what stands in for it while the account is not configured. */
  account: string;
  /** For the log: whose password it is. */
  what: string;
  removed: string;
  saved: string;
}

async function askPassword(secret: StoredSecret, log: MailingsLog, texts: PasswordTexts): Promise<Outcome> {
  const password = await vscode.window.showInputBox({
    title: texts.title,
    prompt: vscode.l10n.t('Password for {0}. It is kept in VS Code’s secret storage, never in a file. Leave empty to remove it.', texts.account),
    password: true,
    ignoreFocusOut: true,
  });
  if (password === undefined) return refuse('cancelled', vscode.l10n.t('The password was not changed.'));
  if (password === '') {
    await secret.delete();
    log.info(`${texts.what} password removed from secret storage`);
    void vscode.window.showInformationMessage(texts.removed);
    return done();
  }
  await secret.store(password);
  log.info(`${texts.what} password stored in secret storage for ${texts.account}`);
  void vscode.window.showInformationMessage(texts.saved);
  return done(texts.saved);
}

function accountText(host: string, user: string, none: string): string {
  return user && host ? `${user}@${host}` : host || none;
}

export function setSmtpPasswordCommand(services: Services): Promise<Outcome> {
  const { host, user } = readSettings().smtp;
  return askPassword(services.password, services.log, {
    title: vscode.l10n.t('Set SMTP Password'),
    account: accountText(host, user, vscode.l10n.t('(no SMTP server configured yet)')),
    what: 'SMTP',
    removed: vscode.l10n.t('SMTP password removed.'),
    saved: user ? vscode.l10n.t('SMTP password saved.') : vscode.l10n.t('SMTP password saved. Set mailings.smtp.user too, or the password is not used.'),
  });
}

export function setImapPasswordCommand(services: Services): Promise<Outcome> {
  const { host, user } = readSettings().bounces.imap;
  return askPassword(services.imapPassword, services.log, {
    title: vscode.l10n.t('Set Bounce Mailbox Password'),
    account: accountText(host, user, vscode.l10n.t('(no bounce mailbox configured yet)')),
    what: 'bounce mailbox',
    removed: vscode.l10n.t('Bounce mailbox password removed.'),
    saved: vscode.l10n.t('Bounce mailbox password saved.'),
  });
}
