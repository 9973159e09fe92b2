// A real VS Code for tests: code-server (the VS Code workbench and extension host, served to a
// browser) driven by headless Chromium through playwright-core. See docs/testing-vscode.md.
//
// Tools come from scripts/tools.sh (CODE_SERVER_BIN in the environment, or read from
// ${MAILINGS_TOOLS:-~/.cache/mailings-tools}/env.sh).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import type { BrowserContext, Frame, Locator, Page } from 'playwright-core';

const HOST = '127.0.0.1';

export interface CodeServerOptions {
  /** Folder code-server opens when the URL names none. */
  workspace?: string;
  /** Extra environment for code-server; its extension host inherits it. */
  env?: Record<string, string>;
  /** User settings, merged over DEFAULT_SETTINGS. */
  settings?: object;
  /**
   * Extension folders to install (symlinked into the fresh extensions dir, as a user's installed
   * extensions). Use this rather than extensionDevelopmentPath for UI tests: see openWorkbench.
   */
  extensions?: string[];
  /** Extra command-line arguments for code-server. */
  args?: string[];
  /**
   * Keep VS Code's workspace trust on (default off): the folder then opens in Restricted Mode, as a
   * freshly cloned repository would. (An extension-development window is always trusted, so a
   * Restricted Mode test installs the extension with `extensions` instead.)
   */
  workspaceTrust?: boolean;
  /** How long to wait for GET /healthz (default 60 s). */
  startTimeoutMs?: number;
}

export interface CodeServer {
  /** http://127.0.0.1:PORT (no trailing slash) */
  url: string;
  port: number;
  /** 127.0.0.1:PORT: the page's host, which is also the remote authority of vscode-remote URIs */
  authority: string;
  userDataDir: string;
  extensionsDir: string;
  /** stdout and stderr of code-server so far */
  logs(): string;
  /** Kills code-server's process group and removes its temp dirs. Safe to call twice. */
  stop(): Promise<void>;
}

export interface WorkbenchOptions {
  /** Absolute folder to open. */
  folder: string;
  extensionDevelopmentPath?: string | string[];
  /** The mocha run() module (with or without .js). */
  extensionTestsPath?: string;
  /** Environment variables for the extension host (payload "extensionEnvironment"). */
  extensionEnvironment?: Record<string, string>;
  /** Picks this color theme through the palette once loaded (e.g. 'Light Modern'). */
  colorTheme?: string;
  /**
   * Called with each line the workbench logs through codeAutomationLog (only in a test run, i.e.
   * with extensionTestsPath): source 'extensionHost' is the tests' console output.
   */
  onLog?: (line: string, source: LogSource) => void;
  viewport?: { width: number; height: number };
  /**
   * Turn on the workbench's smoke-test driver (default: when any development option above is given,
   * since the workbench honours the payload only then). VS Code shows no notification toasts while
   * it is on: UI tests that look at toasts install their extension with startCodeServer({ extensions })
   * instead of passing extensionDevelopmentPath.
   */
  smokeTestDriver?: boolean;
  /** How long to wait for .monaco-workbench (default 60 s). */
  loadTimeoutMs?: number;
}

export interface Workbench {
  context: BrowserContext;
  page: Page;
  /** Resolves when the extension host's test run ends (codeAutomationExit); code 0 = passed. */
  waitForExit(timeoutMs?: number): Promise<{ code: number; log: string }>;
  /** The extension host's console output so far (what waitForExit returns as log). */
  log(): string;
  /** That and the workbench's own log lines (prefixed [workbench]). */
  fullLog(): string;
  close(): Promise<void>;
}

export interface ExtensionTestOptions {
  extensionDevelopmentPath: string | string[];
  extensionTestsPath: string;
  /** Folder to open; default: a fresh empty temp dir. */
  folder?: string;
  /** Environment for the extension host. */
  env?: Record<string, string>;
  /** Whole run, from starting code-server to the result (default 5 min). */
  timeoutMs?: number;
  settings?: object;
  /** Called with each line of output as it comes; source 'workbench' lines are the workbench's own log. */
  onLog?: (line: string, source: LogSource) => void;
}

