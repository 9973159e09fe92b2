// The suppression list in the Mailings view: one node per state root of the workspace's mailings
// (usually one: `.mailings/suppression.csv`), its addresses below it, newest first, each with its
// reason and date and the SMTP reply or report in the tooltip. The context menus (package.json, by
// contextValue) add, import, remove, clear a bounce flag and open the file. A list of tens of
// thousands shows its newest SHOWN_MAX and a row that opens the file for the rest.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SuppressionList, type SuppressionEntry, type SuppressionReason } from '../../core/index';
import { COMMANDS } from '../commands/ids';
import { formatCount, shortMoment } from '../format';
import { stateRootFor } from '../mailingFiles';
import type { MailingInfo } from '../state/mailingStates';

export const SHOWN_MAX = 500;

export class SuppressionListNode {
  constructor(
    readonly stateRoot: string,
    readonly entries: readonly SuppressionEntry[],
    /** Set when the list cannot be read (shown as the node's description, never as an empty list). */
    readonly error?: string,
    /** More than one root in the workspace: each node says which it is. */
    readonly named = false,
  ) {}

  get file(): string {
    return new SuppressionList(this.stateRoot).file;
  }
}

export class SuppressionEntryNode {
  constructor(
    readonly list: SuppressionListNode,
    readonly entry: SuppressionEntry,
  ) {}
  get stateRoot(): string {
    return this.list.stateRoot;
  }
  get address(): string {
    return this.entry.address;
  }
}

/** The row after the newest SHOWN_MAX addresses: opens the file. */
export class SuppressionMoreNode {
  constructor(
    readonly list: SuppressionListNode,
    readonly hidden: number,
  ) {}
}

export type SuppressionNode = SuppressionListNode | SuppressionEntryNode | SuppressionMoreNode;

export const BOUNCE_REASONS: readonly SuppressionReason[] = ['hard-bounce', 'soft-bounce'];

export function reasonTitle(reason: SuppressionReason): string {
  switch (reason) {
    case 'hard-bounce':
      return vscode.l10n.t('hard bounce');
    case 'soft-bounce':
      return vscode.l10n.t('soft bounces');
    case 'complaint':
      return vscode.l10n.t('complaint');
    case 'unsubscribe':
      return vscode.l10n.t('unsubscribed');
    case 'manual':
      return vscode.l10n.t('added by hand');
  }
}

/**
 * The state roots of the workspace's mailings (stateRootFor). In a workspace that is not trusted,
 * only those inside its folders: nothing outside the workspace is read there.
 */
export function suppressionRoots(mailings: readonly MailingInfo[]): string[] {
  const roots = new Set<string>();
  for (const { uri } of mailings) {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) continue;
    const root = path.resolve(stateRootFor(uri));
    if (!vscode.workspace.isTrusted && !isInside(root, folder.uri.fsPath)) continue;
    roots.add(root);
  }
  return [...roots].sort();
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(path.resolve(folder), file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export async function readSuppressionNode(stateRoot: string, named: boolean): Promise<SuppressionListNode> {
  try {
    const entries = [...(await new SuppressionList(stateRoot).list())].reverse();
    return new SuppressionListNode(stateRoot, entries, undefined, named);
  } catch (error) {
    return new SuppressionListNode(stateRoot, [], error instanceof Error ? error.message : String(error), named);
  }
}

export function suppressionChildren(node: SuppressionNode): SuppressionNode[] {
  if (!(node instanceof SuppressionListNode)) return [];
  const shown: SuppressionNode[] = node.entries.slice(0, SHOWN_MAX).map((entry) => new SuppressionEntryNode(node, entry));
  if (node.entries.length > SHOWN_MAX) shown.push(new SuppressionMoreNode(node, node.entries.length - SHOWN_MAX));
  return shown;
}

export function suppressionTreeItem(node: SuppressionNode): vscode.TreeItem {
  if (node instanceof SuppressionListNode) {
    const count = node.entries.length;
    const item = new vscode.TreeItem(vscode.l10n.t('Suppression list ({0})', formatCount(count)), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `suppression:${node.stateRoot}`;
    item.iconPath = new vscode.ThemeIcon('circle-slash', node.error ? new vscode.ThemeColor('errorForeground') : undefined);
    const where = vscode.workspace.asRelativePath(node.file);
    item.description = node.error ? vscode.l10n.t('cannot be read') : node.named ? where : undefined;
    item.tooltip = new vscode.MarkdownString(
      [
        `**${vscode.l10n.t('Suppression list')}** — ${where}`,
        node.error ?? vscode.l10n.t('Every mailing of this folder leaves these addresses out. Hard bounces and complaints are added as they come in.'),
      ].join('  \n'),
    );
    item.contextValue = 'suppression.list';
    return item;
  }
  if (node instanceof SuppressionMoreNode) {
    const item = new vscode.TreeItem(vscode.l10n.t('{0} more: open the file', formatCount(node.hidden)), vscode.TreeItemCollapsibleState.None);
    item.id = `suppression-more:${node.list.stateRoot}`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { title: vscode.l10n.t('Open the Suppression List File'), command: COMMANDS.openSuppressionFile, arguments: [node.list] };
    return item;
  }
  const { entry } = node;
  const item = new vscode.TreeItem(entry.address, vscode.TreeItemCollapsibleState.None);
  item.id = `suppressed:${node.stateRoot}:${entry.address.toLowerCase()}`;
  const bounce = BOUNCE_REASONS.includes(entry.reason);
  item.iconPath = new vscode.ThemeIcon(bounce ? 'mail-read' : entry.reason === 'complaint' ? 'report' : 'circle-slash');
  const when = entry.date ? shortMoment(entry.date) : '';
  item.description = [reasonTitle(entry.reason), when].filter(Boolean).join(' · ');
  const lines = [`**${entry.address}** — ${reasonTitle(entry.reason)}`];
  if (entry.date) lines.push(vscode.l10n.t('Since {0}', shortMoment(entry.date)));
  if (entry.mailing) lines.push(vscode.l10n.t('Mailing: {0}', entry.mailing));
  if (entry.detail) lines.push(entry.detail);
  const tooltip = new vscode.MarkdownString();
  lines.forEach((line, i) => (i === 0 ? tooltip.appendMarkdown(line) : tooltip.appendMarkdown('  \n').appendText(line)));
  item.tooltip = tooltip;
  // Only a bounce has a bounce flag to clear; a complaint or an unsubscribe is the person's wish.
  item.contextValue = bounce ? 'suppression.entry.bounce' : 'suppression.entry';
  return item;
}
