// One status-bar item for the mailing that matters now: the one sending (with progress), else the
// next scheduled one (with its time). Hidden when there is neither. Click: its statistics.
import * as vscode from 'vscode';
import { COMMANDS } from './commands/ids';
import { describeMoment, formatCount } from './format';
import type { MailingInfo, MailingStates } from './state/mailingStates';

export class MailingsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mailings.next', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly states: MailingStates) {
    this.item.name = vscode.l10n.t('Mailings');
    this.subscriptions = [states.onDidChangeList(() => void this.update()), states.onDidChangeState(() => void this.update()), this.item];
    void this.update();
  }

  async update(): Promise<void> {
    const all = await this.states.list();
    const sending = all.find((info) => info.stats.status === 'sending');
    const next = all
      .filter((info) => info.stats.status === 'scheduled' && info.stats.scheduledAt)
      .sort((a, b) => (a.stats.scheduledAt ?? '').localeCompare(b.stats.scheduledAt ?? ''))[0];
    const shown: MailingInfo | undefined = sending ?? next;
    if (!shown) {
      this.item.hide();
      return;
    }
    const stats = shown.stats;
    if (sending) {
      this.item.text = `$(sync~spin) ${shown.name}: ${formatCount(stats.sent + stats.failed)} / ${formatCount(stats.total)}`;
      this.item.tooltip = vscode.l10n.t('Sending {0}', shown.name);
      this.item.command = { title: '', command: COMMANDS.showStatistics, arguments: [shown.uri] };
    } else {
      const when = describeMoment(stats.scheduledAt!, shown.timezone);
      this.item.text = `$(clock) ${shown.name}: ${when.split(',')[0]}`;
      this.item.tooltip = `${shown.name} — ${vscode.l10n.t('Scheduled to send at')} ${when}`;
      this.item.command = { title: '', command: COMMANDS.confirm, arguments: [shown.uri] };
    }
    this.item.show();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
