// What a mailing may read: the files of its workspace — the folder that holds its state root
// (state/stateRoot.ts) — and nothing else. A content, attachment or CSV path is resolved against the
// mailing's folder with symbolic links followed; a path that ends up outside the workspace (an
// absolute path elsewhere, `../` out of it, a link that points out) is refused before anything is
// read from it. An untrusted VS Code workspace confines reads further, to its open folders.
import * as path from 'node:path';
import { canonicalPath } from '../state/stateRoot';

export interface PathPolicy {
  /**
   * Conditions a referenced file must meet, all of them: each is a list of canonical folders it
   * must be inside one of (the workspace; the folders an untrusted editor window has open).
   */
  readonly within: readonly (readonly string[])[];
  /** Identifies the policy in caches: equal keys, equal verdicts. */
  readonly key: string;
}

export function pathPolicy(workspace: string, confine: readonly string[] = []): PathPolicy {
  const within: string[][] = [[canonicalPath(workspace)]];
  if (confine.length) within.push(confine.map(canonicalPath));
  return { within, key: JSON.stringify(within) };
}

export type ResolvedReference =
  /** `file`: the canonical path to read; `written`: the path as resolved before links were followed. */
  | { ok: true; file: string; written: string }
  /** Outside: `file` is where it leads (canonical), `root` the folder it is not in. */
  | { ok: false; file: string; written: string; root: string };

export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Resolves a path as the mailing writes it, against the mailing's folder, under the policy. */
export function resolveReference(policy: PathPolicy, dir: string, value: string): ResolvedReference {
  const written = path.resolve(dir, value.trim());
  const file = canonicalPath(written);
  for (const folders of policy.within) {
    if (!folders.some((folder) => isInside(folder, file))) return { ok: false, file, written, root: folders[0] };
  }
  return { ok: true, file, written };
}
