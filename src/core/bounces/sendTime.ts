// Bounces at send time: a recipient's final failure (the engine's `failed` event: a 5xx, or a 4xx
// retried until the attempts ran out) read with classifySmtpReply/finalOutcome. A hard bounce (the
// address does not exist) suppresses the address for every mailing of the workspace, with the reply
// as detail; a soft bounce (mailbox full, a 4xx exhausted) is counted (SoftBounces: suppressed after
// N of them, in as many mailings); any other failure is one of this mailing only. Each bounce is
// journaled as `bounced` (via smtp) AFTER the suppression list has it, so that a process killed in
// between leaves a `failed` event without its `bounced` one: `reconcile` at the start of the next
// run classifies those again and finishes the work (both steps are idempotent per address and
// mailing, so doing one twice changes nothing).
import * as path from 'node:path';
import type { BounceKind, Recipient } from '../types';
import type { JournalWriter } from '../state/journal';
import type { BouncedEvent, FailedEvent } from '../state/journalEvents';
import type { JournalFold } from '../state/journalFold';
import { forEachJournalEvent } from '../state/journalReader';
import { SoftBounces } from '../suppression/softBounces';
import { SuppressionList } from '../suppression/suppressionList';
import { oneLine } from './attribution';
import { classifySmtpReply, finalOutcome } from './smtpReply';

/** What a final failure's reply says of the address: a hard or soft bounce, or nothing (undefined). */
export function sendTimeBounceKind(reply: string): Extract<BounceKind, 'hard' | 'soft'> | undefined {
  const outcome = finalOutcome(classifySmtpReply(reply));
  return outcome === 'hard-bounce' ? 'hard' : outcome === 'soft-bounce' ? 'soft' : undefined;
}

export interface SendTimeBouncesOptions {
  stateRoot: string;
  /** The mailing's state folder (its name is the mailing's id in the suppression list). */
  stateDir: string;
  /** Every recipient of the mailing, by index. */
  recipients: readonly Recipient[];
  journal: JournalWriter;
  /** The run's fold, kept current with the bounces journaled. */
  fold: JournalFold;
  softBounceLimit?: number;
  now?: () => number;
}

export class SendTimeBounces {
  private readonly suppression: SuppressionList;
  private readonly softBounces: SoftBounces;
  private readonly mailing: string;
  private readonly now: () => number;
  private work: Promise<void> = Promise.resolve();
  /** Bounces whose suppression or journal line could not be written (the next run's reconcile retries them). */
  readonly errors: unknown[] = [];
  hard = 0;
  soft = 0;

  constructor(private readonly options: SendTimeBouncesOptions) {
    this.suppression = new SuppressionList(options.stateRoot);
    this.softBounces = new SoftBounces(options.stateRoot, this.suppression, { limit: options.softBounceLimit });
    this.mailing = path.basename(options.stateDir);
    this.now = options.now ?? Date.now;
  }

  /** The engine's outcome hook: failures are classified, bounces applied one after another. */
  readonly onOutcome = (event: { e: string; i: number; r: string }): void => {
    if (event.e !== 'failed') return;
    const kind = sendTimeBounceKind(event.r);
    if (!kind) return;
    const { i, r } = event;
    this.work = this.work.then(() => this.apply(i, kind, r)).catch((error: unknown) => void this.errors.push(error));
  };

  /** Resolves when every bounce seen so far is applied and journaled (before the run's last event). */
  settle(): Promise<void> {
    return this.work;
  }

  private async apply(i: number, kind: 'hard' | 'soft', reply: string): Promise<void> {
    const recipient = this.options.recipients[i];
    if (!recipient) return;
    const detail = oneLine(reply);
    if (kind === 'hard') {
      await this.suppression.add([{ address: recipient.email, reason: 'hard-bounce', mailing: this.mailing, detail }]);
      this.hard++;
    } else {
      await this.softBounces.record({ address: recipient.email, mailing: this.mailing, detail });
      this.soft++;
    }
    const event: BouncedEvent = { e: 'bounced', t: this.now(), i, k: kind, r: detail, via: 'smtp' };
    this.options.fold.apply(event);
    await this.options.journal.write(event);
  }

  /**
   * At the start of a run: the final failures of earlier runs whose bounce was never journaled (a
   * process killed between the two) are classified and applied now. Resolves once they are.
   */
  async reconcile(): Promise<number> {
    if (this.options.fold.failed === 0) return 0;
    const unrecorded = new Map<number, string>();
    await forEachJournalEvent(this.options.stateDir, (event) => {
      switch (event.e) {
        case 'confirmed':
          unrecorded.clear();
          return;
        case 'failed':
          unrecorded.set(event.i, (event as FailedEvent).r);
          return;
        case 'sending':
          unrecorded.delete(event.i);
          return;
        case 'bounced':
          if (event.via === 'smtp') unrecorded.delete(event.i);
          return;
        case 'resend':
          for (const i of event.retry) unrecorded.delete(i);
          return;
        default:
      }
    });
    let applied = 0;
    for (const [i, reply] of unrecorded) {
      if (!sendTimeBounceKind(reply)) continue;
      this.onOutcome({ e: 'failed', i, r: reply });
      applied++;
    }
    await this.settle();
    return applied;
  }
}
