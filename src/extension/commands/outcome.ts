// What every Mailings command returns: done, or refused with a reason code (and the message the user
// saw). Tests and other callers of `executeCommand` read it; people read the notification.
import * as vscode from 'vscode';

export type Refusal =
  | 'untrusted'
  | 'no-mailing'
  | 'has-errors'
  | 'wrong-state'
  | 'smtp-unconfigured'
  /** No bounce mailbox (mailings.bounces.imap.host and user). */
  | 'bounces-unconfigured'
  /** security none with a user, to a host that is not loopback, without mailings.smtp.allowPlainAuth. */
  | 'smtp-insecure'
  | 'cancelled'
  | 'failed'
  | 'invalid-input';

export type Outcome = { ok: true; message?: string } | { ok: false; reason: Refusal; message: string };

/** An Outcome, as `executeCommand` hands it back (typed unknown). */
export function isOutcome(x: unknown): x is Outcome {
  return typeof x === 'object' && x !== null && typeof (x as { ok?: unknown }).ok === 'boolean';
}

export const done = (message?: string): Outcome => (message === undefined ? { ok: true } : { ok: true, message });

/**
 * Tells the user why nothing happened (a notification with optional buttons, not awaited: a command
 * must not hang on a toast) and returns the refusal.
 */
export function refuse(reason: Refusal, message: string, buttons: { title: string; run: () => unknown }[] = []): Outcome {
  if (reason !== 'cancelled') {
    const show = reason === 'failed' || reason === 'has-errors' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    void Promise.resolve(show(message, ...buttons.map((b) => b.title))).then((picked) => buttons.find((b) => b.title === picked)?.run());
  }
  return { ok: false, reason, message };
}

/** Refuses commands that send or schedule in a workspace the user has not trusted. */
export function refuseUntrusted(): Outcome | undefined {
  if (vscode.workspace.isTrusted) return undefined;
  return refuse('untrusted', vscode.l10n.t('Mailings does not send or schedule in an untrusted workspace. Trust the workspace to send.'), [
    { title: vscode.l10n.t('Manage Workspace Trust'), run: () => vscode.commands.executeCommand('workbench.trust.manage') },
  ]);
}
