// Which documents are mailings, where their state lives, and how to find every mailing of the
// workspace. The language stays `yaml` (other YAML tools keep working): a mailing is recognised by
// its file name, `*.mailing.yaml` or `*.mailing.yml`.
import * as vscode from 'vscode';
import { findStateRoot } from '../core/index';

export const MAILING_GLOB = '**/*.mailing.{yaml,yml}';
const MAILING_NAME = /\.mailing\.ya?ml$/i;

/** Mailing files on disk (the core reads referenced files relative to them, so `file:` only). */
export const MAILING_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', language: 'yaml', pattern: MAILING_GLOB },
];

export function isMailingUri(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && MAILING_NAME.test(uri.path);
}

export function isMailingDocument(document: vscode.TextDocument): boolean {
  return isMailingUri(document.uri);
}

/**
 * The state root of a mailing, by the core's rule (found upward from the file, as the CLI finds
 * it): the same whichever folder, or folders, the window has open.
 */
export function stateRootFor(uri: vscode.Uri): string {
  return findStateRoot(uri.fsPath);
}

/** Every mailing file of the open workspace folders, sorted by path. */
export async function findWorkspaceMailings(): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(MAILING_GLOB, '{**/node_modules/**,**/.mailings/**}');
  return found.filter(isMailingUri).sort((a, b) => a.fsPath.localeCompare(b.fsPath));
}

/** The document of an open mailing, if it is open (its unsaved text is what the user sees). */
export function openMailingDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
}

/** A short label for a mailing in lists: its path relative to the workspace. */
export function relativeLabel(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1);
}
