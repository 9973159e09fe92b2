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
import { runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function loadToolsEnv() {
  const dir = process.env.MAILINGS_TOOLS || path.join(os.homedir(), '.cache', 'mailings-tools');
  const file = path.join(dir, 'env.sh');
  if (!fs.existsSync(file)) {
    console.error(`test-vscode: ${file} is missing: run \`bash scripts/tools.sh\` first`);
    process.exit(2);
  }
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^export ([A-Z0-9_]+)="([^"$]*)"$/.exec(line.trim());
    if (m && process.env[m[1]] === undefined) process.env[m[1]] = m[2];
  }
}

const desktop = process.env.MAILINGS_VSCODE_DESKTOP === '1';
if (!desktop) loadToolsEnv();

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
