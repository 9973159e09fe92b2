// Helpers for the extension-host tests: the extension's API, the workspace copy, and waiting for
// diagnostics and state changes by their events (never by sleeping).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MailingsApi } from '../../../src/extension/extension';
import type { Statistics } from '../../../src/core/types';

export const EXTENSION_ID = 'mailings.mailings';

export function workspaceDir(): string {
  const folder = process.env.MAILINGS_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(folder, 'the tests need an open workspace folder (test/fixtures/workspace copy)');
  return folder;
}

export function fixtureUri(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), name));
}

/** A fresh mailing file in the workspace, copied from a fixture: tests that change state use their own. */
export function copyMailing(fixture: string, name: string, edit: (text: string) => string = (t) => t): vscode.Uri {
  const target = path.join(workspaceDir(), name);
  fs.writeFileSync(target, edit(fs.readFileSync(path.join(workspaceDir(), fixture), 'utf8')));
  return vscode.Uri.file(target);
}

export async function api(): Promise<MailingsApi> {
  const extension = vscode.extensions.getExtension<MailingsApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'mailings');
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  return String(typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code);
}

/** Resolves with the diagnostics of `uri` once `predicate` holds (now or after a change event). */
export function diagnosticsWhen(uri: vscode.Uri, predicate: (diagnostics: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const diagnostics = ours(uri);
      if (!predicate(diagnostics)) return false;
      subscription.dispose();
      resolve(diagnostics);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    check();
  });
}

export const hasCode = (code: string) => (diagnostics: vscode.Diagnostic[]) => diagnostics.some((d) => codeOf(d) === code);
export const lacksCode = (code: string) => (diagnostics: vscode.Diagnostic[]) => !diagnostics.some((d) => codeOf(d) === code);

/** Resolves once the mailing's send state satisfies `predicate` (checked now and on every change). */
export async function stateWhen(mailings: MailingsApi, uri: vscode.Uri, predicate: (stats: Statistics) => boolean): Promise<Statistics> {
  const { states } = mailings.services;
  return new Promise((resolve, reject) => {
    let settled = false;
    const check = async () => {
      if (settled) return;
      try {
        const { stats } = await states.info(uri);
        if (!settled && predicate(stats)) {
          settled = true;
          subscription.dispose();
          resolve(stats);
        }
      } catch (error) {
        settled = true;
        subscription.dispose();
        reject(error);
      }
    };
    const subscription = states.onDidChangeState((change) => {
      if (change.uri.toString() === uri.toString()) void check();
    });
    void check();
  });
}

/** The CodeLens titles VS Code gets for a document (codicons like $(clock) included). */
export async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.map((lens) => lens.command?.title ?? '');
}

export async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document);
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function positionOf(document: vscode.TextDocument, text: string, delta = 0): vscode.Position {
  const offset = document.getText().indexOf(text);
  assert.ok(offset >= 0, `"${text}" not in ${document.uri.fsPath}`);
  return document.positionAt(offset + delta);
}