/** User settings written for every code-server started here. */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

/** Chromium's flags for these machines (headless is added by playwright-core). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// ---- tools -----------------------------------------------------------------------------------

function toolsEnv(): Record<string, string> {
  const dir = process.env.MAILINGS_TOOLS || path.join(os.homedir(), '.cache', 'mailings-tools');
  const out: Record<string, string> = {};
  try {
    for (const line of fs.readFileSync(path.join(dir, 'env.sh'), 'utf8').split('\n')) {
      const m = /^export ([A-Z0-9_]+)="([^"$]*)"$/.exec(line.trim());
      if (m) out[m[1]] = m[2];
    }
  } catch {
    // not installed: reported by the caller
  }
  return out;
}

function codeServerBin(): string {
  const bin = process.env.CODE_SERVER_BIN || toolsEnv().CODE_SERVER_BIN;
  if (!bin || !fs.existsSync(bin)) {
    throw new Error(
      'code-server is not installed: run `bash scripts/tools.sh && . "${MAILINGS_TOOLS:-$HOME/.cache/mailings-tools}/env.sh"`',
    );
  }
  return bin;
}

function chromiumPath(): string {
  return process.env.CHROMIUM_BIN || '/usr/bin/chromium';
}

// ---- processes left behind if the test process dies ---------------------------------------------

const liveGroups = new Map<number, string>(); // process group -> its temp dir
const liveDirs = new Set<string>(); // browser profiles
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [g, dir] of liveGroups) {
      try {
        process.kill(-g, 'SIGKILL');
      } catch {
        // gone already
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
    for (const dir of liveDirs) fs.rmSync(dir, { recursive: true, force: true });
  });
}
function trackGroup(pid: number, tmp: string): void {
  liveGroups.set(pid, tmp);
  installExitHook();
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Probes until it answers (what cannot be awaited as an event: a port, a frame appearing); after
 * timeoutMs fails with what it waited for and, when `lastSeen` is given, what there was instead.
 */
async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, intervalMs = 100, lastSeen?: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) {
      const seen = lastSeen ? `; last seen: ${await lastSeen().catch((e: unknown) => String(e))}` : '';
      throw new Error(`waited ${timeoutMs / 1000} s for ${what}${seen}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

// ---- code-server ---------------------------------------------------------------------------------

export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  const bin = codeServerBin();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mailings-cs-'));
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  const configFile = path.join(tmp, 'config.yaml');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  for (const dir of opts.extensions ?? []) installExtension(extensionsDir, dir);
  fs.mkdirSync(path.join(tmp, 'data'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...(opts.settings ?? {}) }, null, 2),
  );
  // An explicit config file so code-server neither reads nor writes ~/.config/code-server.
  fs.writeFileSync(configFile, 'auth: none\ncert: false\n');

  const startTimeoutMs = opts.startTimeoutMs ?? 60_000;
  let logs = '';
  let lastError: Error | undefined;
  // A port picked here can be taken before code-server binds it: try again with another one.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const args = [
      '--config', configFile,
      '--auth', 'none',
      '--bind-addr', `${HOST}:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      '--ignore-last-opened',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      ...(opts.args ?? []),
      ...(opts.workspace ? [path.resolve(opts.workspace)] : []),
    ];
    // detached: the child calls setsid(), so it leads a process group of its own (pid = pgid) that
    // also holds the extension host, the pty host and everything they start: kill -- -pid ends all.
    const child: ChildProcess = spawn(bin, args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        XDG_DATA_HOME: path.join(tmp, 'data'),
        // no extension gallery (code-server would query open-vsx.org, unreachable here)
        EXTENSIONS_GALLERY: '{}',
        ...(opts.env ?? {}),
      },
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`cannot start ${bin}`);
    trackGroup(pid, tmp);
    let exited: string | undefined;
    const exitPromise = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exited = `code-server exited (${code ?? signal})`;
        resolve();
      });
    });
    child.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
    const url = `http://${HOST}:${port}`;
    try {
      await waitFor(`${url}/healthz`, startTimeoutMs, async () => {
        if (exited) throw new Error(exited);
        return (await httpStatus(`${url}/healthz`)) === 200 ? true : undefined;
      });
    } catch (e) {
      lastError = new Error(`${(e as Error).message}\n--- code-server output ---\n${logs}`);
      killGroup(pid, 'SIGKILL');
      liveGroups.delete(pid);
      if (/EADDRINUSE/.test(logs) && attempt < 3) {
        logs = '';
        continue;
      }
      break;
    }

    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopped ??= (async () => {
        killGroup(pid, 'SIGTERM');
        const gone = await Promise.race([
          exitPromise.then(() => true),
          new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref()),
        ]);
        // whatever is left in the group (or all of it, if SIGTERM was not enough)
        if (!gone || groupAlive(pid)) killGroup(pid, 'SIGKILL');
        await exitPromise;
        liveGroups.delete(pid);
        fs.rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
      })();
      return stopped;
    };
    return {
      url,
      port,
      authority: `${HOST}:${port}`,
      userDataDir,
      extensionsDir,
      logs: () => logs,
      stop,
    };
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  throw lastError ?? new Error('code-server did not start');
}

