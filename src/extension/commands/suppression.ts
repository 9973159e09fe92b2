// The suppression list's commands (the Mailings view's context menus and the palette): add
// addresses, import a CSV, remove (with Undo: the rows come back as they were), clear a bounce flag
// (soft-bounce counts and a bounce suppression go; a complaint or unsubscribe stays) and open the
// file. Each acts on one state root: the node's, the given mailing's, else the only one or a pick.
// The list changes what every mailing sends, so the Confirm models are checked again afterwards.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { importSuppressions, SoftBounces, SuppressionError, SuppressionImportError, SuppressionList, type SuppressionEntry } from '../../core/index';
import { formatCount } from '../format';
import { isMailingUri, relativeLabel, stateRootFor } from '../mailingFiles';
import type { Services } from '../services';
import { reasonTitle, suppressionRoots } from '../view/suppressionNodes';
import { done, refuse, refuseUntrusted, type Outcome } from './outcome';

/** Anything that names a state root: a suppression node (list or entry), `{ stateRoot }`, a mailing. */
interface HasStateRoot {
  stateRoot: string;
}

function rootOf(argument: unknown): string | undefined {
  if (argument && typeof argument === 'object' && typeof (argument as HasStateRoot).stateRoot === 'string') return path.resolve((argument as HasStateRoot).stateRoot);
  if (argument instanceof vscode.Uri && isMailingUri(argument)) return path.resolve(stateRootFor(argument));
  return undefined;
}

/** The addresses an argument carries: an entry node (`address`), a string, or a list of them. */
function addressesOf(...values: unknown[]): string[] {
  const found: string[] = [];
  const take = (value: unknown) => {
    if (typeof value === 'string') found.push(...value.split(/[\s,;]+/));
    else if (Array.isArray(value)) value.forEach(take);
    else if (value && typeof value === 'object' && typeof (value as { address?: unknown }).address === 'string') found.push((value as { address: string }).address);
  };
  values.forEach(take);
  const seen = new Set<string>();
  return found.map((a) => a.trim()).filter((a) => a !== '' && !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()));
}

async function pickRoot(services: Services, argument: unknown): Promise<string | undefined> {
  const given = rootOf(argument);
  if (given) return given;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isMailingUri(active) && vscode.workspace.getWorkspaceFolder(active)) return path.resolve(stateRootFor(active));
  const roots = suppressionRoots(await services.states.list());
  if (roots.length <= 1) return roots[0];
  const picked = await vscode.window.showQuickPick(
    roots.map((root) => ({ label: relativeLabel(vscode.Uri.file(path.join(root, 'suppression.csv'))), root })),
    { placeHolder: vscode.l10n.t('Which suppression list?') },
  );
  return picked?.root;
}

const noRoot = () => refuse('no-mailing', vscode.l10n.t('There is no suppression list yet: it belongs to a folder with mailings (*.mailing.yaml).'));

function changed(services: Services, refreshView: () => void): void {
  services.models.invalidate();
  refreshView();
}

export async function addSuppressionCommand(services: Services, refreshView: () => void, argument?: unknown, given?: unknown): Promise<Outcome> {
  const untrusted = refuseUntrusted();
  if (untrusted) return untrusted;
  const root = await pickRoot(services, argument);
  if (!root) return noRoot();
  let addresses = addressesOf(given);
  if (addresses.length === 0) {
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Add to the Suppression List'),
      prompt: vscode.l10n.t('Addresses no mailing may reach, separated by commas or spaces.'),
      placeHolder: 'piet@klant.example, an@klant.example',
      ignoreFocusOut: true,
    });
    if (typed === undefined) return refuse('cancelled', vscode.l10n.t('Nothing was added.'));
    addresses = addressesOf(typed);
    if (addresses.length === 0) return refuse('cancelled', vscode.l10n.t('Nothing was added.'));
  }
  const list = new SuppressionList(root);
  try {
    const { added, already } = await list.add(addresses.map((address) => ({ address, reason: 'manual' })));
    changed(services, refreshView);
    services.log.info(`suppression ${list.file}: ${added.length} added by hand, ${already.length} listed already`);
    const message = vscode.l10n.t('{0} added to the suppression list, {1} listed already.', formatCount(added.length), formatCount(already.length));
    void vscode.window.showInformationMessage(message);
    return done(message);
  } catch (error) {
    if (error instanceof SuppressionError) return refuse('invalid-input', vscode.l10n.t('Nothing was added: {0}', error.message));
    throw error;
  }
}

export async function removeSuppressionCommand(services: Services, refreshView: () => void, argument?: unknown, selected?: unknown): Promise<Outcome> {
  const untrusted = refuseUntrusted();
  if (untrusted) return untrusted;
  const root = await pickRoot(services, argument);
  if (!root) return noRoot();
  const list = new SuppressionList(root);
  // From the view: the clicked row and the others selected with it.
  let addresses = addressesOf(Array.isArray(selected) && selected.length > 0 ? selected : argument);
  if (addresses.length === 0) {
    const entries = await list.list();
    if (entries.length === 0) return refuse('invalid-input', vscode.l10n.t('The suppression list is empty.'));
    const picked = await vscode.window.showQuickPick(
      entries.map((entry) => ({ label: entry.address, description: entry.reason, detail: entry.detail || undefined })),
      { canPickMany: true, matchOnDescription: true, placeHolder: vscode.l10n.t('Which addresses may be mailed again?') },
    );
    if (!picked || picked.length === 0) return refuse('cancelled', vscode.l10n.t('Nothing was removed.'));
    addresses = picked.map((item) => item.label);
  }
  const removed = await list.remove(addresses);
  changed(services, refreshView);
  if (removed.length === 0) return refuse('invalid-input', vscode.l10n.t('None of these addresses is on the suppression list.'));
  services.log.info(`suppression ${list.file}: removed ${removed.map((entry) => `${entry.address} (${entry.reason})`).join(', ')}`);
  const message =
    removed.length === 1
      ? vscode.l10n.t('{0} removed from the suppression list: mailings can reach it again.', removed[0].address)
      : vscode.l10n.t('{0} addresses removed from the suppression list: mailings can reach them again.', formatCount(removed.length));
  offerUndo(services, refreshView, list, removed, message);
  return done(message);
}

