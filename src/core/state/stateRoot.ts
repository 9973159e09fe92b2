// Which state folder (`.mailings`) a mailing belongs to: found from the mailing file itself, never
// from the working directory or the folder an editor opened, so the CLI run from any folder and VS
// Code with any folder (or several) open find the same state for the same file — as git finds
// `.git`. The rule (README, "Where state lives"):
//
//   1. Walk up from the folder of the mailing file (symlinks resolved). The first folder that holds
//      a `.mailings` folder is the workspace; its `.mailings` is the state root.
//   2. A folder that holds `.git`, `.hg` or `.svn` (a repository's root) ends the walk: its
//      `.mailings` is the state root (created when the first state is written).
//   3. Neither up to the filesystem root: `.mailings` beside the mailing file.
//
// The folder that holds the state root is also the boundary of what a mailing may read and send
// (load/pathPolicy.ts). `--state-dir` (CLI) overrides the rule explicitly.
import { realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';

export const STATE_DIR_NAME = '.mailings';

/** Folders that mark a repository's root: the walk never goes past one. */
const REPOSITORY_MARKERS = ['.git', '.hg', '.svn'];

/**
 * The canonical absolute path of a file: symlinks resolved, so a mailing reached through a link and
 * through its real path is one mailing. A file that does not exist (yet) keeps its resolved path,
 * with its folder canonical when that exists.
 */
export function canonicalPath(file: string): string {
  const absolute = path.resolve(file);
  try {
    return realpathSync.native(absolute);
  } catch {
    const parent = path.dirname(absolute);
    if (parent === absolute) return absolute;
    return path.join(canonicalPath(parent), path.basename(absolute));
  }
}

function isDirectory(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function exists(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false }) !== undefined;
}

/** Answers are kept briefly: the editor asks on every validation of every open mailing. */
const KEEP_MS = 2000;
const known = new Map<string, { root: string; at: number }>();

/** The state root of a mailing file by the rule above (absolute, canonical). */
export function findStateRoot(mailingFile: string): string {
  return stateRootOfFolder(path.dirname(canonicalPath(mailingFile)));
}

/**
 * The state root that a mailing in `folder` would have: what `mailings run` schedules when started
 * in a folder without `--state-dir`.
 */
export function stateRootOfFolder(folder: string): string {
  const start = canonicalPath(folder);
  const now = Date.now();
  const cached = known.get(start);
  if (cached && now - cached.at < KEEP_MS) return cached.root;
  const root = walkUp(start);
  if (known.size > 500) known.clear();
  known.set(start, { root, at: now });
  return root;
}

/** Forgets remembered answers (a test that creates or removes `.mailings` folders). */
export function forgetStateRoots(): void {
  known.clear();
}

function walkUp(start: string): string {
  for (let dir = start; ; ) {
    const candidate = path.join(dir, STATE_DIR_NAME);
    if (isDirectory(candidate)) return candidate;
    if (REPOSITORY_MARKERS.some((marker) => exists(path.join(dir, marker)))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return path.join(start, STATE_DIR_NAME);
    dir = parent;
  }
}

/**
 * Every existing state folder from the mailing's folder up to the filesystem root, nearest first:
 * where a copy or a renamed file of an already-sent mailing may have left its record.
 */
export function stateRootsAbove(mailingFile: string): string[] {
  const roots: string[] = [];
  for (let dir = path.dirname(canonicalPath(mailingFile)); ; ) {
    const candidate = path.join(dir, STATE_DIR_NAME);
    if (isDirectory(candidate)) roots.push(candidate);
    const parent = path.dirname(dir);
    if (parent === dir) return roots;
    dir = parent;
  }
}

/** The folder that holds a state root: the workspace whose files a mailing may use. */
export function workspaceOf(stateRoot: string): string {
  return path.dirname(path.resolve(stateRoot));
}
