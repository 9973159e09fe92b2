// The Mailings view (the seed's "Mailings tab"): every mailing of the workspace grouped by status,
// with counts and icons; a click opens the Confirm overview; the context menu offers the actions
// of the mailing's state (package.json matches `viewItem == mailing.<status>`). Below the groups, the
// suppression list of each state root (suppressionNodes.ts).
import { statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MailingStatus } from '../../core/index';
import { COMMANDS } from '../commands/ids';
import { describeMoment, formatCount } from '../format';
import { relativeLabel } from '../mailingFiles';
import type { MailingInfo, MailingStates } from '../state/mailingStates';
import { readSuppressionNode, SHOWN_MAX, suppressionChildren, SuppressionEntryNode, SuppressionListNode, SuppressionMoreNode, type SuppressionNode, suppressionRoots, suppressionTreeItem } from './suppressionNodes';

const ORDER: MailingStatus[] = ['sending', 'waiting', 'scheduled', 'missed', 'stopped', 'draft', 'completed'];

const ICONS: Record<MailingStatus, vscode.ThemeIcon> = {
  draft: new vscode.ThemeIcon('edit'),
  scheduled: new vscode.ThemeIcon('clock', new vscode.ThemeColor('charts.blue')),
  sending: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.green')),
  waiting: new vscode.ThemeIcon('watch', new vscode.ThemeColor('charts.blue')),
  stopped: new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('charts.orange')),
  completed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green')),
  missed: new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.red')),
};

export function statusTitle(status: MailingStatus): string {
  switch (status) {
    case 'draft':
      return vscode.l10n.t('Draft');
    case 'scheduled':
      return vscode.l10n.t('Scheduled');
    case 'sending':
      return vscode.l10n.t('Sending');
    case 'waiting':
      return vscode.l10n.t('Waiting');
    case 'stopped':
      return vscode.l10n.t('Stopped');
    case 'completed':
      return vscode.l10n.t('Completed');
    case 'missed':
      return vscode.l10n.t('Missed');
  }
}

export class StatusGroup {
  constructor(
    readonly status: MailingStatus,
    readonly mailings: MailingInfo[],
  ) {}
}

export class MailingItem {
  constructor(readonly info: MailingInfo) {}
  /** Commands given a tree item act on this mailing (see commands/target.ts). */
  get uri(): vscode.Uri {
    return this.info.uri;
  }
}

type Node = StatusGroup | MailingItem | SuppressionNode;

