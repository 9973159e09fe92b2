// The built CLI (dist/cli.js, as `npm install` links it) in child processes, and a wait helper for
// what a test can only observe from outside a process.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<CliResult>;
}

/** The environment of a run: no SMTP settings or language of the developer's shell leak in. */
export function cliEnv(env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, MAILINGS_SMTP_URL: '', MAILINGS_SMTP_PASSWORD: '', LANG: 'C', ...env };
}

export function startCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): CliProcess {
  const child = spawn(CLI, args, { cwd: options.cwd, env: cliEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

export function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  return startCli(args, options).exited;
}

/**
 * Polls `probe` until it gives a value. On timeout it fails saying what it waited for and what it saw
 * last (`seen`), so a stuck test explains itself.
 */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, seen: () => string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
