// The built CLI run as an executable, the way `npm install` links it: its shebang
// (`#!/usr/bin/env -S node <flags>`) must start node with the CLI's flags.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
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