/**
 * The last lines of an extension's log output channel (`createOutputChannel(name, { log: true })`),
 * which code-server writes under its user-data-dir: what a failing UI test prints beside its own
 * message, to say what the extension did meanwhile.
 */
export function outputChannelTail(cs: CodeServer, name: string, lines = 40): string {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(`${name}.log`)) found.push(full);
    }
  };
  try {
    walk(path.join(cs.userDataDir, 'logs'));
  } catch {
    return `(no logs under ${cs.userDataDir})`;
  }
  if (found.length === 0) return `(no ${name} log)`;
  return found
    .map((file) => `--- ${path.relative(cs.userDataDir, file)}\n${fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')}`)
    .join('\n');
}

/**
 * The texts of the notifications the workbench shows (toasts and the notification center): what a
 * failing UI test prints, since a refusal or an error from VS Code itself often says why.
 */
export async function notificationTexts(page: Page): Promise<string[]> {
  const items = page.locator('.notification-list-item');
  const texts = await items.allTextContents().catch(() => [] as string[]);
  return texts.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** What a failing UI test prints: the extension's log and the workbench's notifications. */
export async function failureContext(cs: CodeServer, page: Page | undefined): Promise<string> {
  const notes = page ? await notificationTexts(page) : [];
  return `    the Mailings log:\n${outputChannelTail(cs, 'Mailings')}\n    notifications: ${notes.length ? notes.map((n) => `\n      - ${n}`).join('') : '(none)'}`;
}

/** Symlinks an extension folder into an extensions dir as <publisher>.<name>-<version>. */
function installExtension(extensionsDir: string, dir: string): void {
  const abs = path.resolve(dir);
  const pkg = JSON.parse(fs.readFileSync(path.join(abs, 'package.json'), 'utf8')) as {
    publisher?: string;
    name?: string;
    version?: string;
  };
  if (!pkg.publisher || !pkg.name || !pkg.version) throw new Error(`${abs}/package.json needs publisher, name and version`);
  fs.symlinkSync(abs, path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

// ---- the workbench in Chromium ------------------------------------------------------------------

// Runs in every frame before the page's own scripts. The built workbench honours the URL's
// `payload` (extensionDevelopmentPath, extensionTestsPath, extensionEnvironment) only when
// developmentOptions.enableSmokeTestDriver is set in the JSON of
// <meta id="vscode-workbench-web-configuration" data-settings="...">: set it as soon as the parser
// inserts that element, before workbench.js reads it.
const ENABLE_SMOKE_TEST_DRIVER = `(() => {
  if (window !== window.top) return;
  const ID = 'vscode-workbench-web-configuration';
  const patch = () => {
    const el = document.getElementById(ID);
    const raw = el && el.getAttribute('data-settings');
    if (!raw) return false;
    try {
      const s = JSON.parse(raw);
      if (s.developmentOptions && s.developmentOptions.enableSmokeTestDriver) return true;
      s.developmentOptions = Object.assign({}, s.developmentOptions, { enableSmokeTestDriver: true });
      el.setAttribute('data-settings', JSON.stringify(s));
    } catch (e) { console.error('enableSmokeTestDriver', e); }
    return true;
  };
  if (patch()) return;
  const mo = new MutationObserver(() => { if (patch()) mo.disconnect(); });
  mo.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-settings'] });
})();`;

function remoteUri(cs: CodeServer, p: string): string {
  const abs = path.resolve(p);
  return `vscode-remote://${cs.authority}${abs.split(path.sep).map(encodeURIComponent).join('/')}`;
}

/** The workbench URL for a folder and an optional development payload. */
export function workbenchUrl(cs: CodeServer, opts: WorkbenchOptions): string {
  const payload: [string, string][] = [];
  const devPaths = opts.extensionDevelopmentPath === undefined ? [] : ([] as string[]).concat(opts.extensionDevelopmentPath);
  for (const p of devPaths) payload.push(['extensionDevelopmentPath', remoteUri(cs, p)]);
  if (opts.extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(cs, opts.extensionTestsPath)]);
  if (opts.extensionEnvironment) payload.push(['extensionEnvironment', JSON.stringify(opts.extensionEnvironment)]);
  let url = `${cs.url}/?folder=${encodeURIComponent(path.resolve(opts.folder))}`;
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

function formatLogArgs(args: unknown): string {
  const list = Array.isArray(args) ? args : [args];
  // printf-style like console.log (mocha's reporters log "%s" formats); drops %c styling
  return util.format(...list).replace(/\s+$/, '');
}

/** Where a codeAutomationLog line came from: the extension host's console, or the workbench itself. */
export type LogSource = 'extensionHost' | 'workbench';

// The workbench sends both its own log and (in a test run) the extension host's console through
// window.codeAutomationLog. Only the latter passes through the RPC method $logExtensionHostMessage:
// tag each call from its stack.
const TAG_AUTOMATION_LOG = `(() => {
  if (window !== window.top) return;
  window.codeAutomationLog = function (level, args) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 100;
    const stack = new Error().stack || '';
    Error.stackTraceLimit = limit;
    const source = stack.includes('$logExtensionHostMessage') ? 'extensionHost' : 'workbench';
    return window.__mailingsAutomationLog(level, args, source);
  };
})();`;

export async function openWorkbench(cs: CodeServer, opts: WorkbenchOptions): Promise<Workbench> {
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'mailings-chromium-'));
  liveDirs.add(profile);
  installExitHook();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: opts.viewport ?? { width: 1400, height: 900 },
  });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
      liveDirs.delete(profile);
    })();
    return closed;
  };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const lines: string[] = []; // the extension host's console output
    const all: string[] = []; // and the workbench's own log
    let settle: ((r: { code: number; log: string }) => void) | undefined;
    const exited = new Promise<{ code: number; log: string }>((resolve) => (settle = resolve));
    const finish = (code: number, extra?: string): void => {
      if (extra) lines.push(extra);
      settle?.({ code, log: lines.join('\n') });
      settle = undefined;
    };
    await page.exposeFunction('__mailingsAutomationLog', (level: string, args: unknown, source: LogSource) => {
      const text = formatLogArgs(args);
      const line = level === 'error' || level === 'warn' ? `[${level}] ${text}` : text;
      all.push(source === 'workbench' ? `[workbench] ${line}` : line);
      if (source === 'extensionHost') lines.push(line);
      opts.onLog?.(line, source);
    });
    await page.addInitScript(TAG_AUTOMATION_LOG);
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(Number(code)));
    page.on('crash', () => finish(1, 'workbench page crashed'));
    page.on('close', () => finish(1, 'workbench page closed'));
    const smoke =
      opts.smokeTestDriver ??
      (opts.extensionDevelopmentPath !== undefined || opts.extensionTestsPath !== undefined || opts.extensionEnvironment !== undefined);
    if (smoke) await page.addInitScript(ENABLE_SMOKE_TEST_DRIVER);
    await page.goto(workbenchUrl(cs, opts), { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('.monaco-workbench', { timeout: opts.loadTimeoutMs ?? 60_000 });
    if (opts.colorTheme) await setColorTheme(page, opts.colorTheme);

    const waitForExit = (timeoutMs?: number): Promise<{ code: number; log: string }> => {
      if (!timeoutMs) return exited;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<{ code: number; log: string }>((resolve) => {
        timer = setTimeout(
          () => resolve({ code: 124, log: `${lines.join('\n')}\ntimed out after ${timeoutMs} ms waiting for the extension tests to finish` }),
          timeoutMs,
        );
      });
      return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
    };
    return { context, page, waitForExit, log: () => lines.join('\n'), fullLog: () => all.join('\n'), close };
  } catch (e) {
    await close();
    throw e;
  }
}