/** Undo puts the removed rows back as they were (reason, date, mailing, detail). */
function offerUndo(services: Services, refreshView: () => void, list: SuppressionList, removed: SuppressionEntry[], message: string): void {
  const undo = vscode.l10n.t('Undo');
  void Promise.resolve(vscode.window.showInformationMessage(message, undo)).then(async (picked) => {
    if (picked !== undo) return;
    await list.add(removed.map((entry) => ({ address: entry.address, reason: entry.reason, mailing: entry.mailing, detail: entry.detail, date: new Date(entry.date) })));
    changed(services, refreshView);
  });
}

export async function clearBounceFlagCommand(services: Services, refreshView: () => void, argument?: unknown, given?: unknown): Promise<Outcome> {
  const untrusted = refuseUntrusted();
  if (untrusted) return untrusted;
  const root = await pickRoot(services, argument);
  if (!root) return noRoot();
  let address: string | undefined = addressesOf(given ?? argument)[0];
  if (!address) {
    const typed = await vscode.window.showInputBox({
      title: vscode.l10n.t('Clear Bounce Flag'),
      prompt: vscode.l10n.t('The address whose bounces are forgotten: its soft-bounce count and a bounce suppression go; a complaint or unsubscribe stays.'),
      ignoreFocusOut: true,
    });
    address = typed?.trim();
    if (!address) return refuse('cancelled', vscode.l10n.t('No bounce flag was cleared.'));
  }
  const suppression = new SuppressionList(root);
  const { softBouncesCleared, suppressionRemoved } = await new SoftBounces(root, suppression).clearBounceFlag(address);
  changed(services, refreshView);
  if (softBouncesCleared === 0 && suppressionRemoved.length === 0) {
    const kept = (await suppression.read()).get(address);
    return refuse(
      'invalid-input',
      kept
        ? vscode.l10n.t('{0} has no bounce flag: it is suppressed as {1}, which only removing it lifts.', address, reasonTitle(kept.reason))
        : vscode.l10n.t('{0} has no bounces recorded.', address),
    );
  }
  services.log.info(`suppression ${suppression.file}: bounce flag of ${address} cleared (${softBouncesCleared} soft bounces, ${suppressionRemoved.length} suppressions)`);
  const message = vscode.l10n.t('Bounce flag of {0} cleared: {1} soft bounces forgotten, {2}.', address, formatCount(softBouncesCleared), suppressionRemoved.length > 0 ? vscode.l10n.t('no longer suppressed') : vscode.l10n.t('it was not suppressed'));
  void vscode.window.showInformationMessage(message);
  return done(message);
}

export async function importSuppressionCommand(services: Services, refreshView: () => void, argument?: unknown, given?: unknown): Promise<Outcome> {
  const untrusted = refuseUntrusted();
  if (untrusted) return untrusted;
  const root = await pickRoot(services, argument);
  if (!root) return noRoot();
  let file = given instanceof vscode.Uri ? given : typeof given === 'string' ? vscode.Uri.file(given) : undefined;
  if (!file) {
    const picked = await vscode.window.showOpenDialog({
      title: vscode.l10n.t('Import Unsubscribes'),
      openLabel: vscode.l10n.t('Import'),
      canSelectMany: false,
      filters: { CSV: ['csv'] },
      defaultUri: vscode.Uri.file(path.dirname(root)),
    });
    if (!picked || picked.length === 0) return refuse('cancelled', vscode.l10n.t('Nothing was imported.'));
    file = picked[0];
  }
  try {
    const result = await importSuppressions(new SuppressionList(root), file.fsPath, { reason: 'unsubscribe' });
    changed(services, refreshView);
    services.log.info(`suppression import ${file.fsPath}: ${result.rows} rows, ${result.added} added, ${result.already} listed already, ${result.duplicates} twice, ${result.invalid.length} invalid`);
    const message = vscode.l10n.t(
      '{0}: {1} rows, {2} added as unsubscribed, {3} listed already, {4} invalid (skipped).',
      path.basename(file.fsPath),
      formatCount(result.rows),
      formatCount(result.added),
      formatCount(result.already),
      formatCount(result.invalid.length),
    );
    void vscode.window.showInformationMessage(message);
    return done(message);
  } catch (error) {
    if (error instanceof SuppressionImportError) return refuse('failed', vscode.l10n.t('Nothing was imported: {0}', error.message));
    throw error;
  }
}

export async function openSuppressionFileCommand(services: Services, argument?: unknown): Promise<Outcome> {
  const root = await pickRoot(services, argument);
  if (!root) return noRoot();
  const file = new SuppressionList(root).file;
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
  } catch {
    return refuse('invalid-input', vscode.l10n.t('The suppression list is empty: {0} does not exist yet.', relativeLabel(vscode.Uri.file(file))));
  }
  return done();
}
