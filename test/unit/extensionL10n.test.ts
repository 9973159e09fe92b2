// Every user-visible string of the extension is localized: each vscode.l10n.t() message of
// src/extension has a Dutch entry in l10n/bundle.l10n.nl.json, every %key% of package.json is in
// package.nls.json and package.nls.nl.json, and the seed's own Dutch words are used for its terms.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UI_STRINGS } from '../../src/extension/webview/uiStrings';

const root = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The first argument of every l10n.t(...) call (and of `t(...)` where t is vscode.l10n.t). */
function l10nMessages(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const match of text.matchAll(/(?:l10n\.t|\bt)\(\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/g)) {
    out.push(match[1].slice(1, -1).replace(/\\(['"\\])/g, '$1'));
  }
  return out;
}

const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;

describe('extension localization', () => {
  // src/extension/webview (the panels' host code) included; the page's strings are UI_STRINGS.
  const files = sourceFiles(path.join(root, 'src/extension'));
  const bundle = readJson('l10n/bundle.l10n.nl.json');

  it('has a Dutch translation for every l10n.t message and every webview string', () => {
    const messages = [...new Set([...files.flatMap(l10nMessages), ...Object.values(UI_STRINGS)])];
    assert.ok(messages.length > 50, `expected many messages, found ${messages.length}`);
    const missing = messages.filter((message) => typeof bundle[message] !== 'string');
    assert.deepEqual(missing, [], `missing in l10n/bundle.l10n.nl.json:\n${missing.join('\n')}`);
  });

  it('keeps the {n} placeholders of every message', () => {
    for (const [english, dutch] of Object.entries(bundle)) {
      const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
      assert.deepEqual(placeholders(String(dutch)), placeholders(english), `placeholders of "${english}"`);
    }
  });

  it('defines every %key% of package.json in English and Dutch', () => {
    const manifest = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
    const keys = [...new Set([...manifest.matchAll(/"%([A-Za-z0-9_.-]+)%"/g)].map((m) => m[1]))];
    const en = readJson('package.nls.json');
    const nl = readJson('package.nls.nl.json');
    assert.deepEqual(keys.filter((key) => !(key in en)), []);
    assert.deepEqual(keys.filter((key) => !(key in nl)), []);
    assert.deepEqual(Object.keys(nl).sort(), Object.keys(en).sort());
  });

  it("uses the seed's Dutch words for its terms", () => {
    const nl = readJson('package.nls.nl.json');
    assert.equal(nl['command.confirm'], 'Bevestigen…');
    assert.equal(nl['command.sendNow'], 'Nu verzenden');
    assert.equal(nl['command.schedule'], 'Plannen…');
    assert.equal(nl['command.sendTest'], 'Test verzenden');
    assert.equal(nl['command.stop'], 'Stoppen');
    assert.equal(nl['command.start'], 'Starten');
    assert.equal(nl['command.showStatistics'], 'Verzendstatus en statistieken');
    assert.equal(bundle['Set now'], 'Nu instellen');
    assert.equal(bundle['Scheduled to send at'], 'Gepland voor verzenden om');
  });
});
