// Which mailing a command acts on: the URI it was given (CodeLens, editor title, Mailings view,
// explorer), else the active editor's mailing, else one picked from the workspace's mailings.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConfirmModels } from '../models';
import { isMailingUri, openMailingDocument, relativeLabel } from '../mailingFiles';
import type { MailingStates } from '../state/mailingStates';
import { type Outcome, refuse } from './outcome';

/** A tree item or anything else that carries a mailing URI. */
interface HasUri {
  uri: vscode.Uri;
}

export async function targetMailing(argument: unknown, states: MailingStates, placeHolder: string): Promise<vscode.Uri | undefined> {
  if (argument instanceof vscode.Uri && isMailingUri(argument)) return argument;
  if (typeof argument === 'string') {
    const uri = argument.includes('://') ? vscode.Uri.parse(argument) : vscode.Uri.file(argument);
    if (isMailingUri(uri)) return uri;
  }
  if (argument && typeof argument === 'object' && (argument as HasUri).uri instanceof vscode.Uri && isMailingUri((argument as HasUri).uri)) {
    return (argument as HasUri).uri;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && isMailingUri(active)) return active;

  const mailings = await states.list();
  if (mailings.length === 0) return undefined;
  if (mailings.length === 1) return mailings[0].uri;
  const picked = await vscode.window.showQuickPick(
    mailings.map((info) => ({ label: info.name, description: relativeLabel(info.uri), uri: info.uri })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.uri;
}

/**
 * Saves an open, modified mailing first, and the files it references that are open with changes
 * (its HTML, MJML or Markdown, a layout): what is tested or confirmed is what is on disk, and the
 * models show the editors' text (models.ts), so what was checked is what is sent. A save that does
 * not happen (VS Code refused it: a conflict with the file on disk, a read-only file) is a refusal
 * the user sees, never a silent no-op.
 */
export async function saveBeforeAction(uri: vscode.Uri, models: ConfirmModels): Promise<Outcome | undefined> {
  const referenced = new Set((models.latest(uri) ?? (await models.forUri(uri))).referencedFiles.map((file) => path.resolve(file)));
  const mailing = openMailingDocument(uri);
  const documents = [...(mailing ? [mailing] : []), ...vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file' && referenced.has(path.resolve(d.uri.fsPath)))];
  for (const document of documents) {
    if (!document.isDirty) continue;
    // save() answers for the save itself. The document's isDirty is not part of that answer: VS Code
    // reports the saved state to the extension host as an event of its own, which may arrive after
    // save() has resolved (seen in code-server), so a save that happened would read as refused.
    if (await document.save()) continue;
    return refuse(
      'failed',
      vscode.l10n.t('“{0}” could not be saved, so nothing was done: save it (File: Save) and try again.', relativeLabel(document.uri)),
      [{ title: vscode.l10n.t('Save'), run: () => vscode.window.showTextDocument(document).then(() => vscode.commands.executeCommand('workbench.action.files.save')) }],
    );
  }
  return undefined;
}
