// A stop request for a mailing sent by another process: a small file `stop` in the state folder that
// the sending process polls; it stops after the messages in flight and removes the file.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomicWrite';

export const STOP_REQUEST_FILE = 'stop';

export interface StopRequest {
  /** Who asked (shown in the stop reason). */
  by: string;
  at: string;
}

export async function writeStopRequest(stateDir: string, by: string): Promise<void> {
  await writeFileAtomic(path.join(stateDir, STOP_REQUEST_FILE), JSON.stringify({ by, at: new Date().toISOString() } satisfies StopRequest) + '\n');
}

export async function readStopRequest(stateDir: string): Promise<StopRequest | undefined> {
  let text: string;
  try {
    text = await fs.readFile(path.join(stateDir, STOP_REQUEST_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<StopRequest>;
    return { by: String(value.by ?? 'another process'), at: String(value.at ?? '') };
  } catch {
    return { by: 'another process', at: '' };
  }
}

export async function clearStopRequest(stateDir: string): Promise<void> {
  await fs.rm(path.join(stateDir, STOP_REQUEST_FILE), { force: true });
}
