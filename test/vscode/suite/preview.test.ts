// The live preview beside the editor in a real VS Code: opened from an .mjml file (the mailing that
// uses it found by the extension), it follows the unsaved text as it is typed, and the .mjml file's
// squiggles follow the same keystrokes; a Send test saves the typed file first; closing it unsaved
// brings back what is on disk.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { LivePreviewView } from '../../../src/protocol';
import { api, closeAll, codeOf, diagnosticsWhen, expectation, fixtureUri, hasCode, lacksCode, open, waitUntil, workspaceDir } from './helpers';

interface Outcome {
  ok: boolean;
  message?: string;
}

describe('Live preview beside the editor', function () {
  this.timeout(120_000);
  before(() => api());
  afterEach(() => closeAll());

  /** The view of the one open preview once `test` holds (after each render). */
  async function previewWhen(description: string, test: (view: LivePreviewView) => boolean): Promise<LivePreviewView> {
    const mailings = await api();
    const read = () => mailings.livePreviews()[0]?.view;
    return waitUntil<LivePreviewView | undefined>({
      subject: 'the live preview',
      expected: expectation(description, (view) => !!view && test(view)),
      read,
      // The command has created the panel by the time this is called; its renders are the events.
      subscribe: (changed) => vscode.Disposable.from(...mailings.livePreviews().map((panel) => panel.onDidRender(changed))),
      show: (view) => (view ? `html ${view.html?.length ?? 0} chars, errors [${view.errors.map((e) => e.code).join(', ')}], subject ${view.inbox.subject}` : 'no preview open'),
      events: 'render',
    }) as Promise<LivePreviewView>;
  }

  it('opened from the .mjml file, follows typing (unsaved) in the preview and in the squiggles; Send test saves it first', async () => {
    const created = await vscode.commands.executeCommand<Outcome>('mailings.newMailing', vscode.Uri.file(workspaceDir()), 'Live preview MJML', 'mjml');
    assert.ok(created.ok, created.message);
    const mailing = fixtureUri('live-preview-mjml.mailing.yaml');
    const mjml = fixtureUri('live-preview-mjml.mjml');
    await diagnosticsWhen(mailing, hasCode('test-not-sent'));
    const editor = await open(mjml);

    const opened = await vscode.commands.executeCommand<Outcome>('mailings.openPreviewToSide', mjml);
    assert.ok(opened.ok, opened.message);
    const first = await previewWhen('to show the compiled MJML', (view) => (view.html ?? '').includes('</html>'));
    assert.equal(first.source, mjml.fsPath);
    assert.equal(first.scrollSync, true);
    assert.equal(first.file, mailing.fsPath);
    assert.ok(first.recipient, 'rendered for a recipient of the list');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, mjml.fsPath, 'the editor keeps the focus');

    // Typing: text into the first mj-text, and an attribute mj-text does not have.
    const text = editor.document.getText();
    const at = text.indexOf('<mj-text', text.indexOf('<mj-body'));
    assert.ok(at >= 0, 'the starter has an mj-text');
    const close = text.indexOf('>', at);
    await editor.edit((b) => b.insert(editor.document.positionAt(close + 1), 'Typed live, not saved. '));
    const typed = await previewWhen('to show the typed text', (view) => (view.html ?? '').includes('Typed live, not saved.'));
    assert.ok(typed.html?.includes('mailings-line-'), 'the blocks carry their lines');
    await editor.edit((b) => b.insert(editor.document.positionAt(at + '<mj-text'.length), ' colour="red"'));
    const squiggles = await diagnosticsWhen(mjml, hasCode('mjml-invalid'));
    const invalid = squiggles.find((d) => codeOf(d) === 'mjml-invalid');
    assert.equal(invalid?.range.start.line, editor.document.positionAt(at).line, 'at the typed line');
    await previewWhen('to show the error in its banner', (view) => view.errors.some((e) => e.code === 'mjml-invalid' && e.range.start.line === invalid?.range.start.line));
    assert.ok(editor.document.isDirty, 'nothing was saved');
    assert.ok(!fs.readFileSync(mjml.fsPath, 'utf8').includes('Typed live'), 'the file on disk is as it was');

    // Undo the attribute: the squiggle goes, still unsaved.
    await vscode.commands.executeCommand('undo');
    await diagnosticsWhen(mjml, lacksCode('mjml-invalid'));

    // An action saves the typed file first: what is tested is what is on disk.
    await vscode.commands.executeCommand<Outcome>('mailings.sendTest', mailing);
    assert.ok(fs.readFileSync(mjml.fsPath, 'utf8').includes('Typed live, not saved.'), 'Send test saved the .mjml file');
  });

  it('refuses a file no mailing uses, with a message and no panel', async () => {
    const loose = fixtureUri('not-used-by-any.mjml');
    fs.writeFileSync(loose.fsPath, '<mjml><mj-body></mj-body></mjml>\n');
    try {
      await open(loose);
      const outcome = await vscode.commands.executeCommand<Outcome>('mailings.openPreviewToSide', loose);
      assert.equal(outcome.ok, false);
      assert.equal((await api()).livePreviews().length, 0);
    } finally {
      fs.rmSync(loose.fsPath, { force: true });
    }
  });
});
