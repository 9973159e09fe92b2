// `mailings --version`: the version of package.json. esbuild writes it into the bundle (the `define`
// in esbuild.mjs), so the shipped dist/cli.js needs no file beside it; the unbundled build the tests
// run (out/, compiled by tsc) has no such constant and reads the checkout's package.json instead.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

declare const MAILINGS_VERSION: string | undefined;

function versionFromCheckout(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    try {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'mailings' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // no package.json here (or not ours): look further up
    }
    if (path.dirname(dir) === dir) throw new Error(`no package.json of mailings above ${__dirname}`);
  }
}

export function cliVersion(): string {
  return typeof MAILINGS_VERSION === 'string' ? MAILINGS_VERSION : versionFromCheckout();
}
