// New Mailing: asks for a name and writes a complete `<name>.mailing.yaml` (inline HTML, one inline
// contact, an unsubscribe link, the outbox transport) that validates clean but for the test step,
// so the first thing the user sees is what is left to do: send a test.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { slug, yamlValueText } from '../../core/index';
import { done, refuse, type Outcome } from './outcome';

/** The file a new mailing starts from (also the shape of the `mailing` snippet). */
export function newMailingYaml(name: string): string {
  const quotedName = yamlValueText(name);
  const subject = yamlValueText(`{{firstName}}, ${name}`);
  return `version: 1
name: ${quotedName}
from: Your Name <you@example.com>
subject: ${subject}
content:
  html: |
    <h1>Hello {{firstName}},</h1>
    <p>Write your message here.</p>
targetList:
  include:
    # A CSV with a header row and an email column; every column becomes a merge field:
    # - file: recipients.csv
    - { email: jane@example.com, firstName: Jane }
unsubscribe:
  url: https://example.com/unsubscribe?e={{email}}
test:
  recipients: [you@example.com]
sending:
  transport: outbox
`;
}

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

export async function newMailingCommand(argument?: unknown, nameArgument?: unknown): Promise<Outcome> {
  const folder = await targetFolder(argument);
  if (!folder) return refuse('cancelled', vscode.l10n.t('No folder chosen.'));
  const name =
    typeof nameArgument === 'string'
      ? nameArgument
      : await vscode.window.showInputBox({
          title: vscode.l10n.t('New Mailing'),
          prompt: vscode.l10n.t('The mailing’s name (not visible to recipients)'),
          placeHolder: vscode.l10n.t('November newsletter'),
          validateInput: async (value) => {
            if (!value.trim()) return vscode.l10n.t('Give the mailing a name.');
            const uri = vscode.Uri.joinPath(folder, `${slug(value)}.mailing.yaml`);
            return (await exists(uri)) ? vscode.l10n.t('{0} already exists.', path.basename(uri.fsPath)) : undefined;
          },
        });
  if (!name?.trim()) return refuse('cancelled', vscode.l10n.t('No mailing created.'));
  const uri = vscode.Uri.joinPath(folder, `${slug(name)}.mailing.yaml`);
  if (await exists(uri)) return refuse('invalid-input', vscode.l10n.t('{0} already exists.', path.basename(uri.fsPath)));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(newMailingYaml(name.trim())));
  await vscode.window.showTextDocument(uri);
  return done(uri.fsPath);
}
