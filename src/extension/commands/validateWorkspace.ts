// Validate Workspace: every mailing of the workspace checked, open or not, its diagnostics shown in
// Problems, and a summary.
import * as vscode from 'vscode';
import { findWorkspaceMailings } from '../mailingFiles';
import type { Services } from '../services';
import { done, type Outcome } from './outcome';
import { errorText } from './send';

export async function validateWorkspaceCommand(services: Services): Promise<Outcome & { checked?: number; withErrors?: number; withWarnings?: number }> {
  const mailings = await findWorkspaceMailings();
  let withErrors = 0;
  let withWarnings = 0;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Validating mailings'), cancellable: true },
    async (progress, token) => {
      for (const uri of mailings) {
        if (token.isCancellationRequested) break;
        progress.report({ message: vscode.workspace.asRelativePath(uri), increment: 100 / Math.max(1, mailings.length) });
        try {
          const model = await services.diagnostics.validateUri(uri);
          if (model.hasErrors) withErrors++;
          else if (model.diagnostics.some((d) => d.severity === 'warning')) withWarnings++;
        } catch (error) {
          withErrors++;
          services.log.error(`validating ${uri.fsPath} failed: ${errorText(error)}`);
        }
      }
    },
  );
  const message = vscode.l10n.t('{0} mailing(s) checked: {1} with errors, {2} with warnings only.', mailings.length, withErrors, withWarnings);
  const show = withErrors > 0 ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
  void Promise.resolve(show(message, vscode.l10n.t('Show Problems'))).then((picked) => {
    if (picked) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
  return { ...done(message), checked: mailings.length, withErrors, withWarnings };
}
