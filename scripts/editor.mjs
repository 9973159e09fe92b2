#!/usr/bin/env node
// `npm run editor`: the real VS Code (code-server, as the tests use it) on 127.0.0.1 with this
// extension installed and a copy of examples/ opened: try the extension in a browser without
// installing VS Code.
//   bash scripts/tools.sh && npm run build && npm run editor [-- --port 8377] [--smtp]
// --smtp also starts a local SMTP server on 127.0.0.1 that prints what arrives, and points the
// mailings.smtp.* settings of this editor at it (password: "editor").
// The folder opens in Restricted Mode (checks work, nothing sends): "Manage" in the banner trusts it.
// Stop with Ctrl+C: code-server and everything it started end with it.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadToolsEnv } from './toolsEnv.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';

function fail(message) {
  console.error(`editor: ${message}`);
  process.exit(2);
}

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

function freePort(preferred) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => {
      const any = net.createServer();
      any.listen(0, HOST, () => {
        const { port } = any.address();
        any.close(() => resolve(port));
      });
    });
    probe.listen(preferred, HOST, () => probe.close(() => resolve(preferred)));
  });
}

function newest(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** Packs the built extension into a .vsix (only when the build is newer than the last one). */
function packageExtension(home) {
  const bundle = path.join(root, 'dist/extension.js');
  if (!fs.existsSync(bundle)) fail('dist/extension.js is missing: run `npm run build` first');
  const vsix = path.join(home, 'mailings.vsix');
  const inputs = [bundle, path.join(root, 'package.json'), path.join(root, 'package.nls.json'), path.join(root, 'dist/webview/confirm.js')];
  if (fs.existsSync(vsix) && newest(vsix) >= Math.max(...inputs.map(newest))) return vsix;
  console.log('editor: packaging the extension (vsce package)…');
  const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', '--no-rewrite-relative-links', '--out', vsix], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) fail('vsce package failed');
  return vsix;
}

async function startSmtp() {
  const { SMTPServer } = await import('smtp-server');
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      let size = 0;
      stream.on('data', (chunk) => (size += chunk.length));
      stream.on('end', () => {
        console.log(`smtp: ${session.envelope.mailFrom && session.envelope.mailFrom.address} -> ${session.envelope.rcptTo.map((r) => r.address).join(', ')} (${size} bytes)`);
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, HOST, resolve));
  return server;
}

loadToolsEnv('editor');
if (!process.env.CODE_SERVER_BIN) fail('CODE_SERVER_BIN is not set by the tools env (scripts/tools.sh)');
const home = path.join(os.tmpdir(), 'mailings-editor');
const userDataDir = path.join(home, 'user-data');
const extensionsDir = path.join(home, 'extensions');
const workspace = path.join(home, 'workspace');
fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
fs.mkdirSync(extensionsDir, { recursive: true });

// A fresh copy of the examples each time (the previous run's state and edits are dropped).
const examples = fs.existsSync(path.join(root, 'examples')) ? path.join(root, 'examples') : path.join(root, 'test/fixtures/workspace');
fs.rmSync(workspace, { recursive: true, force: true });
fs.cpSync(examples, workspace, { recursive: true });

const vsix = packageExtension(home);
const install = spawnSync(process.env.CODE_SERVER_BIN, ['--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--force', '--install-extension', vsix], {
  encoding: 'utf8',
  env: { ...process.env, EXTENSIONS_GALLERY: '{}' },
});
if (install.status !== 0) fail(`installing the extension failed:\n${install.stdout}${install.stderr}`);

const settings = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.startupPrompt': 'never',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};
let smtp;
const env = { ...process.env, EXTENSIONS_GALLERY: '{}' };
// The SMTP settings are machine-scoped: code-server reads them from its Machine settings only.
const machineSettings = {};
if (process.argv.includes('--smtp')) {
  smtp = await startSmtp();
  Object.assign(machineSettings, {
    'mailings.smtp.host': HOST,
    'mailings.smtp.port': smtp.server.address().port,
    'mailings.smtp.security': 'none',
    'mailings.smtp.user': 'editor',
  });
}
fs.writeFileSync(path.join(userDataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));
fs.mkdirSync(path.join(userDataDir, 'Machine'), { recursive: true });
fs.writeFileSync(path.join(userDataDir, 'Machine/settings.json'), JSON.stringify(machineSettings, null, 2));

const port = await freePort(Number(option('--port', '8377')));
const child = spawn(
  process.env.CODE_SERVER_BIN,
  [
    '--auth', 'none',
    '--bind-addr', `${HOST}:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    workspace,
  ],
  { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env },
);
let output = '';
child.stdout.on('data', (d) => (output += d));
child.stderr.on('data', (d) => (output += d));

const stop = () => {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  smtp?.close();
};
process.on('SIGINT', () => {
  stop();
  process.exit(0);
});
process.on('SIGTERM', () => {
  stop();
  process.exit(0);
});
child.on('exit', (code) => {
  console.error(`editor: code-server exited (${code})\n${output.slice(-4000)}`);
  smtp?.close();
  process.exit(code ?? 1);
});

const url = `http://${HOST}:${port}/?folder=${encodeURIComponent(workspace)}`;
for (let i = 0; i < 600; i++) {
  const ok = await fetch(`http://${HOST}:${port}/healthz`).then((r) => r.ok, () => false);
  if (ok) break;
  await new Promise((r) => setTimeout(r, 100));
}
console.log(`\nMailings in VS Code (code-server): ${url}`);
console.log(`workspace: ${workspace} (a copy of ${path.relative(root, examples)})`);
if (smtp) console.log(`local SMTP server: ${HOST}:${smtp.server.address().port}; set any password with "Mailings: Set SMTP Password"`);
console.log('Ctrl+C stops it.');
