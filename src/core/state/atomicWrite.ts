// Whole-file writes that neither a crash nor a power cut can tear: write a temp file beside the
// target, fsync it, rename it over the target, then fsync the folder. The rename makes the new
// content appear all at once (a reader sees the old file or the new one, never half); the folder's
// fsync makes the rename itself durable — without it, after a power cut the folder may still list
// the old file, or none, although the file's own bytes were on disk.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** `data` may come in chunks, so a large file is never one string in memory. */
export async function writeFileAtomic(file: string, data: string | Uint8Array | Iterable<string>): Promise<void> {
  const dir = path.dirname(file);
  await makeFolderDurably(dir);
  const tmp = `${file}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else for (const chunk of data) await handle.write(chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
  await syncFolder(dir);
}

/**
 * fsync of a folder: makes the names created, renamed or removed in it durable. Linux and macOS
 * allow opening a folder read-only for it; where a platform refuses (Windows), the rename is as
 * durable as that platform makes it.
 */
export async function syncFolder(dir: string): Promise<void> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await fs.open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    await handle.close();
  }
}

/**
 * mkdir -p whose new folders survive a power cut: each folder it created is made durable in its
 * parent (a state folder created for a mailing's first journal line must exist after a reboot).
 */
export async function makeFolderDurably(dir: string): Promise<void> {
  const first = await fs.mkdir(dir, { recursive: true });
  if (first === undefined) return;
  // From the parent of the first folder created down to the parent of `dir`.
  for (let folder = path.dirname(first); ; ) {
    await syncFolder(folder);
    if (path.resolve(folder) === path.resolve(path.dirname(dir))) return;
    const relative = path.relative(folder, dir).split(path.sep)[0];
    folder = path.join(folder, relative);
  }
}