async function setColorTheme(page: Page, theme: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  await pickQuickInputItem(page, theme, { timeoutMs: 15_000 });
}

/** Runs an extension-host test module in a fresh code-server; code 0 = passed. */
export async function runExtensionTests(opts: ExtensionTestOptions): Promise<{ code: number; log: string }> {
  const timeoutMs = opts.timeoutMs ?? 300_000;
  const started = Date.now();
  let tmpFolder: string | undefined;
  const folder = opts.folder ?? (tmpFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'mailings-ws-')));
  const cs = await startCodeServer({ env: opts.env, settings: opts.settings });
  let wb: Workbench | undefined;
  try {
    wb = await openWorkbench(cs, {
      folder,
      extensionDevelopmentPath: opts.extensionDevelopmentPath,
      extensionTestsPath: opts.extensionTestsPath,
      extensionEnvironment: opts.env,
      onLog: opts.onLog,
    });
    const left = Math.max(1000, timeoutMs - (Date.now() - started));
    return await wb.waitForExit(left);
  } catch (e) {
    return { code: 1, log: `${(e as Error).stack ?? e}\n--- code-server output ---\n${cs.logs()}` };
  } finally {
    await wb?.close();
    await cs.stop();
    if (tmpFolder) fs.rmSync(tmpFolder, { recursive: true, force: true });
  }
}

