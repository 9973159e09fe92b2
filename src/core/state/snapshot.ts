// snapshot.json: what was confirmed, frozen (README: design, State on disk). Written once per
// confirmation, atomically; attachments and the HTML's local images are copied beside it so that editing or deleting the files
// later changes nothing already confirmed. The engine sends the snapshot and never re-reads the file.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ResolvedMailing } from '../types';
import { writeFileAtomic } from './atomicWrite';
import { SNAPSHOT_FILE } from './paths';

export const SNAPSHOT_ATTACHMENTS_DIR = 'attachments';
export const SNAPSHOT_IMAGES_DIR = 'images';

export interface Snapshot {
  version: 1;
  /** Absolute path of the mailing file it was confirmed from. */
  file: string;
  /** ISO instant. */
  confirmedAt: string;
  /** contentHash() of the confirmed mailing. */
  hash: string;
  /** Per-mailing part of every Message-ID (render/messageId.ts). */
  messageIdToken: string;
  /** The resolved mailing; attachment and inline image paths point at the copies in the state folder. */
  mailing: ResolvedMailing;
}

/** Copies the attachments into the state folder and writes snapshot.json; returns what was written. */
export async function writeSnapshot(stateDir: string, snapshot: Snapshot): Promise<Snapshot> {
  const dir = path.join(stateDir, SNAPSHOT_ATTACHMENTS_DIR);
  await fs.rm(dir, { recursive: true, force: true });
  await fs.mkdir(dir, { recursive: true });
  const attachments = [];
  for (const [n, attachment] of snapshot.mailing.attachments.entries()) {
    const copy = path.join(dir, `${n}-${path.basename(attachment.path)}`);
    await fs.copyFile(attachment.path, copy);
    // What is frozen must be what was checked: a file changed (or swapped for a link) between the
    // check and the confirmation is refused, not sent.
    if (attachment.sha256 !== undefined) {
      const sha256 = createHash('sha256').update(await fs.readFile(copy)).digest('hex');
      if (sha256 !== attachment.sha256) throw new AttachmentChangedError(`${attachment.path} changed after it was checked: confirm again`);
    }
    attachments.push({ ...attachment, path: copy });
  }
  // The HTML's local images, frozen the same way (every message embeds them).
  const imagesDir = path.join(stateDir, SNAPSHOT_IMAGES_DIR);
  await fs.rm(imagesDir, { recursive: true, force: true });
  const images = [];
  for (const [n, image] of (snapshot.mailing.images ?? []).entries()) {
    await fs.mkdir(imagesDir, { recursive: true });
    const copy = path.join(imagesDir, `${n}-${path.basename(image.path)}`);
    await fs.copyFile(image.path, copy);
    const sha256 = createHash('sha256').update(await fs.readFile(copy)).digest('hex');
    if (sha256 !== image.sha256) throw new AttachmentChangedError(`${image.path} changed after it was checked: confirm again`);
    images.push({ ...image, path: copy });
  }
  const mailing = { ...snapshot.mailing, attachments };
  if (images.length) mailing.images = images;
  const frozen: Snapshot = { ...snapshot, mailing };
  await writeFileAtomic(path.join(stateDir, SNAPSHOT_FILE), snapshotJson(frozen));
  return frozen;
}

/** Recipients per chunk of snapshot.json. */
const RECIPIENTS_PER_CHUNK = 1000;

/**
 * JSON.stringify(snapshot), in chunks: the target list a few recipients at a time, so that a
 * 100,000-recipient snapshot is never one 10 MB string (and its bytes) in memory at once.
 */
export function* snapshotJson(snapshot: Snapshot): Generator<string> {
  const { recipients } = snapshot.mailing.targetList;
  // A marker no value can contain (random), in the recipients' place (a spread keeps the key order).
  const marker = `recipients-${randomBytes(12).toString('hex')}`;
  const outline = JSON.stringify({ ...snapshot, mailing: { ...snapshot.mailing, targetList: { ...snapshot.mailing.targetList, recipients: marker } } });
  const at = outline.indexOf(JSON.stringify(marker));
  yield outline.slice(0, at) + '[';
  for (let from = 0; from < recipients.length; from += RECIPIENTS_PER_CHUNK) {
    const chunk = JSON.stringify(recipients.slice(from, from + RECIPIENTS_PER_CHUNK));
    yield (from > 0 ? ',' : '') + chunk.slice(1, -1);
  }
  yield ']' + outline.slice(at + marker.length + 2);
}

export class AttachmentChangedError extends Error {
  readonly code = 'attachment-changed';
}

export class SnapshotMissingError extends Error {
  readonly code = 'snapshot-missing';
}

export async function readSnapshot(stateDir: string): Promise<Snapshot> {
  const file = path.join(stateDir, SNAPSHOT_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SnapshotMissingError(`${file}: no snapshot (the mailing was never confirmed)`);
    throw error;
  }
  const value = JSON.parse(text) as Snapshot;
  if (value.version !== 1 || !value.mailing || typeof value.messageIdToken !== 'string') {
    throw new SnapshotMissingError(`${file}: not a snapshot this version understands`);
  }
  return value;
}
