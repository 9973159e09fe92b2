// CodeLens at the top of every mailing, by state: the actions first, then the state in a few words,
// so Start now / Stop / Send now stay in reach in a narrow editor (the Confirm panel opens beside it,
// and lenses do not scroll). The whole moment is in the state lens's tooltip (and the status bar).
//   draft      Confirm… · Send test · Send now · Schedule…
//   scheduled  Start now · Stop · Scheduled Fri 19:00      (tooltip: Scheduled to send at Fri 4 Dec 2026 19:00 CET, in 3 days)
//   sending    Stop · Sending 1,234 / 10,000
//   stopped    Start · Stopped at 1,234 / 10,000           (tooltip: why)
//   completed  Statistics · Resend… · Completed: 9,990 sent, 10 failed, 3 bounced   (bounced when any)
//   missed     Start now · Stop · Missed Fri 19:00         (tooltip: Missed: was due at …)
// Refreshed when the mailing's state changes, in this window or another process, and every minute
// while a tooltip says "in 3 minutes".
import * as vscode from 'vscode';
import type { Statistics } from '../core/index';
import { COMMANDS } from './commands/ids';
import { absoluteMoment, describeMoment, formatCount, shortMoment } from './format';
import type { MailingStates } from './state/mailingStates';

export class MailingCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Set while a lens shows a moment relative to now: refreshes the lenses once a minute. */
  private clock: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly states: MailingStates) {
    this.subscriptions = [
      states.onDidChangeState(() => this.changed.fire()),
      states.onDidChangeList(() => this.changed.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      this.changed,
    ];
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const info = await this.states.info(document.uri);
    const range = new vscode.Range(0, 0, 0, 0);
    if (info.stats.scheduledAt && (info.stats.status === 'scheduled' || info.stats.status === 'missed')) this.tickInAMinute();
    return lensesFor(info.stats, info.timezone, document.uri, vscode.workspace.isTrusted).map(
      ([title, command, tooltip]) => new vscode.CodeLens(range, { title, command, arguments: [document.uri], tooltip }),
    );
  }

  private tickInAMinute(): void {
    if (this.clock) return;
    this.clock = setTimeout(() => {
      this.clock = undefined;
      this.changed.fire();
    }, 60_000);
  }

  dispose(): void {
    if (this.clock) clearTimeout(this.clock);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

type Lens = [title: string, command: string, tooltip?: string];

/** The lenses of one state, actions first; in an untrusted workspace only those that neither send nor schedule. */
export function lensesFor(stats: Statistics, timezone: string, _uri: vscode.Uri, trusted: boolean): Lens[] {
  const t = vscode.l10n.t;
  const progress = `${formatCount(stats.sent + stats.failed)} / ${formatCount(stats.total)}`;
  const sends = (lens: Lens): Lens[] => (trusted ? [lens] : []);
  const short = stats.scheduledAt ? shortMoment(stats.scheduledAt, timezone) : '?';
  const whole = stats.scheduledAt ? describeMoment(stats.scheduledAt, timezone) : '?';
  const stop: Lens = [t('Stop'), COMMANDS.stop, t('Unschedule: the mailing becomes a draft again')];
  switch (stats.status) {
    case 'draft':
      return [
        [t('$(checklist) Confirm…'), COMMANDS.confirm, t('Open the Confirm overview of this mailing')],
        ...sends([t('Send test'), COMMANDS.sendTest]),
        ...sends([t('Send now'), COMMANDS.sendNow]),
        ...sends([t('Schedule…'), COMMANDS.schedule]),
      ];
    case 'scheduled':
      return [
        ...sends([t('Start now'), COMMANDS.start, t('Start sending now instead of at the scheduled moment')]),
        stop,
        [`$(clock) ${t('Scheduled {0}', short)}`, COMMANDS.confirm, t('Scheduled to send at {0}', whole)],
      ];
    case 'missed':
      return [
        ...sends([t('Start now'), COMMANDS.start, t('Start sending now instead of at the scheduled moment')]),
        stop,
        [`$(warning) ${t('Missed {0}', short)}`, COMMANDS.confirm, t('Missed: was due at {0}', whole)],
      ];
    case 'waiting': {
      // What it waits for and until when, as a scheduled mailing shows its moment; Stop as while sending.
      const until = stats.waiting ? shortMoment(stats.waiting.until, timezone) : '?';
      const label = {
        window: t('Waiting for the window: {0}', until),
        wave: t('Waiting for the next wave: {0}', until),
        quota: t('Waiting for the quota: {0}', until),
        warmup: t('Waiting for the warm-up: {0}', until),
      }[stats.waiting?.reason ?? 'window'];
      return [
        [t('Stop'), COMMANDS.stop, t('Stop sending: Start resumes it, nobody is mailed twice')],
        [`$(watch) ${label}`, COMMANDS.showStatistics, stats.waiting ? t('Goes on by itself at {0}', describeMoment(stats.waiting.until, timezone)) : undefined],
      ];
    }
    case 'sending':
      return [
        [t('Stop'), COMMANDS.stop, t('Stop sending: Start resumes it, nobody is mailed twice')],
        [`$(sync~spin) ${t('Sending {0}', progress)}`, COMMANDS.showStatistics, t('Send status and statistics')],
      ];
    case 'stopped':
      return [
        ...sends([t('Start'), COMMANDS.start, t('Resume sending: nobody is mailed twice')]),
        [`$(debug-pause) ${t('Stopped at {0}', progress)}`, COMMANDS.showStatistics, stats.stoppedReason],
      ];
    case 'completed': {
      const bounced = stats.bounced ?? 0;
      const outcome =
        bounced > 0
          ? t('Completed: {0} sent, {1} failed, {2} bounced', formatCount(stats.sent), formatCount(stats.failed), formatCount(bounced))
          : t('Completed: {0} sent, {1} failed', formatCount(stats.sent), formatCount(stats.failed));
      return [
        [t('Statistics'), COMMANDS.showStatistics, t('Send status and statistics')],
        // The seed's "Reload and resend": the rows added since and those not reached, never a suppressed one.
        ...sends([t('Resend…'), COMMANDS.resend, t('Send to the rows added to the target list since, and to those not reached: never a suppressed address or a hard bounce')]),
        [
          `$(pass) ${outcome}`,
          COMMANDS.showStatistics,
          stats.finishedAt ? t('Completed at {0}', absoluteMoment(stats.finishedAt, timezone)) : undefined,
        ],
      ];
    }
  }
}
