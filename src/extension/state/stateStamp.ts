// What the state files of one mailing look like on disk right now: a stamp (inode, size, mtime of
// journal.jsonl, lease and test.json) that changes whenever any of them is written, by any process.
// Whatever the extension caches about a mailing's state (its statistics, its confirm model) is kept
// with the stamp it was read at and read again when the stamp differs, so no cache outlives a write
// that no file-watcher event reported. A stamp is three statSync calls: microseconds.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { JOURNAL_FILE, LEASE_FILE, TEST_RECORD_FILE } from '../../core/index';

export interface StateStamp {
  /** The journal and the lease: status, progress, who sends. */
  send: string;
  /** The test record. */
  test: string;
}

function fileStamp(file: string): string {
  const stat = statSync(file, { throwIfNoEntry: false, bigint: true });
  return stat ? `${stat.ino}:${stat.size}:${stat.mtimeNs}` : '-';
}

export function stateStamp(stateDir: string): StateStamp {
  return {
    send: `${fileStamp(path.join(stateDir, JOURNAL_FILE))}|${fileStamp(path.join(stateDir, LEASE_FILE))}`,
    test: fileStamp(path.join(stateDir, TEST_RECORD_FILE)),
  };
}

export function sameStamp(a: StateStamp | undefined, b: StateStamp): boolean {
  return a !== undefined && a.send === b.send && a.test === b.test;
}
