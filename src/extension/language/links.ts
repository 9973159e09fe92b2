// Document links from a mailing to the files it references (ctrl+click opens the CSV or HTML).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fileReferences } from './references';

export class MailingDocumentLinks implements vscode.DocumentLinkProvider {
  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const base = path.dirname(document.uri.fsPath);
    return fileReferences(document.getText()).map((reference) => {
      const range = new vscode.Range(document.positionAt(reference.start), document.positionAt(reference.end));
      const link = new vscode.DocumentLink(range, vscode.Uri.file(path.resolve(base, reference.value)));
      link.tooltip = vscode.l10n.t('Open {0}', reference.value);
      return link;
    });
  }
}
