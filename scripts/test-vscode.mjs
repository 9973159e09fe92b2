#!/usr/bin/env node
// Runs the extension-host tests (out/test/vscode/index.js -> out/test/vscode/suite/**/*.test.js)
// inside a real VS Code, through the standard @vscode/test-electron entry point. Offline, the
// "VS Code executable" is test/vscode/shim/code, which runs them in code-server + headless Chromium.
//   bash scripts/tools.sh && npx tsc -p . && node scripts/test-vscode.mjs
// With internet and desktop VS Code, MAILINGS_VSCODE_DESKTOP=1 lets test-electron download VS Code.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadToolsEnv } from './toolsEnv.mjs';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const desktop = process.env.MAILINGS_VSCODE_DESKTOP === '1';
if (!desktop) loadToolsEnv('test-vscode');

const extensionTestsPath = path.join(root, 'out/test/vscode/index');
if (!fs.existsSync(`${extensionTestsPath}.js`)) {
  console.error('test-vscode: out/test/vscode/index.js is missing: build first (npx tsc -p .)');
  process.exit(2);
}
if (!fs.existsSync(path.join(root, 'dist/extension.js'))) {
  console.error('test-vscode: warning: dist/extension.js is missing (node esbuild.mjs): the extension will not activate');
}

// A throw-away copy of the workspace fixture, so tests may write to it.
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mailings-vscode-ws-'));
const fixture = path.join(root, 'test/fixtures/workspace');
if (fs.existsSync(fixture)) fs.cpSync(fixture, folder, { recursive: true });

let code = 1;
try {
  code = await runTests({
    ...(desktop ? {} : { vscodeExecutablePath: path.join(root, 'test/vscode/shim/code') }),
    extensionDevelopmentPath: root,
    extensionTestsPath,
    launchArgs: [folder, '--disable-extensions'],
    extensionTestsEnv: { MAILINGS_TEST_WORKSPACE: folder },
  });
} catch (e) {
  // TestRunFailedError: the shim (or VS Code) exited non-zero; its output is already printed
  code = typeof e?.code === 'number' && e.code !== 0 ? e.code : 1;
  if (!(e && e.name === 'TestRunFailedError') && !/Test run failed/.test(String(e?.message))) console.error(e);
} finally {
  fs.rmSync(folder, { recursive: true, force: true });
}
process.exit(code);
