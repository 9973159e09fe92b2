// The built CLI run as an executable, the way `npm install` links it: its shebang
// (`#!/usr/bin/env -S node <flags>`) must start node with the CLI's flags.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as compiled from '../../src/core/index';

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

describe('the bundles validate with the schema precompiled', () => {
  it('the bundled core uses ajv standalone code, tsc output compiles the schema, and both give the same diagnostics', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle, as the CLI and the extension carry it
    const bundled = require(path.join(ROOT, 'dist', 'core.js')) as typeof import('../../src/core');
    assert.equal(bundled.schemaValidatorOrigin(), 'precompiled');
    assert.equal(compiled.schemaValidatorOrigin(), 'compiled');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-schema-'));
    try {
      // Beside the examples, a mailing that breaks the schema in many ways at once.
      const wrong = path.join(dir, 'wrong.mailing.yaml');
      await fs.writeFile(
        wrong,
        'name: 5\nfrom: [x]\nsubject: ""\nextra: 1\ntargetList:\n  include: nope\ncontent:\n  html: 3\nsending:\n  connections: 0\n  rate: { count: -1, per: fortnight }\n  transport: carrier-pigeon\n',
      );
      const files = [wrong, ...['broken/broken.mailing.yaml', 'mjml/announcement.mailing.yaml', 'newsletter/newsletter.mailing.yaml'].map((file) => path.join(ROOT, 'examples', file))];
      for (const file of files) {
        const shown = (model: { diagnostics: unknown[] }) => JSON.parse(JSON.stringify(model.diagnostics)) as { code: string; severity: string }[];
        const fromBundle = shown(await bundled.buildConfirmModel(file));
        assert.deepEqual(fromBundle, shown(await compiled.buildConfirmModel(file)), file);
        if (file === wrong) assert.ok(fromBundle.filter((d) => d.severity === 'error').length >= 6, `schema errors: ${JSON.stringify(fromBundle.map((d) => d.code))}`);
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
