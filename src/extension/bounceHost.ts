// The bounce mailbox, read by the extension host: every `mailings.bounces.pollMinutes` and on
// "Check the Bounce Mailbox Now", for each state root of the workspace's mailings that has mailing
// state (a confirmed mailing: only a sent message can bounce). The core's poller holds a lease per state root, so among several windows
// and `mailings run` / `mailings bounces` processes one reads the mailbox for a root at a time; the
// others find the lease held and skip that round without a word. One mailbox serves several roots
// (a multi-root workspace): each root's round handles the reports about its own mailings and leaves
// the rest unseen for the next.
//
// The account is machine-scoped (a cloned repository cannot point it elsewhere) and its password
// lives in SecretStorage only. Only in a trusted workspace. A timed round that fails says so once
// per kind of failure (then only in the log) so a mailbox that is down does not raise a toast every
// ten minutes; the command always says what happened.
import * as vscode from 'vscode';
import { type AppliedCounts, applyBounceNotice, BounceMailboxError, LeaseHeldError, pollBounceMailbox, workspaceLookup } from '../core/index';
import { ownerName } from './commands/send';
import { formatCount } from './format';
import type { MailingsLog } from './log';
import { imapAccount, type ImapPassword, readSettings, SECTION } from './settings';

export interface BounceRound {
  stateRoot: string;
  /** done: read; busy: another process was reading it for this root; failed: see message. */
  result: 'done' | 'busy' | 'failed';
  examined: number;
  handled: number;
  /** Reports about no mailing of this root, and messages that are no report: left unseen. */
  left: number;
  suppressed: number;
  softCounted: number;
  message?: string;
}

export type BouncePoll = { configured: false } | { configured: true; rounds: BounceRound[] };

export class BounceHost implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<BouncePoll> | undefined;
  private lastFailure: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** A round suppressed or counted something (the suppression list changed). */
  readonly onDidApply = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly password: ImapPassword,
    private readonly log: MailingsLog,
    /** The state roots to read the mailbox for. */
    private readonly roots: () => Promise<readonly string[]>,
  ) {
    this.subscriptions = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration((event) => event.affectsConfiguration(`${SECTION}.bounces`) && this.reschedule()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reschedule()),
      password.onDidChange(() => {
        this.lastFailure = undefined;
        this.reschedule();
      }),
    ];
    this.reschedule();
  }

  /** Reads the mailbox now (one round at a time: a call during a round gets that round). */
  poll(): Promise<BouncePoll> {
    this.running ??= this.pollRoots().finally(() => (this.running = undefined));
    return this.running;
  }

  private reschedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const minutes = readSettings().bounces.pollMinutes;
    if (!vscode.workspace.isTrusted || minutes <= 0) return;
    this.timer = setTimeout(() => {
      void this.poll()
        .then((outcome) => this.reportTimed(outcome))
        .finally(() => this.reschedule());
    }, minutes * 60_000);
  }

  private async pollRoots(): Promise<BouncePoll> {
    const account = await imapAccount(this.password);
    if (!account || !vscode.workspace.isTrusted) return { configured: false };
    const rounds: BounceRound[] = [];
    for (const stateRoot of await this.roots()) rounds.push(await this.pollRoot(stateRoot, account));
    return { configured: true, rounds };
  }

  private async pollRoot(stateRoot: string, account: NonNullable<Awaited<ReturnType<typeof imapAccount>>>): Promise<BounceRound> {
    const applied: AppliedCounts = { suppressed: 0, softCounted: 0, journaled: 0 };
    const round: BounceRound = { stateRoot, result: 'done', examined: 0, handled: 0, left: 0, suppressed: 0, softCounted: 0 };
    try {
      const counts = await pollBounceMailbox({
        account,
        stateRoot,
        lookup: await workspaceLookup(stateRoot),
        onReport: (notice) => applyBounceNotice(stateRoot, notice, applied, { softBounceLimit: readSettings().bounces.softBounceLimit }),
        owner: ownerName(),
      });
      Object.assign(round, { examined: counts.examined, handled: counts.handled, left: counts.unattributed + counts.unrecognised });
      this.log.info(
        `bounces: ${account.user}@${account.host}/${account.folder} for ${stateRoot}: ${counts.examined} unseen, ${counts.handled} handled (${counts.bounces} bounces, ${counts.delays} delays, ${counts.complaints} complaints, ${counts.autoReplies} automatic replies), ${applied.suppressed} suppressed, ${applied.softCounted} soft bounces counted, ${round.left} left in the mailbox`,
      );
    } catch (error) {
      if (error instanceof LeaseHeldError) {
        round.result = 'busy';
        round.message = error.message;
        this.log.info(`bounces: ${stateRoot}: ${error.message}`);
      } else if (error instanceof BounceMailboxError) {
        round.result = 'failed';
        round.message = error.message;
        this.log.warn(`bounces: ${error.code}: ${error.message}`);
      } else {
        round.result = 'failed';
        round.message = error instanceof Error ? error.message : String(error);
        this.log.error(`bounces: ${stateRoot}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    } finally {
      round.suppressed = applied.suppressed;
      round.softCounted = applied.softCounted;
      // Also after a failure part way: what was applied before it stays applied.
      if (applied.suppressed > 0 || applied.softCounted > 0 || applied.journaled > 0) this.changed.fire();
    }
    return round;
  }

  /** A timed round tells of a failure once per message; a success clears it. */
  private reportTimed(outcome: BouncePoll): void {
    if (!outcome.configured) return;
    const failed = outcome.rounds.find((round) => round.result === 'failed');
    if (!failed) {
      this.lastFailure = undefined;
      return;
    }
    if (failed.message === this.lastFailure) return;
    this.lastFailure = failed.message;
    void vscode.window.showWarningMessage(vscode.l10n.t('The bounce mailbox could not be read: {0}', failed.message ?? ''));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** One line for what a poll did, for the command's notification. */
export function describePoll(rounds: readonly BounceRound[]): string {
  const sum = (key: 'examined' | 'handled' | 'left' | 'suppressed' | 'softCounted') => rounds.reduce((total, round) => total + round[key], 0);
  return vscode.l10n.t(
    'Bounce mailbox read: {0} unseen, {1} handled; {2} suppressed, {3} soft bounces counted; {4} left in the mailbox.',
    formatCount(sum('examined')),
    formatCount(sum('handled')),
    formatCount(sum('suppressed')),
    formatCount(sum('softCounted')),
    formatCount(sum('left')),
  );
}
