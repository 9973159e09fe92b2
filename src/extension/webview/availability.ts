// Which actions the page offers for a mailing and why one cannot be used now — decided here, on the
// host, from the confirm model, the send state and workspace trust; the page only shows it. The same
// rules are enforced again by the commands that run the actions (and by the core under its lease).
import type { ActionAvailability, ActionsView } from '../../protocol';
import type { ConfirmModel } from '../../core/index';

export interface AvailabilityInput {
  model: ConfirmModel;
  trusted: boolean;
  /** How many Reload and resend would reach now (previewResend), when the host counted it. */
  resendCount?: number;
  /** Localizes an English message with {0} placeholders (vscode.l10n.t on the host). */
  t: (message: string, ...args: (string | number)[]) => string;
}

const yes: ActionAvailability = { offered: true, enabled: true };
const hidden: ActionAvailability = { offered: false, enabled: false };
const no = (reason: string): ActionAvailability => ({ offered: true, enabled: false, reason });

export function actionAvailability({ model, trusted, t, resendCount }: AvailabilityInput): ActionsView {
  const status = model.state.status;
  // Already sent is red too, but the user may lift it: Send now and Schedule then ask to send again.
  const errors = model.diagnostics.filter((d) => d.severity === 'error' && d.data?.overridable !== 'again').length;
  const untrusted = t('Trust the workspace to send: Mailings does not send or schedule in an untrusted workspace.');
  const checkUntrusted = t('Trust the workspace to check: the check fetches the addresses and runs SpamAssassin on the message.');
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
    // The Inbox step's slow checks, while there is a message to check and it can still change.
    checkLinks: status !== 'draft' || !model.inbox ? hidden : !trusted ? no(checkUntrusted) : model.inbox.links.length === 0 ? no(t('The message has no links or images to check.')) : yes,
    checkSpamScore: status !== 'draft' || !model.inbox ? hidden : !trusted ? no(checkUntrusted) : yes,
    // Reload and resend (the seed): a completed or stopped mailing, to the rows it has not reached.
    resend:
      status !== 'completed' && status !== 'stopped'
        ? hidden
        : !trusted
          ? no(untrusted)
          : resendCount === 0
            ? no(t('Nothing to resend: every recipient was reached, and no rows were added.'))
            : yes,
  };
}
