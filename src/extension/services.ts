// The long-lived parts of the extension that commands, views and panels share (built in activate).
import type * as vscode from 'vscode';
import type { InboxChecks } from './inboxChecks';
import type { MailingDiagnostics } from './language/diagnostics';
import type { MailingsLog } from './log';
import type { ConfirmModels } from './models';
import type { SendRuns } from './commands/sendRuns';
import type { BounceHost } from './bounceHost';
import type { ImapPassword, SmtpPassword } from './settings';
import type { MailingStates } from './state/mailingStates';

export interface Services {
  context: vscode.ExtensionContext;
  log: MailingsLog;
  models: ConfirmModels;
  states: MailingStates;
  diagnostics: MailingDiagnostics;
  password: SmtpPassword;
  /** The bounce mailbox's password. */
  imapPassword: ImapPassword;
  /** Reads the bounce mailbox (timed and on demand). */
  bounces: BounceHost;
  runs: SendRuns;
  /** The Inbox step's slow checks (spam score, link reachability), after a save and on demand. */
  inbox: InboxChecks;
}
