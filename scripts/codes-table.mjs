// The README's table of diagnostic codes, generated from the one catalogue (src/core/facts/
// diagnostics): `node scripts/codes-table.mjs` writes it between the README's <!-- codes-table -->
// markers; `--check` (run by `npm run lint`, so CI) fails when the README says something else.
// Reads the compiled catalogue (out/, from `npm run build`).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { DIAGNOSTIC_CATALOGUE } = require(path.join(root, 'out/src/core/facts/diagnostics/index.js'));
const { STEPS } = require(path.join(root, 'out/src/core/types.js'));

const STEP_NAMES = { file: 'file', setup: 'setup', content: 'content', inbox: 'inbox', targetList: 'target list', test: 'test', schedule: 'schedule', transport: 'transport', state: 'state' };

function rows(minimum) {
  const entries = Object.entries(DIAGNOSTIC_CATALOGUE).filter(([, entry]) => Boolean(entry.minimum) === minimum);
  const order = (step) => (STEPS.indexOf(step) < 0 ? STEPS.length : STEPS.indexOf(step));
  entries.sort(([, a], [, b]) => order(a.step) - order(b.step));
  return entries.map(([code, entry]) => `| ${STEP_NAMES[entry.step] ?? entry.step} | \`${code}\` | ${entry.severity} | ${entry.when} |`);
}

const header = ['| step | code | severity | when |', '|---|---|---|---|'];
const table = [
  '<!-- codes-table -->',
  ...header,
  ...rows(true),
  '',
  'And the checks a careful sender wants beyond the catalogue:',
  '',
  ...header,
  ...rows(false),
  '<!-- /codes-table -->',
].join('\n');

const readmeFile = path.join(root, 'README.md');
const readme = readFileSync(readmeFile, 'utf8');
const pattern = /<!-- codes-table -->[\s\S]*?<!-- \/codes-table -->/;
if (!pattern.test(readme)) {
  console.error('codes-table: README.md has no <!-- codes-table --> … <!-- /codes-table --> markers');
  process.exit(1);
}
const updated = readme.replace(pattern, table);
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error('codes-table: the README codes table differs from the catalogue (src/core/facts/diagnostics): run `node scripts/codes-table.mjs`');
    process.exit(1);
  }
} else if (updated !== readme) {
  writeFileSync(readmeFile, updated);
  console.log('codes-table: README.md updated');
}
