// Hover in mailing files: the schema's description of the key or value under the cursor, the
// resolved moment of `schedule`, and for a `{{field}}` where its values come from.
import * as vscode from 'vscode';
import { describeInstant, nodeAt } from '../../core/index';
import { isMailingDocument } from '../mailingFiles';
import type { ConfirmModels } from '../models';
import { whenLocale } from '../format';
import { descriptionAt } from './schemaWalk';

const MERGE_FIELD = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

export class MailingHover implements vscode.HoverProvider {
  constructor(
    private readonly models: ConfirmModels,
  ) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const field = this.fieldAt(document, position);
    if (field) return this.fieldHover(document, field.name, field.range);
    if (!isMailingDocument(document)) return undefined;

    const node = nodeAt(this.models.parse(document).yaml.root, document.offsetAt(position));
    if (!node) return undefined;
    const range = new vscode.Range(document.positionAt(node.range[0]), document.positionAt(node.range[1]));
    const markdown = new vscode.MarkdownString();
    const description = descriptionAt(node.path);
    if (description) markdown.appendMarkdown(description);
    if (!node.onKey && node.path.length === 1 && node.path[0] === 'schedule') {
      const model = await this.models.forDocument(document);
      if (model.scheduleAt) {
        const moment = describeInstant(new Date(model.scheduleAt), model.mailing.timezone, new Date(), whenLocale());
        markdown.appendMarkdown(`${description ? '\n\n' : ''}${vscode.l10n.t('Scheduled to send at')} **${moment}**`);
      }
    }
    return markdown.value ? new vscode.Hover(markdown, range) : undefined;
  }

  private fieldAt(document: vscode.TextDocument, position: vscode.Position): { name: string; range: vscode.Range } | undefined {
    const line = document.lineAt(position.line).text;
    for (const match of line.matchAll(MERGE_FIELD)) {
      const start = match.index ?? 0;
      if (position.character >= start && position.character <= start + match[0].length) {
        return { name: match[1], range: new vscode.Range(position.line, start, position.line, start + match[0].length) };
      }
    }
    return undefined;
  }

  private async fieldHover(document: vscode.TextDocument, name: string, range: vscode.Range): Promise<vscode.Hover | undefined> {
    const models = isMailingDocument(document) ? [await this.models.forDocument(document)] : this.models.referencing(document.uri.fsPath);
    if (models.length === 0) return undefined;
    const markdown = new vscode.MarkdownString();
    const model = models.find((m) => m.mailing.targetList?.fields.includes(name));
    if (!model) {
      markdown.appendMarkdown(vscode.l10n.t('`{0}` is not a field of the target list.', name));
      return new vscode.Hover(markdown, range);
    }
    markdown.appendMarkdown(vscode.l10n.t('Merge field `{0}` of the target list.', name));
    const first = model.mailing.targetList?.recipients[0];
    if (first) markdown.appendMarkdown('\n\n' + vscode.l10n.t('First recipient: {0}', first.fields[name] ?? ''));
    return new vscode.Hover(markdown, range);
  }
}
