// New Mailing: asks for a name and a format (HTML, MJML or Markdown) and writes the starter of
// core/starters.ts: `<name>.mailing.yaml` and its content file, a complete mailing that validates
// clean but for the test step, so the first thing the user sees is what is left to do: send a test.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { slug, STARTER_FORMATS, starterFiles, type StarterFormat } from '../../core/index';
import { done, refuse, type Outcome } from './outcome';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function targetFolder(argument: unknown): Promise<vscode.Uri | undefined> {
  if (argument instanceof vscode.Uri) {
    try {
      const stat = await vscode.workspace.fs.stat(argument);
      return stat.type & vscode.FileType.Directory ? argument : vscode.Uri.file(path.dirname(argument.fsPath));
    } catch {
      return undefined;
    }
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 1) return folders[0].uri;
  if (folders.length > 1) return (await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Where should the new mailing go?') }))?.uri;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: vscode.l10n.t('Create the mailing here') });
  return picked?.[0];
}

function formatChoices(): (vscode.QuickPickItem & { format: StarterFormat })[] {
  return [
    { format: 'html', label: 'HTML', description: vscode.l10n.t('an .html file, its <style> inlined when sent'), detail: vscode.l10n.t('For a design of your own, or HTML from another tool.') },
    { format: 'mjml', label: 'MJML', description: vscode.l10n.t('an .mjml file, compiled to responsive HTML'), detail: vscode.l10n.t('Sections and columns that work in every inbox (https://mjml.io).') },
    { format: 'markdown', label: 'Markdown', description: vscode.l10n.t('an .md file in a simple responsive layout'), detail: vscode.l10n.t('For a plain letter: the text part comes from the Markdown itself.') },
  ];
}

async function pickFormat(given: unknown): Promise<StarterFormat | undefined> {
  if (typeof given === 'string' && (STARTER_FORMATS as readonly string[]).includes(given)) return given as StarterFormat;
  const picked = await vscode.window.showQuickPick(formatChoices(), { title: vscode.l10n.t('New Mailing'), placeHolder: vscode.l10n.t('What do you write the message in?'), ignoreFocusOut: true });
  return picked?.format;
}

/** The first of `names` that is in the folder already. */
async function firstExisting(folder: vscode.Uri, names: readonly string[]): Promise<string | undefined> {
  for (const name of names) if (await exists(vscode.Uri.joinPath(folder, name))) return name;
  return undefined;
}

export async function newMailingCommand(argument?: unknown, nameArgument?: unknown, formatArgument?: unknown): Promise<Outcome> {
  const folder = await targetFolder(argument);
  if (!folder) return refuse('cancelled', vscode.l10n.t('No folder chosen.'));
  const name =
    typeof nameArgument === 'string'
      ? nameArgument
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('New Mailing'),
          prompt: vscode.l10n.t('The mailing’s name (not visible to recipients)'),
          placeHolder: vscode.l10n.t('November newsletter'),
          ignoreFocusOut: true,
          validateInput: async (value) => {
            if (!value.trim()) return vscode.l10n.t('Give the mailing a name.');
            const taken = await firstExisting(folder, [`${slug(value)}.mailing.yaml`]);
            return taken ? vscode.l10n.t('{0} already exists.', taken) : undefined;
          },
        });
  if (!name?.trim()) return refuse('cancelled', vscode.l10n.t('No mailing created.'));
  const format = await pickFormat(formatArgument);
  if (!format) return refuse('cancelled', vscode.l10n.t('No mailing created.'));
  const starter = starterFiles(name.trim(), format);
  // Nothing is overwritten: not the mailing, and not a content file of the same name.
  const taken = await firstExisting(folder, [starter.mailing.name, starter.content.name]);
  if (taken) return refuse('invalid-input', vscode.l10n.t('{0} already exists.', taken));
  const encoder = new TextEncoder();
  const content = vscode.Uri.joinPath(folder, starter.content.name);
  const mailing = vscode.Uri.joinPath(folder, starter.mailing.name);
  await vscode.workspace.fs.writeFile(content, encoder.encode(starter.content.text));
  await vscode.workspace.fs.writeFile(mailing, encoder.encode(starter.mailing.text));
  await vscode.window.showTextDocument(mailing);
  return done(mailing.fsPath);
}
