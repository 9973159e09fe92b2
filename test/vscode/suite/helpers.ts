// Helpers for the extension-host tests: the extension's API, the workspace copy, and waiting for
// diagnostics and state changes by their events (never by sleeping). Every wait has a deadline well
// inside mocha's and, when it passes, fails with what it waited for and what it saw last.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MailingsApi } from '../../../src/extension/extension';
import type { Statistics } from '../../../src/core/types';

export const EXTENSION_ID = 'mailings.mailings';

/** How long a wait lasts by default: a third of mocha's 60 s, so a test fails with a reason, not a time-out. */
export const WAIT_MS = Number(process.env.MAILINGS_VSCODE_WAIT_MS || 20_000);

/** A condition a wait is for, with the words its time-out message uses ("to be 'scheduled'"). */
export interface Expectation<T> {
  description: string;
  test(value: T): boolean;
}

export function expectation<T>(description: string, test: (value: T) => boolean): Expectation<T> {
  return { description, test };
}

/** All of them at once. */
export function allOf<T>(...expectations: Expectation<T>[]): Expectation<T> {
  return expectation(expectations.map((e) => e.description).join(' and '), (value) => expectations.every((e) => e.test(value)));
}

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
  fs.mkdirSync(path.dirname(target), { recursive: true });
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

/** The file name a message calls a mailing by. */
function label(uri: vscode.Uri): string {
  return path.relative(workspaceDir(), uri.fsPath) || uri.fsPath;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * Resolves with `read()` once `expected` holds: checked now and after every `subscribe` event (one
 * read at a time, the last one always re-run after an event). After `timeoutMs` it rejects with
 * "waited 20 s for <subject> <expected>; last seen: <show(last)> (<n> <events>)".
 */
export function waitUntil<T>(o: {
  subject: string;
  expected: Expectation<T>;
  read: () => T | Promise<T>;
  subscribe: (changed: () => void) => vscode.Disposable;
  show: (value: T) => string;
  events: string;
  timeoutMs?: number;
}): Promise<T> {
  const timeoutMs = o.timeoutMs ?? WAIT_MS;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let reading = false;
    let again = false;
    let events = 0;
    let last = '(nothing read yet)';
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      subscription.dispose();
      outcome();
    };
    const check = async (): Promise<void> => {
      if (settled) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          const value = await o.read();
          last = o.show(value);
          if (o.expected.test(value)) return finish(() => resolve(value));
        } while (again && !settled);
      } catch (error) {
        finish(() => reject(error));
      } finally {
        reading = false;
      }
    };
    const timer = setTimeout(() => {
      const count = `${events} ${o.events}${events === 1 ? '' : 's'}`;
      finish(() => reject(new Error(`waited ${seconds(timeoutMs)} for ${o.subject} ${o.expected.description}; last seen: ${last} (${count})`)));
    }, timeoutMs);
    const subscription = o.subscribe(() => {
      events++;
      void check();
    });
    void check();
  });
}

/** Resolves with the diagnostics of `uri` once `expected` holds (now or after a change event). */
export function diagnosticsWhen(uri: vscode.Uri, expected: Expectation<vscode.Diagnostic[]>, timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  return waitUntil({
    subject: label(uri),
    expected,
    read: () => ours(uri),
    subscribe: (changed) =>
      vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((u) => u.toString() === uri.toString())) changed();
      }),
    show: (list) => (list.length ? list.map(codeOf).join(', ') : 'no diagnostics'),
    events: 'diagnostics event',
    timeoutMs,
  });
}

export const hasCode = (code: string): Expectation<vscode.Diagnostic[]> => expectation(`to have ${code}`, (list) => list.some((d) => codeOf(d) === code));
export const lacksCode = (code: string): Expectation<vscode.Diagnostic[]> => expectation(`to lack ${code}`, (list) => !list.some((d) => codeOf(d) === code));
export const anyDiagnostics: Expectation<vscode.Diagnostic[]> = expectation('to have been checked (any diagnostic)', (list) => list.length > 0);

/** Resolves once the mailing's send state (as the extension holds it) satisfies `expected`. */
export function stateWhen(mailings: MailingsApi, uri: vscode.Uri, expected: Expectation<Statistics>, timeoutMs?: number): Promise<Statistics> {
  const { states } = mailings.services;
  return waitUntil({
    subject: label(uri),
    expected,
    read: async () => (await states.info(uri)).stats,
    subscribe: (changed) =>
      states.onDidChangeState((change) => {
        if (change.uri.toString() === uri.toString()) changed();
      }),
    show: describeStats,
    events: 'state event',
    timeoutMs,
  });
}

/**
 * Resolves once the extension announces (onDidChangeState) that the mailing is `status`: what makes
 * CodeLens, the view, the status bar and the Confirm panel ask again. Call it before the change.
 */
export function announced(mailings: MailingsApi, uri: vscode.Uri, status: Statistics['status'], timeoutMs?: number): Promise<Statistics['status'] | undefined> {
  let last: Statistics['status'] | undefined;
  return waitUntil({
    subject: label(uri),
    expected: expectation(`to be announced '${status}'`, (seen: Statistics['status'] | undefined) => seen === status),
    read: () => last,
    subscribe: (changed) =>
      mailings.services.states.onDidChangeState((change) => {
        if (change.uri.toString() !== uri.toString()) return;
        last = change.status;
        changed();
      }),
    show: (seen) => seen ?? 'no announcement',
    events: 'state event',
    timeoutMs,
  });
}

export const hasStatus = (status: Statistics['status']): Expectation<Statistics> => expectation(`to be '${status}'`, (stats) => stats.status === status);

function describeStats(stats: Statistics): string {
  const counts = stats.total ? ` ${stats.sent + stats.failed}/${stats.total}` : '';
  return `${stats.status}${counts}`;
}

/** The CodeLens titles VS Code gets for a document (codicons like $(clock) included). */
export async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  return (await lenses(uri)).map((lens) => lens.command?.title ?? '');
}

/** The CodeLenses VS Code gets for a document, resolved. */
export async function lenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
}

/**
 * Resolves with the lens titles once they satisfy `expected`: asked again on every state or list
 * change of the extension (what makes VS Code ask for lenses again).
 */
export function lensesWhen(mailings: MailingsApi, uri: vscode.Uri, expected: Expectation<string[]>, timeoutMs?: number): Promise<string[]> {
  const { states } = mailings.services;
  return waitUntil({
    subject: `the CodeLens of ${label(uri)}`,
    expected,
    read: () => lensTitles(uri),
    subscribe: (changed) => vscode.Disposable.from(states.onDidChangeState(changed), states.onDidChangeList(changed)),
    show: (titles) => JSON.stringify(titles),
    events: 'state event',
    timeoutMs,
  });
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
