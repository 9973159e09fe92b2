// The recipients of a confirmed mailing across its runs: the snapshot's target list, then the rows
// each resend added (journalEvents.ts ResendEvent), in order, so that recipient `i` of the journal
// is entry `i` of this list. A resend's rows live in `resend-<run>.json` beside the snapshot, written
// whole and durably (temp file, fsync, rename) before the `resend` event that names its sha256:
// killed between the two, the file is an orphan that the next resend of that number overwrites.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Recipient } from '../types';
import { writeFileAtomic } from './atomicWrite';
import type { JournalFold } from './journalFold';
import type { Snapshot } from './snapshot';

export function resendRecipientsFile(stateDir: string, run: number): string {
  return path.join(stateDir, `resend-${run}.json`);
}

/** Recipients per chunk of the file (never one string of a large list). */
const PER_CHUNK = 1000;

function* recipientsJson(recipients: readonly Recipient[]): Generator<string> {
  yield '[';
  for (let from = 0; from < recipients.length; from += PER_CHUNK) {
    const chunk = JSON.stringify(recipients.slice(from, from + PER_CHUNK));
    yield (from > 0 ? ',' : '') + chunk.slice(1, -1);
  }
  yield ']\n';
}

/** Writes the rows a resend adds; returns the sha256 (hex) the `resend` event records. */
export async function writeResendRecipients(stateDir: string, run: number, recipients: readonly Recipient[]): Promise<string> {
  const hash = createHash('sha256');
  const chunks = [...recipientsJson(recipients)];
  for (const chunk of chunks) hash.update(chunk, 'utf8');
  await writeFileAtomic(resendRecipientsFile(stateDir, run), chunks);
  return hash.digest('hex');
}

/** The state folder does not hold what its journal says (a file missing, replaced or cut). */
export class SendListMismatchError extends Error {
  readonly code = 'state-mismatch';
}

/**
 * Every recipient of the mailing as its journal counts them: the snapshot's, then each resend's
 * added rows. Throws SendListMismatchError when the files do not match the journal.
 */
export async function readSendList(stateDir: string, snapshot: Snapshot, fold: JournalFold): Promise<Recipient[]> {
  const base = snapshot.mailing.targetList.recipients;
  if (snapshot.hash !== fold.confirmedHash) throw new SendListMismatchError(`${stateDir}: the snapshot is not the one the journal confirmed`);
  const runs = fold.runs.filter((run) => run.kind === 'resend' && (run.added ?? 0) > 0);
  if (runs.length === 0) {
    if (base.length !== fold.total) throw new SendListMismatchError(`${stateDir}: the snapshot has ${base.length} recipients, the journal ${fold.total}`);
    return base;
  }
  const all = base.slice();
  for (const run of runs) {
    const file = resendRecipientsFile(stateDir, run.run);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SendListMismatchError(`${file} is missing: the journal records resend ${run.run} with ${run.added} added recipients`);
      throw error;
    }
    const expected = fold.resendHashes.get(run.run);
    if (expected !== undefined && createHash('sha256').update(bytes).digest('hex') !== expected) {
      throw new SendListMismatchError(`${file} is not the file the journal's resend ${run.run} recorded`);
    }
    const added = JSON.parse(bytes.toString('utf8')) as Recipient[];
    if (!Array.isArray(added) || added.length !== run.added) throw new SendListMismatchError(`${file}: ${Array.isArray(added) ? added.length : 'no'} recipients, the journal says ${run.added}`);
    for (const recipient of added) all.push(recipient);
  }
  if (all.length !== fold.total) throw new SendListMismatchError(`${stateDir}: ${all.length} recipients in the snapshot and resends, the journal ${fold.total}`);
  return all;
}
