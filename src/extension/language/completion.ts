// Completion in mailing files: keys and values from the schema (with its descriptions), and
// `{{field}}` from the target list's columns, also in the HTML and text files a mailing references.
import * as vscode from 'vscode';
import { completionContextAt, type ConfirmModel, mergeFieldPrefixAt, yamlValueText } from '../../core/index';
import { isMailingDocument } from '../mailingFiles';
import type { ConfirmModels } from '../models';
import { propertiesAt, valueShape, valueSuggestionsAt } from './schemaWalk';

export class MailingCompletion implements vscode.CompletionItemProvider {
  static readonly triggerCharacters = ['{', ' '];

  constructor(
    private readonly models: ConfirmModels,
  ) {}

  async provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[] | undefined> {
    const line = document.lineAt(position.line).text;
    const prefix = mergeFieldPrefixAt(line.slice(0, position.character));
    if (prefix !== undefined) return this.fieldItems(document, position, prefix, line);
    if (!isMailingDocument(document)) return undefined;

    const context = completionContextAt(document.getText(), document.offsetAt(position));
    if (!context) return undefined;
    const range = new vscode.Range(document.positionAt(context.replace[0]), document.positionAt(context.replace[1]));
    if (context.kind === 'key') {
      return propertiesAt(context.path)
        .filter((property) => !context.siblings.includes(property.name))
        .map((property) => {
          const item = new vscode.CompletionItem(property.name, vscode.CompletionItemKind.Property);
          item.range = range;
          item.sortText = `${property.required ? 0 : 1}${property.name}`;
          if (property.required) item.detail = vscode.l10n.t('required');
          if (property.schema.description) item.documentation = new vscode.MarkdownString(property.schema.description);
          const shape = valueShape(property.schema);
          item.insertText = new vscode.SnippetString(
            shape === 'object' ? `${property.name}:\n\t$0` : shape === 'array' ? `${property.name}:\n\t- $0` : `${property.name}: $0`,
          );
          if (shape === 'scalar' && valueSuggestionsAt([...context.path, property.name]).length > 0) {
            item.command = { title: '', command: 'editor.action.triggerSuggest' };
          }
          return item;
        });
    }
    return valueSuggestionsAt(context.path).map((suggestion, index) => {
      const item = new vscode.CompletionItem(suggestion.value, vscode.CompletionItemKind.Value);
      item.range = range;
      item.sortText = String(index).padStart(3, '0');
      item.insertText = yamlValueText(suggestion.value);
      if (suggestion.description) item.documentation = new vscode.MarkdownString(suggestion.description);
      return item;
    });
  }

  private async fieldItems(document: vscode.TextDocument, position: vscode.Position, prefix: string, line: string): Promise<vscode.CompletionItem[]> {
    const models: ConfirmModel[] = isMailingDocument(document)
      ? [await this.models.forDocument(document)]
      : this.models.referencing(document.uri.fsPath);
    const samples = new Map<string, string | undefined>();
    for (const model of models) {
      const first = model.mailing.targetList?.recipients[0];
      for (const field of model.mailing.targetList?.fields ?? []) {
        if (!samples.has(field) || samples.get(field) === undefined) samples.set(field, first?.fields[field]);
      }
    }
    const after = line.slice(position.character);
    const word = /^[A-Za-z0-9_.-]*/.exec(after)?.[0] ?? '';
    const closed = /^\s*\}\}/.test(after.slice(word.length));
    const range = new vscode.Range(position.translate(0, -prefix.length), position.translate(0, word.length));
    return [...samples].map(([field, sample]) => {
      const item = new vscode.CompletionItem(field, vscode.CompletionItemKind.Field);
      item.range = range;
      item.insertText = closed ? field : `${field}}}`;
      item.detail = vscode.l10n.t('Merge field');
      if (sample !== undefined) item.documentation = vscode.l10n.t('First recipient: {0}', sample);
      return item;
    });
  }
}
