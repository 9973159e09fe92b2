// `npm run demo`: the product end to end with no mail server. Validates the examples (the broken one
// shows every kind of confirm error on purpose), then sends the example newsletter to the outbox in a
// temporary state folder — a test send first (it clears `test-not-sent`), then Send now — and prints
// its statistics and where the .eml files are.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const mailing = join('examples', 'newsletter', 'newsletter.mailing.yaml');
const stateDir = mkdtempSync(join(tmpdir(), 'mailings-demo-'));

function mailings(args, { allowFailure = false } = {}) {
  process.stdout.write(`\n$ mailings ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0 && !allowFailure) {
    process.stderr.write(`demo: \`mailings ${args.join(' ')}\` failed (exit ${result.status})\n`);
    process.exit(result.status ?? 1);
  }
  return result.status;
}

// examples/broken has errors on purpose: validate exits 1 and that is the point.
mailings(['validate', 'examples'], { allowFailure: true });
mailings(['test', mailing, '--state-dir', stateDir]);
mailings(['validate', mailing, '--state-dir', stateDir]);
mailings(['send', mailing, '--now', '--state-dir', stateDir]);
mailings(['status', mailing, '--json', '--state-dir', stateDir]);
const outbox = join(stateDir, 'outbox');
for (const folder of readdirSync(outbox)) {
  const files = readdirSync(join(outbox, folder)).filter((name) => name.endsWith('.eml'));
  process.stdout.write(`\n${files.length} messages in ${join(outbox, folder)} (and the test in ./test)\n`);
}
