// Which actions the page offers for a mailing and why one cannot be used now — decided here, on the
// host, from the confirm model, the send state and workspace trust; the page only shows it. The same
// rules are enforced again by the commands that run the actions (and by the core under its lease).
import type { ActionAvailability, ActionsView } from '../../protocol';
import type { ConfirmModel } from '../../core/index';

export interface AvailabilityInput {
  model: ConfirmModel;
  trusted: boolean;
  /** Localizes an English message with {0} placeholders (vscode.l10n.t on the host). */
  t: (message: string, ...args: (string | number)[]) => string;
}

const yes: ActionAvailability = { offered: true, enabled: true };
const hidden: ActionAvailability = { offered: false, enabled: false };
const no = (reason: string): ActionAvailability => ({ offered: true, enabled: false, reason });

export function actionAvailability({ model, trusted, t }: AvailabilityInput): ActionsView {
  const status = model.state.status;
  const errors = model.diagnostics.filter((d) => d.severity === 'error').length;
  const untrusted = t('Trust the workspace to send: Mailings does not send or schedule in an untrusted workspace.');
  const fixErrors = errors === 1 ? t('Fix the error first.') : t('Fix the {0} errors first.', errors);
  const confirmable = !trusted ? no(untrusted) : errors > 0 ? no(fixErrors) : yes;
  const testRecipients = model.mailing.test?.recipients.length ?? 0;
  return {
    sendTest: !trusted ? no(untrusted) : testRecipients === 0 ? no(t('Add test recipients first (test: recipients: [...]).')) : yes,
    // Send now and Schedule only from a draft (the seed: not once started, stopped or completed).
    sendNow: status === 'draft' ? confirmable : hidden,
    schedule: status === 'draft' ? confirmable : hidden,
    stop: status === 'scheduled' || status === 'sending' || status === 'missed' ? yes : hidden,
    // Start sends the confirmed snapshot, not the file: edits since then do not block it.
    start: status === 'scheduled' || status === 'stopped' || status === 'missed' ? (trusted ? yes : no(untrusted)) : hidden,
    exportCsv: status === 'draft' ? hidden : yes,
  };
}