// ---- UI helpers for Playwright tests --------------------------------------------------------------

/**
 * Runs a command by its palette title: F1, type, wait for the row, Enter. Until the extension host
 * has registered an extension's commands the palette says "No matching commands" (and does not
 * refresh): the filter is typed again until the row shows or the time is up.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  // A quick input still closing from the last step (Quick Open after its Enter) looks visible and is
  // gone a moment later, taking a palette opened into it along: wait until none is shown, then open one.
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'hidden', timeout: timeoutMs }).catch(() => {
    throw new Error(`waited ${timeoutMs / 1000} s for the open quick input to close before running "${title}"`);
  });
  await page.keyboard.press('F1');
  await pickQuickInputItem(page, title, { filter: `>${title}`, timeoutMs });
}

/**
 * In the open quick input (palette, quick pick), types `filter` (default: the label) and accepts
 * the row whose label is exactly `label`, retyping until it shows. Returns once the quick input
 * has closed or moved on to another step (a command may open a picker of its own).
 */
export async function pickQuickInputItem(
  page: Page,
  label: string,
  opts: { filter?: string; timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const filter = opts.filter ?? label;
  const deadline = Date.now() + timeoutMs;
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  // the row whose label is exactly `label` (fuzzy matches and "similar commands" may come first)
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exact }) })
    .first();
  const prefix = filter.startsWith('>') ? '>' : '';
  for (;;) {
    await input.fill(prefix);
    await input.fill(filter);
    try {
      await row.waitFor({ timeout: Math.max(100, Math.min(2000, deadline - Date.now())) });
      break;
    } catch (e) {
      if (Date.now() >= deadline) {
        const shown = await page.locator('.quick-input-list .monaco-list-row .label-name').allTextContents().catch(() => []);
        throw new Error(`"${label}" not found in the quick input within ${timeoutMs} ms; it shows: ${JSON.stringify(shown)}`, { cause: e });
      }
    }
  }
  if ((await row.getAttribute('class'))?.split(/\s+/).includes('focused')) await page.keyboard.press('Enter');
  else await row.click();
  // accepted: the widget hides, or shows the next picker with another value
  await page
    .waitForFunction(
      (typed) => {
        const w = document.querySelector('.quick-input-widget') as HTMLElement | null;
        const i = w?.querySelector('input') as HTMLInputElement | null;
        return !w || w.style.display === 'none' || w.offsetParent === null || !i || i.value !== typed;
      },
      filter,
      { timeout: Math.max(1000, deadline - Date.now()) },
    )
    .catch(() => undefined);
}

