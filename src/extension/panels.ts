// The Confirm overview and the Statistics page are webview panels built in ./webview (issue 6);
// the commands, CodeLens and the Mailings view open them through these two functions only.
import type * as vscode from 'vscode';
import { showConfirmPanel, showStatisticsPanel } from './webview/confirmPanel';

export async function showConfirmOverview(uri: vscode.Uri): Promise<void> {
  await showConfirmPanel(uri);
}

export async function showStatistics(uri: vscode.Uri): Promise<void> {
  await showStatisticsPanel(uri);
}
