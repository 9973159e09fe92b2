// One status-bar item for the mailing that matters now: the one sending (with progress), else the
// next scheduled one (with its time). Hidden when there is neither. Click: its statistics.
import * as vscode from 'vscode';
import { COMMANDS } from './commands/ids';
import { absoluteMoment, describeMoment, formatCount } from './format';
import type { MailingInfo, MailingStates } from './state/mailingStates';

export class MailingsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('mailings.next', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];
  /** Updates run concurrently (each reads every mailing): only the latest one may set the item. */
  private updateSeq = 0;
  /** While a scheduled moment is shown, "in 3 minutes" is recomputed every minute. */
  private clock: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly states: MailingStates) {
    this.item.name = vscode.l10n.t('Mailings');
    this.subscriptions = [states.onDidChangeList(() => void this.update()), states.onDidChangeState(() => void this.update()), this.item];
    void this.update();
  }

  async update(): Promise<void> {
    const seq = ++this.updateSeq;
    const all = await this.states.list();
    if (seq !== this.updateSeq) return;
    if (this.clock) clearTimeout(this.clock);
    this.clock = undefined;
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
      // The whole moment: the CodeLens shows only "Scheduled Fri 19:00".
      this.item.text = `$(clock) ${shown.name}: ${absoluteMoment(stats.scheduledAt!, shown.timezone)}`;
      this.item.tooltip = `${shown.name} — ${vscode.l10n.t('Scheduled to send at {0}', describeMoment(stats.scheduledAt!, shown.timezone))}`;
      this.item.command = { title: '', command: COMMANDS.confirm, arguments: [shown.uri] };
      this.clock = setTimeout(() => void this.update(), 60_000);
    }
    this.item.show();
  }

  dispose(): void {
    if (this.clock) clearTimeout(this.clock);
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
