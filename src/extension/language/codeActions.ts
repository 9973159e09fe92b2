// Quick fixes where the fix is clear: add a missing key with a placeholder from the schema, correct a
// misspelled merge field to the nearest known field, add an `unsubscribe` block; and the actions that
// clear a diagnostic outside the file (send a test, configure SMTP).
import * as vscode from 'vscode';
import { type Diagnostic, insertKey } from '../../core/index';
import type { ConfirmModels } from '../models';
import { COMMANDS } from '../commands/ids';
import { matches, toRange } from './convert';
import { placeholderFor } from './schemaWalk';

export class MailingCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly models: ConfirmModels) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const known = this.models.diagnosticsIn(document.uri.fsPath);
    const actions: vscode.CodeAction[] = [];
    for (const shown of context.diagnostics) {
      const found = known.find(({ diagnostic }) => matches(diagnostic, shown));
      if (!found) continue;
      const action = this.fixFor(document, found.diagnostic, found.model.file);
      if (action) {
        action.diagnostics = [shown];
        actions.push(action);
      }
    }
    return actions;
  }

  private fixFor(document: vscode.TextDocument, diagnostic: Diagnostic, mailingFile: string): vscode.CodeAction | undefined {
    const data = diagnostic.data ?? {};
    switch (diagnostic.code) {
      case 'merge-field-unknown':
        return data.field && data.suggestion ? replaceInRange(document, diagnostic, data.field, data.suggestion, `{{${data.suggestion}}}`) : undefined;
      case 'test-not-sent':
      case 'test-outdated':
        return commandAction(vscode.l10n.t('Send test'), COMMANDS.sendTest, vscode.Uri.file(mailingFile));
      case 'transport-unconfigured':
        return commandAction(vscode.l10n.t('Configure the SMTP server'), COMMANDS.openSmtpSettings);
      default:
        break;
    }
    // A misspelled key, enum value or time zone with a clear nearest candidate.
    if (data.suggestion) {
      return replaceInRange(document, diagnostic, data.unknownKey ?? document.getText(toRange(diagnostic.range)).trim(), data.suggestion, data.suggestion);
    }
    // A missing text part is derived from the HTML: adding `text:` would be no fix.
    if (data.missingKey && document.languageId === 'yaml' && diagnostic.code !== 'text-part-missing') {
      return addKey(this.models, document, diagnostic, data.parentPath ?? [], data.missingKey);
    }
    if (diagnostic.code === 'unsubscribe-missing') return addKey(this.models, document, diagnostic, [], 'unsubscribe');
    return undefined;
  }
}

/** Replaces `wrong` inside the diagnostic's range by `suggestion` ("Change to {{firstName}}"). */
function replaceInRange(document: vscode.TextDocument, diagnostic: Diagnostic, wrong: string, suggestion: string, shown: string): vscode.CodeAction | undefined {
  const range = toRange(diagnostic.range);
  const text = document.getText(range);
  const at = wrong ? text.indexOf(wrong) : -1;
  if (at < 0 || wrong === suggestion) return undefined;
  const start = document.positionAt(document.offsetAt(range.start) + at);
  const action = new vscode.CodeAction(vscode.l10n.t('Change to {0}', shown), vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  action.edit.replace(document.uri, new vscode.Range(start, document.positionAt(document.offsetAt(start) + wrong.length)), suggestion);
  action.isPreferred = true;
  return action;
}

function addKey(models: ConfirmModels, document: vscode.TextDocument, diagnostic: Diagnostic, parentPath: (string | number)[], key: string): vscode.CodeAction | undefined {
  const insertion = insertKey(document.getText(), models.parse(document).yaml, parentPath, key, placeholderFor([...parentPath, key]));
  if (!insertion) return undefined;
  const title =
    diagnostic.code === 'unsubscribe-missing' && key === 'unsubscribe'
      ? vscode.l10n.t('Add an unsubscribe block')
      : vscode.l10n.t('Add missing key "{0}"', key);
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.edit = new vscode.WorkspaceEdit();
  action.edit.insert(document.uri, document.positionAt(insertion.offset), insertion.text);
  action.isPreferred = true;
  return action;
}

function commandAction(title: string, command: string, ...args: unknown[]): vscode.CodeAction {
  const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  action.command = { title, command, arguments: args };
  return action;
}
