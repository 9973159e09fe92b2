// Language tooling on *.mailing.yaml inside a real VS Code: diagnostics with our codes, quick fixes,
// completion and hover from the schema and the target list, document links, New Mailing and
// Validate Workspace.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  allOf,
  anyDiagnostics,
  api,
  closeAll,
  codeOf,
  copyMailing,
  diagnosticsWhen,
  expectation,
  fixtureUri,
  hasCode,
  lacksCode,
  open,
  positionOf,
  workspaceDir,
} from './helpers';

describe('language tooling', () => {
  before(async () => {
    await api();
  });
  afterEach(closeAll);

  it('activates and reports how long activation took', async () => {
    const mailings = await api();
    assert.equal(typeof mailings.activationMs, 'number');
    console.log(`      (activate() took ${mailings.activationMs} ms)`);
  });

  it('shows diagnostics with our codes for a broken mailing', async () => {
    const uri = fixtureUri('broken.mailing.yaml');
    await open(uri);
    const diagnostics = await diagnosticsWhen(uri, allOf(hasCode('merge-field-unknown'), hasCode('unsubscribe-missing'), hasCode('subject-missing')));
    const field = diagnostics.find((d) => codeOf(d) === 'merge-field-unknown');
    assert.ok(field);
    assert.equal(field.severity, vscode.DiagnosticSeverity.Error);
    const document = await vscode.workspace.openTextDocument(uri);
    assert.match(document.getText(field.range), /firstNme/);
  });

  it('re-checks on every edit', async () => {
    const uri = copyMailing('outbox.mailing.yaml', 'edited.mailing.yaml');
    const editor = await open(uri);
    await diagnosticsWhen(uri, lacksCode('merge-field-unknown'));
    await editor.edit((edit) => edit.insert(positionOf(editor.document, '{{firstName}}, a letter', '{{firstName}}'.length), ' {{nickname}}'));
    await diagnosticsWhen(uri, hasCode('merge-field-unknown'));
  });

  it('re-checks when a referenced file changes on disk', async () => {
    const csv = `${workspaceDir()}/people.csv`;
    const html = `${workspaceDir()}/people.html`;
    fs.writeFileSync(csv, 'email,firstName\nann@example.com,Ann\n');
    fs.writeFileSync(html, '<p>Hi {{firstName}}</p>');
    const uri = copyMailing('outbox.mailing.yaml', 'people.mailing.yaml', (text) => text.replace('customers.csv', 'people.csv').replace('newsletter.html', 'people.html'));
    await open(uri);
    await diagnosticsWhen(uri, allOf(hasCode('test-not-sent'), lacksCode('merge-field-unknown')));
    // A merge field in the HTML file is reported in that file.
    fs.writeFileSync(html, '<p>Hi {{firstName}} from {{city}}</p>');
    const [unknown] = await diagnosticsWhen(vscode.Uri.file(html), hasCode('merge-field-unknown'));
    assert.match(unknown.message, /city/);
    fs.writeFileSync(csv, 'email,firstName,city\nann@example.com,Ann,Gouda\n');
    await diagnosticsWhen(vscode.Uri.file(html), lacksCode('merge-field-unknown'));
  });

  it('quick fix: corrects a misspelled merge field to the nearest field', async () => {
    const uri = copyMailing('broken.mailing.yaml', 'fix-field.mailing.yaml');
    const editor = await open(uri);
    const [field] = (await diagnosticsWhen(uri, hasCode('merge-field-unknown'))).filter((d) => codeOf(d) === 'merge-field-unknown');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, field.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((action) => action.title === 'Change to {{firstName}}');
    assert.ok(fix?.edit, `quick fixes: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(editor.document.getText(), /Dear \{\{firstName\}\}/);
    await diagnosticsWhen(uri, lacksCode('merge-field-unknown'));
  });

  it('quick fix: adds an unsubscribe block and a missing key', async () => {
    const uri = copyMailing('broken.mailing.yaml', 'fix-keys.mailing.yaml');
    const editor = await open(uri);
    await diagnosticsWhen(uri, allOf(hasCode('unsubscribe-missing'), hasCode('subject-missing')));
    const fixes: [code: string, title: string][] = [
      ['unsubscribe-missing', 'Add an unsubscribe block'],
      ['subject-missing', 'Add missing key "subject"'],
    ];
    for (const [code, title] of fixes) {
      const current = (await diagnosticsWhen(uri, hasCode(code))).find((d) => codeOf(d) === code);
      assert.ok(current);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, current.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((action) => action.title === title);
      assert.ok(fix?.edit, `no quick fix "${title}": ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      await diagnosticsWhen(uri, lacksCode(code));
    }
    assert.match(editor.document.getText(), /^unsubscribe:\n  url: /m);
    assert.match(editor.document.getText(), /^subject: /m);
  });

  it('quick fix: corrects a misspelled key, enum value and time zone in the broken example', async () => {
    const example = path.resolve(__dirname, '../../../../examples/broken');
    const folder = path.join(workspaceDir(), 'example-broken');
    fs.cpSync(example, folder, { recursive: true });
    const uri = vscode.Uri.file(path.join(folder, 'broken.mailing.yaml'));
    const editor = await open(uri);
    await diagnosticsWhen(uri, allOf(hasCode('schema'), hasCode('timezone-invalid')));
    for (const [code, wrong, title] of [
      ['schema', 'subjet', 'Change to subject'],
      ['schema', 'smpt', 'Change to smtp'],
      ['timezone-invalid', 'Amsterdm', 'Change to Europe/Amsterdam'],
    ]) {
      const shown = (await diagnosticsWhen(uri, hasCode(code))).find((d) => codeOf(d) === code && editor.document.getText(d.range).includes(wrong));
      assert.ok(shown, `no ${code} diagnostic on ${wrong}`);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, shown.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((action) => action.title === title);
      assert.ok(fix?.edit, `no quick fix "${title}": ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      await diagnosticsWhen(
        uri,
        expectation(`to lack ${code} on ${wrong}`, (list) => !list.some((d) => codeOf(d) === code && editor.document.getText(d.range).includes(wrong))),
      );
    }
    assert.match(editor.document.getText(), /^subject: /m);
    assert.match(editor.document.getText(), /transport: smtp /);
    assert.match(editor.document.getText(), /timezone: Europe\/Amsterdam /);
  });

  it('completes schema keys with their descriptions', async () => {
    const uri = copyMailing('outbox.mailing.yaml', 'complete.mailing.yaml', (text) => text.replace('sending:\n  transport: outbox\n', 'sending:\n  \n'));
    const editor = await open(uri);
    const position = positionOf(editor.document, 'sending:\n  ', 'sending:\n  '.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
    const labels = list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    for (const key of ['transport', 'rate', 'connections']) assert.ok(labels.includes(key), `missing ${key} in ${labels.join(', ')}`);
    const transport = list.items.find((item) => item.label === 'transport');
    const documentation = transport?.documentation;
    assert.match(typeof documentation === 'string' ? documentation : (documentation?.value ?? ''), /outbox/);
  });

  it('completes enum values and merge fields from the target list columns', async () => {
    const uri = copyMailing('outbox.mailing.yaml', 'values.mailing.yaml', (text) => text.replace('transport: outbox', 'transport: ').replace('a letter for the outbox', 'a letter {{'));
    const editor = await open(uri);
    const valuePosition = positionOf(editor.document, 'transport: ', 'transport: '.length);
    const values = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, valuePosition);
    const enumValues = values.items.filter((item) => item.kind === vscode.CompletionItemKind.Value).map((item) => item.label);
    assert.deepEqual(enumValues.sort(), ['outbox', 'smtp']);

    const fieldPosition = positionOf(editor.document, 'a letter {{', 'a letter {{'.length);
    const fields = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, fieldPosition, '{');
    const names = fields.items.filter((item) => item.kind === vscode.CompletionItemKind.Field).map((item) => item.label);
    for (const name of ['email', 'firstName', 'lastName', 'city']) assert.ok(names.includes(name), `missing ${name} in ${names.join(', ')}`);
  });

  it('hovers with the schema description and the merge field origin', async () => {
    const uri = fixtureUri('outbox.mailing.yaml');
    const editor = await open(uri);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, positionOf(editor.document, 'unsubscribe:', 2));
    const text = hovers.flatMap((hover) => hover.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /List-Unsubscribe/);
    const fieldHovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, positionOf(editor.document, '{{firstName}}', 4));
    const fieldText = fieldHovers.flatMap((hover) => hover.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(fieldText, /firstName/);
    assert.match(fieldText, /Jane/);
  });

  it('links referenced files', async () => {
    const uri = fixtureUri('newsletter.mailing.yaml');
    await open(uri);
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
    const targets = links.map((link) => link.target?.fsPath ?? '').sort();
    assert.ok(targets.includes(fixtureUri('customers.csv').fsPath), targets.join(', '));
    assert.ok(targets.includes(fixtureUri('newsletter.html').fsPath), targets.join(', '));
  });

  for (const [format, name, content] of [
    ['html', 'Spring sale', 'spring-sale.html'],
    ['mjml', 'Spring sale MJML', 'spring-sale-mjml.mjml'],
    ['markdown', 'Spring sale Markdown', 'spring-sale-markdown.md'],
  ] as const) {
    it(`New Mailing in ${format} writes a complete mailing and its ${path.extname(content)} file that only lack a test`, async () => {
      const outcome = await vscode.commands.executeCommand<{ ok: boolean; message?: string }>('mailings.newMailing', vscode.Uri.file(workspaceDir()), name, format);
      assert.ok(outcome.ok, outcome.message);
      const uri = fixtureUri(`${path.basename(content, path.extname(content))}.mailing.yaml`);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, uri.fsPath);
      assert.ok(fs.existsSync(fixtureUri(content).fsPath), content);
      const diagnostics = await diagnosticsWhen(uri, anyDiagnostics);
      assert.deepEqual(diagnostics.filter((d) => d.severity !== vscode.DiagnosticSeverity.Information && d.severity !== vscode.DiagnosticSeverity.Hint).map(codeOf), ['test-not-sent']);
      const again = await vscode.commands.executeCommand<{ ok: boolean; message?: string }>('mailings.newMailing', vscode.Uri.file(workspaceDir()), name, format);
      assert.equal(again.ok, false, 'nothing is overwritten');
    });
  }

  it('Validate Workspace checks every mailing, open or not', async () => {
    const outcome = await vscode.commands.executeCommand<{ ok: boolean; checked: number; withErrors: number }>('mailings.validateWorkspace');
    assert.ok(outcome.ok);
    assert.ok(outcome.checked >= 3, `checked ${outcome.checked}`);
    assert.ok(outcome.withErrors >= 1);
    assert.ok(hasCode('merge-field-unknown').test(await diagnosticsWhen(fixtureUri('broken.mailing.yaml'), anyDiagnostics)));
  });
});
