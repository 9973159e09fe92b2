// CodeLens at the top of every mailing, by state (issue 5 item 3):
//   draft      Confirm… · Send test · Send now · Schedule…
//   scheduled  Scheduled to send at Fri 4 Dec 19:00 · Start now · Stop
//   sending    Sending 1,234 / 10,000 · Stop
//   stopped    Stopped at 1,234 / 10,000 · Start
//   completed  Completed: 9,990 sent, 10 failed · Statistics
//   missed     Missed: was due at … · Start now · Stop
// Refreshed when the mailing's state files change, in this window or another process.
import * as vscode from 'vscode';
import type { Statistics } from '../core/types';
import { COMMANDS } from './commands/ids';
import { describeMoment, formatCount } from './format';
import type { MailingStates } from './state/mailingStates';

export class MailingCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

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
    return lensesFor(info.stats, info.timezone, document.uri, vscode.workspace.isTrusted).map(
      ([title, command, tooltip]) => new vscode.CodeLens(range, { title, command, arguments: [document.uri], tooltip }),
    );
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

type Lens = [title: string, command: string, tooltip?: string];

/** The lenses of one state; in an untrusted workspace only those that neither send nor schedule. */
export function lensesFor(stats: Statistics, timezone: string, _uri: vscode.Uri, trusted: boolean): Lens[] {
  const t = vscode.l10n.t;
  const progress = `${formatCount(stats.sent + stats.failed)} / ${formatCount(stats.total)}`;
  const sends = (lens: Lens): Lens[] => (trusted ? [lens] : []);
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
        [`$(clock) ${t('Scheduled to send at {0}', stats.scheduledAt ? describeMoment(stats.scheduledAt, timezone) : '?')}`, COMMANDS.confirm],
        ...sends([t('Start now'), COMMANDS.start]),
        [t('Stop'), COMMANDS.stop, t('Unschedule: the mailing becomes a draft again')],
      ];
    case 'missed':
      return [
        [`$(warning) ${t('Missed: was due at {0}', stats.scheduledAt ? describeMoment(stats.scheduledAt, timezone) : '?')}`, COMMANDS.confirm],
        ...sends([t('Start now'), COMMANDS.start]),
        [t('Stop'), COMMANDS.stop, t('Unschedule: the mailing becomes a draft again')],
      ];
    // The waiting lens of its own ("Waiting for the window: Tue 18:00 · Stop") comes with the UI work.
    case 'waiting':
    case 'sending':
      return [
        [`$(sync~spin) ${t('Sending {0}', progress)}`, COMMANDS.showStatistics],
        [t('Stop'), COMMANDS.stop],
      ];
    case 'stopped':
      return [
        [`$(debug-pause) ${t('Stopped at {0}', progress)}`, COMMANDS.showStatistics, stats.stoppedReason],
        ...sends([t('Start'), COMMANDS.start, t('Resume sending: nobody is mailed twice')]),
      ];
    case 'completed':
      return [
        [`$(pass) ${t('Completed: {0} sent, {1} failed', formatCount(stats.sent), formatCount(stats.failed))}`, COMMANDS.showStatistics],
        [t('Statistics'), COMMANDS.showStatistics],
      ];
  }
}
