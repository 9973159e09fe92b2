// An action refused, as an error: the refusal fact (its words in English and Dutch are in
// refusals.ts), the state the mailing was found in, and who holds it when that is the reason. Below
// the actions so that the scheduler, which is given the actions, can tell a refusal from a fault.
import { Formatter } from './format';
import { renderRefusal, type RefusalArgs } from './refusals';
import type { LeaseInfo, MailingStatus } from '../types';

export type MailingActionErrorCode =
  /** The confirm model has errors (listed in the message). */
  | 'has-errors'
  /** The action is not allowed in the mailing's current state. */
  | 'wrong-state'
  /** Another live process holds the mailing's lease (`holder` says who). */
  | 'leased'
  /** transport: smtp but the context has no SMTP configuration. */
  | 'no-smtp'
  /** security none with a user, to a host that is not loopback, without the explicit allowance. */
  | 'plain-auth-refused'
  /** A test send without `test.recipients`. */
  | 'no-test-recipients'
  /** A test message was not delivered (the reply is in the message). */
  | 'test-failed'
  /** scheduleMailing with an invalid or past instant. */
  | 'invalid-time'
  /** The other process did not stop in time. */
  | 'stop-timeout'
  /** The state folder is inconsistent: the snapshot is not the one the journal confirmed. */
  | 'state-mismatch';

/**
 * An action refused: the fact (`refusal`, with its words in English and Dutch in facts/refusals.ts),
 * the state the mailing was found in, and who holds it when that is the reason. The message is the
 * English text, for logs; faces render the refusal in the user's language.
 */
export class MailingActionError extends Error {
  readonly code: MailingActionErrorCode;
  constructor(
    readonly refusal: RefusalArgs,
    /** The state the mailing was found in. */
    readonly status: MailingStatus,
    /** The mailing file it is about. */
    readonly file: string,
    readonly holder?: LeaseInfo,
  ) {
    super(renderRefusal(refusal, new Formatter('en', { timezone: 'UTC', now: new Date() }), file));
    this.code = refusal.code;
    this.name = 'MailingActionError';
  }
}