/**
 * Waits until an element matching `selector` contains `text`; returns it. After `timeoutMs` it fails
 * with what it waited for (`what`, or the selector and text) and what those elements showed last:
 * "waited 15 s for '.codelens-decoration' to show /Completed/; last seen: ["Start now | Stop | …"]".
 */
export async function waitForText(
  page: Page | Frame,
  selector: string,
  text: string | RegExp,
  timeoutMs = 15_000,
  what = `'${selector}' to show ${typeof text === 'string' ? JSON.stringify(text) : String(text)}`,
): Promise<Locator> {
  const loc = page.locator(selector, { hasText: text }).first();
  try {
    await loc.waitFor({ state: 'attached', timeout: timeoutMs });
  } catch (error) {
    const shown = await page
      .locator(selector)
      .allInnerTexts()
      .then((texts) => texts.map((t) => t.replace(/\s+/g, ' ').trim()).slice(0, 12))
      .catch(() => ['(the page is gone)']);
    throw new Error(`waited ${timeoutMs / 1000} s for ${what}; last seen: ${JSON.stringify(shown)} (${shown.length} elements)`, { cause: error });
  }
  return loc;
}

function projectRoot(): string {
  // out/test/support/codeServer.js -> project root; test/support/codeServer.ts under ts-node
  for (const up of ['../../..', '../..']) {
    const dir = path.resolve(__dirname, up);
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

/** Saves a PNG to artifacts/screenshots/<name>.png (or $MAILINGS_SCREENSHOTS/<name>.png); returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = process.env.MAILINGS_SCREENSHOTS || path.join(projectRoot(), 'artifacts', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * The frame (a webview's inner iframe, however deeply nested) that holds `selector`. On timeout it
 * says what it looked for and what the frames' headings were.
 */
export async function findWebviewFrame(page: Page, selector: string, timeoutMs = 15_000): Promise<Frame> {
  const headings = async () => {
    const seen: string[] = [];
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      const h1 = await frame.locator('h1').allInnerTexts().catch(() => []);
      if (h1.length) seen.push(...h1);
    }
    return seen.length ? `frames with headings ${JSON.stringify(seen)}` : 'no webview frame with a heading';
  };
  return waitFor(`a frame containing ${selector}`, timeoutMs, async () => {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      try {
        if (await frame.$(selector)) return frame;
      } catch {
        // the frame navigated or went away meanwhile
      }
    }
    return undefined;
  }, 200, headings);
}
