// The built CLI run as an executable, the way `npm install` links it: its shebang
// (`#!/usr/bin/env -S node <flags>`) must start node with the CLI's flags.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the CLI as an executable', () => {
  it('has a shebang that passes its node flags, and runs', async () => {
    const first = (await fs.readFile(CLI, 'utf8')).split('\n', 1)[0];
    assert.match(first, /^#!\/usr\/bin\/env -S node --max-semi-space-size=\d+$/);
    const version = await run(['--version']);
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+/);
    const validate = await run(['validate', 'examples/newsletter/newsletter.mailing.yaml']);
    assert.equal(validate.code, 1, validate.stderr);
    assert.match(validate.stdout + validate.stderr, /test-not-sent/);
  });
});

describe('the bundles load big modules on first use', () => {
  it('validating a mailing parses neither the IMAP client, the MIME parser nor a content engine; polling a bounce mailbox loads the IMAP client', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-lazy-'));
    try {
      const script = `
        const path = require('node:path');
        const core = require(${JSON.stringify(path.join(ROOT, 'dist', 'core.js'))});
        const lazy = ['mjml.js', 'juice.js', 'markdown-it.js', 'imapflow.js', 'mailparser.js'];
        const loaded = () => Object.keys(require.cache).filter((file) => path.dirname(file) === ${JSON.stringify(path.join(ROOT, 'dist'))} && lazy.includes(path.basename(file))).map((file) => path.basename(file)).sort();
        (async () => {
          await core.buildConfirmModel(${JSON.stringify(path.join(ROOT, 'examples', 'newsletter', 'newsletter.mailing.yaml'))});
          const afterValidate = loaded();
          // Nothing listens on port 1: the poll fails to connect, after it made its IMAP client.
          const account = { host: '127.0.0.1', port: 1, security: 'none', user: 'u', password: 'p' };
          const polled = await core.pollBounceMailbox({ account, stateRoot: ${JSON.stringify(dir)}, lookup: () => undefined, onReport: () => undefined, timeoutMs: 5000 }).then(() => 'polled', (error) => error.message);
          process.stdout.write(JSON.stringify({ afterValidate, afterPoll: loaded(), polled }));
        })();`;
      const child = spawn(process.execPath, ['-e', script], { cwd: dir });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      assert.equal(code, 0, stderr);
      const result = JSON.parse(stdout) as { afterValidate: string[]; afterPoll: string[]; polled: string };
      assert.deepEqual(result.afterValidate, []);
      assert.deepEqual(result.afterPoll, ['imapflow.js'], `after the poll (${result.polled})`);
      assert.notEqual(result.polled, 'polled');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
