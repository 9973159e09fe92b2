// Proves the real-VS-Code harness (test/support/codeServer.ts) works, on a tiny fixture extension:
// extension-host tests pass and fail as they should, and the workbench UI can be driven.
import * as assert from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import {
  findWebviewFrame,
  openWorkbench,
  pickQuickInputItem,
  runCommand,
  runExtensionTests,
  screenshot,
  startCodeServer,
  waitForText,
  type CodeServer,
  type Workbench,
} from '../support/codeServer';

const root = path.resolve(__dirname, '../../..');
const hello = path.join(root, 'test/fixtures/hello-extension');
// MAILINGS_E2E_VERBOSE=1 echoes the extension host's output (=all: the workbench's log too)
const verbose = process.env.MAILINGS_E2E_VERBOSE;
const echo = verbose
  ? (line: string, source: string) => {
      if (source === 'extensionHost' || verbose === 'all') console.log(`    | ${line}`);
    }
  : undefined;

describe('code-server harness', function () {
  this.timeout(240_000);
  let folder: string;

  before(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mailings-hello-ws-'));
    fs.writeFileSync(path.join(folder, 'readme.txt'), 'hello workspace\n');
    fs.writeFileSync(path.join(folder, 'notes.md'), '# Harness notes\n\nA *webview* test.\n');
  });
  after(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('runs extension-host tests that pass (code 0)', async () => {
    const { code, log } = await runExtensionTests({
      extensionDevelopmentPath: hello,
      extensionTestsPath: path.join(hello, 'test/index'),
      folder,
      env: { HELLO_GREETING: 'from-harness', HELLO_FOLDER: folder },
      timeoutMs: 180_000,
      onLog: echo,
    });
    assert.strictEqual(code, 0, `expected the fixture tests to pass; log:\n${log}`);
    assert.match(log, /hello: 4 passed, 0 failed/);
  });

  it('reports a failing extension-host test (non-zero code)', async () => {
    const { code, log } = await runExtensionTests({
      extensionDevelopmentPath: hello,
      extensionTestsPath: path.join(hello, 'test/failing'),
      folder,
      timeoutMs: 180_000,
      onLog: echo,
    });
    assert.notStrictEqual(code, 0, `expected a failure; log:\n${log}`);
    assert.match(log, /about to fail on purpose/);
  });

  it('runs them through @vscode/test-electron runTests with the shim as VS Code', async () => {
    // the standard entry point, as scripts/test-vscode.mjs uses it; extensionTestsEnv reaches the
    // extension host through the shim's environment
    const code = await runTests({
      vscodeExecutablePath: path.join(root, 'test/vscode/shim/code'),
      extensionDevelopmentPath: hello,
      extensionTestsPath: path.join(hello, 'test/index'),
      launchArgs: [folder, '--disable-extensions'],
      extensionTestsEnv: { HELLO_GREETING: 'from-harness', HELLO_FOLDER: folder },
    });
    assert.strictEqual(code, 0);
  });

  describe('workbench UI', () => {
    let cs: CodeServer | undefined;
    let wb: Workbench | undefined;
    afterEach(async function () {
      if (this.currentTest?.state === 'failed' && wb) await screenshot(wb.page, 'harness-failed').catch(() => undefined);
    });
    after(async () => {
      await wb?.close();
      await cs?.stop();
    });

    it('runs the fixture command from the palette and shows its notification', async () => {
      // installed as a user's extension (not extensionDevelopmentPath): the smoke-test driver that
      // development mode needs hides notification toasts
      cs = await startCodeServer({ extensions: [hello], env: { HELLO_GREETING: 'from-the-palette' } });
      wb = await openWorkbench(cs, { folder });
      const { page } = wb;
      // the folder is open in the explorer
      await waitForText(page, '.explorer-folders-view .monaco-list-row', 'readme.txt', 30_000);
      await runCommand(page, 'Hello Fixture: Say Hello');
      const toast = await waitForText(page, '.notifications-toasts', 'Hello from the fixture extension (from-the-palette)', 30_000);
      assert.ok(await toast.isVisible());
      const file = await screenshot(page, 'harness-hello-notification');
      assert.ok(fs.statSync(file).size > 10_000, `screenshot too small: ${file}`);
    });

    it('finds a webview frame (the built-in Markdown preview) and switches the color theme', async () => {
      assert.ok(wb, 'the workbench of the previous test');
      const { page } = wb;
      await (await waitForText(page, '.explorer-folders-view .monaco-list-row', 'notes.md')).click();
      await page.locator('.monaco-editor .view-lines', { hasText: 'Harness notes' }).first().waitFor();
      await runCommand(page, 'Markdown: Open Preview to the Side');
      const frame = await findWebviewFrame(page, 'h1', 30_000);
      assert.strictEqual((await frame.locator('h1').textContent())?.trim(), 'Harness notes');
      await runCommand(page, 'Preferences: Color Theme');
      await pickQuickInputItem(page, 'Dark Modern');
      await page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 15_000 });
      await screenshot(page, 'harness-webview-dark');
    });
  });
});
