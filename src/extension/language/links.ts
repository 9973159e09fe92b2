// Document links from a mailing to the files it references (ctrl+click opens the CSV or HTML): the
// values the core's loader took as file names (a content value may also be inline text), located in
// the core's parse of the document's text.
import * as vscode from 'vscode';
import { valueSpan } from '../../core/index';
import type { ConfirmModels } from '../models';

export class MailingDocumentLinks implements vscode.DocumentLinkProvider {
  constructor(private readonly models: ConfirmModels) {}

  async provideDocumentLinks(document: vscode.TextDocument): Promise<vscode.DocumentLink[]> {
    const model = await this.models.forDocument(document);
    const text = document.getText();
    const root = this.models.parse(document).yaml.root;
    const links: vscode.DocumentLink[] = [];
    for (const reference of model.references) {
      const span = valueSpan(root, reference.path, text);
      if (!span) continue;
      const link = new vscode.DocumentLink(new vscode.Range(document.positionAt(span[0]), document.positionAt(span[1])), vscode.Uri.file(reference.file));
      link.tooltip = vscode.l10n.t('Open {0}', text.slice(span[0], span[1]));
      links.push(link);
    }
    return links;
  }
}