export class MailingsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private groups: StatusGroup[] = [];
  private lists: SuppressionListNode[] = [];
  /** describeShown() of the last load; undefined before the first. */
  private shown: string | undefined;
  private loading: Promise<void> | undefined;
  private reloadAfter = false;
  /** Whether the view is on screen (setVisible, from the TreeView). */
  private visible = false;
  /** State root -> the watcher of its suppression.csv (edited by the CLI, another window, a person). */
  private readonly suppressionWatchers = new Map<string, vscode.Disposable>();

  constructor(private readonly states: MailingStates) {
    this.subscriptions = [states.onDidChangeList(() => this.refresh()), states.onDidChangeState(() => this.refresh()), this.changed];
  }

  /**
   * Reads the view's content again and tells VS Code only when what it shows has changed. One
   * change reaches the view from several sources (the command that made it, the file watcher, the
   * state store), often a second apart; each needless refresh makes VS Code forget the nodes it
   * holds, and a node the user is expanding just then comes back collapsed, with no children.
   */
  refresh(): void {
    // A hidden view is not read at all (a sending mailing changes state often): it is stale, and
    // VS Code asks for it afresh when it is shown.
    if (!this.visible) {
      this.shown = undefined;
      this.changed.fire(undefined);
      return;
    }
    if (this.loading) {
      this.reloadAfter = true;
      return;
    }
    this.loading = (async () => {
      do {
        this.reloadAfter = false;
        const before = this.shown;
        await this.load();
        if (this.shown !== before) this.changed.fire(undefined);
      } while (this.reloadAfter);
    })()
      .catch(() => {
        // VS Code asks again and shows the error in the view (getChildren loads afresh).
        this.shown = undefined;
        this.changed.fire(undefined);
      })
      .finally(() => {
        this.loading = undefined;
      });
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node instanceof StatusGroup) return node.mailings.map((info) => new MailingItem(info));
    if (node instanceof SuppressionListNode) return suppressionChildren(node);
    if (node) return [];
    if (this.shown === undefined) await (this.loading ?? this.load());
    return [...this.groups, ...this.lists];
  }

  private async load(): Promise<void> {
    const all = await this.states.list();
    const groups = ORDER.map((status) => new StatusGroup(status, all.filter((info) => info.stats.status === status))).filter((group) => group.mailings.length > 0);
    const roots = suppressionRoots(all);
    this.watchSuppression(roots);
    const lists = await Promise.all(roots.map((root) => readSuppressionNode(root, roots.length > 1)));
    this.groups = groups;
    this.lists = lists;
    this.shown = this.describeShown();
  }

  /** What the view shows, as one string: the tree items of the groups, mailings and lists. */
  private describeShown(): string {
    const item = (node: Node) => {
      const { id, label, description, contextValue, tooltip, iconPath } = this.getTreeItem(node);
      return [id, label, description, contextValue, tooltip instanceof vscode.MarkdownString ? tooltip.value : tooltip, iconPath instanceof vscode.ThemeIcon ? iconPath.id : undefined];
    };
    return JSON.stringify([this.groups.map((group) => [item(group), group.mailings.map((info) => item(new MailingItem(info)))]), this.lists.map((list) => [item(list), list.entries.slice(0, SHOWN_MAX)])]);
  }

  /** The suppression list nodes of the last listing (commands pick a root from them). */
  get suppressionLists(): readonly SuppressionListNode[] {
    return this.lists;
  }

  private watchSuppression(roots: readonly string[]): void {
    for (const [root, watcher] of this.suppressionWatchers) {
      if (roots.includes(root)) continue;
      watcher.dispose();
      this.suppressionWatchers.delete(root);
    }
    for (const root of roots) {
      if (this.suppressionWatchers.has(root)) continue;
      // A folder that does not exist yet is watched from its parent (as mailingStates.ts does).
      const exists = statSync(root, { throwIfNoEntry: false })?.isDirectory() ?? false;
      const pattern = exists ? new vscode.RelativePattern(vscode.Uri.file(root), 'suppression.csv') : new vscode.RelativePattern(vscode.Uri.file(path.dirname(root)), `${path.basename(root)}/suppression.csv`);
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const changed = () => this.refresh();
      this.suppressionWatchers.set(root, vscode.Disposable.from(watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed)));
    }
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node instanceof SuppressionListNode || node instanceof SuppressionEntryNode || node instanceof SuppressionMoreNode) return suppressionTreeItem(node);
    if (node instanceof StatusGroup) {
      const item = new vscode.TreeItem(`${statusTitle(node.status)} (${formatCount(node.mailings.length)})`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${node.status}`;
      item.iconPath = ICONS[node.status];
      item.contextValue = `group.${node.status}`;
      return item;
    }
    const { info } = node;
    const item = new vscode.TreeItem(info.name, vscode.TreeItemCollapsibleState.None);
    item.id = `mailing:${info.uri.toString()}`;
    item.resourceUri = info.uri;
    item.iconPath = ICONS[info.stats.status];
    item.description = describeState(info);
    item.tooltip = new vscode.MarkdownString(`**${info.name}**  \n${relativeLabel(info.uri)}  \n${statusTitle(info.stats.status)}${item.description ? ` — ${item.description}` : ''}`);
    item.contextValue = `mailing.${info.stats.status}`;
    item.command = { title: vscode.l10n.t('Confirm…'), command: COMMANDS.confirm, arguments: [info.uri] };
    return item;
  }

  getParent(node: Node): Node | undefined {
    if (node instanceof MailingItem) return this.groups.find((group) => group.mailings.some((info) => info.uri.toString() === node.uri.toString()));
    if (node instanceof SuppressionEntryNode || node instanceof SuppressionMoreNode) return node.list;
    return undefined;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const watcher of this.suppressionWatchers.values()) watcher.dispose();
    this.suppressionWatchers.clear();
  }
}

/** The short state text beside a mailing: when it is due, how far it got, how it ended. */
export function describeState(info: MailingInfo): string {
  const { stats } = info;
  const progress = `${formatCount(stats.sent + stats.failed)} / ${formatCount(stats.total)}`;
  switch (stats.status) {
    case 'scheduled':
    case 'missed':
      return stats.scheduledAt ? describeMoment(stats.scheduledAt, info.timezone) : '';
    case 'waiting':
      return stats.waiting ? `${progress} · ${describeMoment(stats.waiting.until, info.timezone)}` : progress;
    case 'sending':
    case 'stopped':
      return progress;
    case 'completed':
      return vscode.l10n.t('{0} sent, {1} failed', formatCount(stats.sent), formatCount(stats.failed));
    default:
      return relativeLabel(info.uri);
  }
}
