// Where each mailing's state lives on disk (README: design, "State on disk").
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { canonicalPath } from './stateRoot';

export { STATE_DIR_NAME } from './stateRoot';

/**
 * A stable, readable folder name for a mailing, derived from its path relative to the folder that
 * holds the state root (so the same file gets the same state from VS Code and from the CLI).
 * A short hash keeps names unique when two paths slug to the same text.
 */
export function mailingId(stateRoot: string, mailingFile: string): string {
  // Asked on every validation of every open mailing: remember the last few hundred answers (for
  // absolute paths only: a relative one depends on the working directory).
  if (!path.isAbsolute(stateRoot) || !path.isAbsolute(mailingFile)) return computeMailingId(stateRoot, mailingFile);
  const key = `${stateRoot}\0${mailingFile}`;
  let id = knownIds.get(key);
  if (id === undefined) {
    if (knownIds.size >= 500) knownIds.clear();
    id = computeMailingId(stateRoot, mailingFile);
    knownIds.set(key, id);
  }
  return id;
}

const knownIds = new Map<string, string>();

function computeMailingId(stateRoot: string, mailingFile: string): string {
  // Canonical paths: the same file reached through a symbolic link is the same mailing.
  const base = path.dirname(canonicalPath(stateRoot));
  const rel = path.relative(base, canonicalPath(mailingFile)).split(path.sep).join('/');
  const stem = rel.replace(/\.mailing\.ya?ml$/i, '');
  const slug = stem.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 80) || 'mailing';
  const hash = createHash('sha1').update(rel).digest('hex').slice(0, 8);
  return `${slug}-${hash}`;
}

/** The folder with snapshot.json, journal.jsonl, lease and test.json of one mailing. */
export function mailingStateDir(stateRoot: string, mailingFile: string): string {
  return path.join(stateRoot, 'mailings', mailingId(stateRoot, mailingFile));
}

/** Where the outbox transport writes the .eml files of one mailing. */
export function outboxDir(stateRoot: string, mailingFile: string): string {
  return path.join(stateRoot, 'outbox', mailingId(stateRoot, mailingFile));
}

export const SNAPSHOT_FILE = 'snapshot.json';
export const JOURNAL_FILE = 'journal.jsonl';
/** The fold of the journal's first bytes (state/journalCheckpoint.ts): a cache, rebuilt when it does not match. */
export const CHECKPOINT_FILE = 'journal.checkpoint';
export const LEASE_FILE = 'lease';
/** Held (lease.ts) by a compaction of the journal and by writers that append without the mailing's lease (the bounce poller). */
export const JOURNAL_LOCK_DIR = 'journal.lock';
export const TEST_RECORD_FILE = 'test.json';
