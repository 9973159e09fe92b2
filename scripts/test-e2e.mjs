#!/usr/bin/env node
// Runs the Playwright UI tests (out/test/e2e/**/*.test.js) with mocha, with the tools env set
// (code-server, Node 24, Chromium from scripts/tools.sh).
//   bash scripts/tools.sh && npx tsc -p . && node scripts/test-e2e.mjs [--grep TEXT] [files...]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadToolsEnv } from './toolsEnv.mjs';
import Mocha from 'mocha';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(full));
    else if (e.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

loadToolsEnv('test-e2e');
const argv = process.argv.slice(2);
let grep;
const files = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--grep') grep = argv[++i];
  else files.push(path.resolve(argv[i]));
}
if (!files.length) files.push(...findTests(path.join(root, 'out/test/e2e')));
if (!files.length) {
  console.error('test-e2e: no out/test/e2e/**/*.test.js: build first (npx tsc -p .)');
  process.exit(2);
}

const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 240_000, slow: 30_000, grep });
for (const f of files) mocha.addFile(f);
await mocha.loadFilesAsync();
const runner = mocha.run((failures) => {
  const s = runner.stats ?? { passes: 0, failures, pending: 0 };
  console.log(`e2e: ${s.passes} passed, ${s.failures} failed${s.pending ? `, ${s.pending} skipped` : ''}`);
  process.exitCode = failures ? 1 : 0;
});
