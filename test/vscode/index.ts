// The extension-host test entry point (what @vscode/test-electron's extensionTestsPath names):
// runs every out/test/vscode/suite/**/*.test.js with mocha (bdd: describe/it) inside VS Code.
// Output goes to console.log, which the workbench forwards (codeAutomationLog) to the runner.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type MochaType from 'mocha';

function findTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(full));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

function loadMocha(): typeof MochaType {
  // mocha 12 is an ES module re-exporting a CommonJS build: require() gives either the
  // constructor itself or a namespace holding it, depending on the Node version.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('mocha') as { default?: typeof MochaType } | typeof MochaType;
  return (typeof mod === 'function' ? mod : mod.default) as typeof MochaType;
}

export async function run(): Promise<void> {
  const Mocha = loadMocha();
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.MAILINGS_VSCODE_TEST_TIMEOUT || 60_000),
    grep: process.env.MAILINGS_VSCODE_TEST_GREP || undefined,
  });
  const suiteDir = path.resolve(__dirname, 'suite');
  const files = findTests(suiteDir);
  for (const f of files) mocha.addFile(f);
  if (files.length === 0) console.log(`no test files under ${suiteDir}`);

  await mocha.loadFilesAsync();
  await new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats;
        // a closing line that CI can read whatever the runner
        console.log(
          `vscode: ${stats?.passes ?? 0} passed, ${stats?.failures ?? failures} failed` +
            (stats?.pending ? `, ${stats.pending} skipped` : ''),
        );
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
        else resolve();
      });
    } catch (e) {
      reject(e);
    }
  });
}
