// The environment scripts/tools.sh writes (code-server, Node 24, Chromium paths), for the runners of
// the VS Code suites. A variable already set wins.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Loads ~/.cache/mailings-tools/env.sh (or $MAILINGS_TOOLS/env.sh); exits 2 naming `who` when missing. */
export function loadToolsEnv(who) {
  const dir = process.env.MAILINGS_TOOLS || path.join(os.homedir(), '.cache', 'mailings-tools');
  const file = path.join(dir, 'env.sh');
  if (!fs.existsSync(file)) {
    console.error(`${who}: ${file} is missing: run \`bash scripts/tools.sh\` first`);
    process.exit(2);
  }
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^export ([A-Z0-9_]+)="([^"$]*)"$/.exec(line.trim());
    if (m && process.env[m[1]] === undefined) process.env[m[1]] = m[2];
  }
}
