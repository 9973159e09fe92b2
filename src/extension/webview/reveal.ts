// "Show in the file" from a page: opens the mailing, or a file it references, with a range selected.
// Only those files: a page asks, the model of the mailing decides what may be opened.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConfirmModel, Range } from '../../core/index';

/**
 * Opens `file` (absent: the mailing) at `range`, beside the panel in `panelColumn` unless an editor
 * shows it already. False when the mailing does not reference the file (nothing is opened).
 */
export async function revealInEditor(model: ConfirmModel, mailing: vscode.Uri, range: Range, file: string | undefined, panelColumn: vscode.ViewColumn | undefined): Promise<boolean> {
  const target = path.resolve(file ?? model.file);
  const allowed = new Set([model.file, ...model.referencedFiles, ...model.diagnostics.flatMap((d) => (d.file ? [d.file] : []))].map((f) => path.resolve(f)));
  if (!allowed.has(target)) return false;
  const document = await vscode.workspace.openTextDocument(target === path.resolve(model.file) ? mailing : vscode.Uri.file(target));
  const clamp = (p: { line: number; column: number }) => {
    const line = Math.min(p.line, Math.max(0, document.lineCount - 1));
    return new vscode.Position(line, Math.min(p.column, document.lineAt(line).text.length));
  };
  const selection = new vscode.Range(clamp(range.start), clamp(range.end));
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === document.uri.toString());
  const column = shown?.viewColumn ?? (panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One);
  const editor = await vscode.window.showTextDocument(document, { viewColumn: column, selection, preserveFocus: false });
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return true;
}
