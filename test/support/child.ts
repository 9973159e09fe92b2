// Spawning the send child (test/support/sendChild.ts, compiled to out/) and waiting for it.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SendChild {
  process: ChildProcess;
  exited: Promise<ChildResult>;
}

export function spawnSendChild(args: object): SendChild {
  const script = path.join(__dirname, 'sendChild.js');
  const child = spawn(process.execPath, [script, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<ChildResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { process: child, exited };
}
