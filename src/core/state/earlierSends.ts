// Has this mailing been sent before under another name or from another place? A mailing's state is
// found by its path (stateRoot.ts, paths.ts), so a copy, a renamed or a moved file starts as a new
// draft — and Send now would mail everyone again. Before that can happen the confirm model looks,
// in every state folder above the file, for a confirmed mailing with the same content (contentHash:
// subject, content, From, attachments) whose confirmed target list shares recipients with this one;
// the `already-sent` check then says when and from where, and only an explicit choice sends again.
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { addressKey } from '../load/addresses';
import type { MailingStatus, Recipient } from '../types';
import { parseMailingRecord, MAILING_RECORD_FILE, type MailingRecord } from './mailingRecord';
import { mailingStateDir, SNAPSHOT_FILE } from './paths';
import { readSendStateSummary } from './summary';
import { canonicalPath, stateRootsAbove } from './stateRoot';

export interface EarlierSend {
  /** The mailing file it was confirmed from (absolute, as it was then). */
  file: string;
  stateDir: string;
  status: Exclude<MailingStatus, 'draft'>;
  /** ISO instant of its confirmation. */
  confirmedAt: string;
  scheduledAt?: string;
  /** How many of this mailing's recipients are on its confirmed target list. */
  overlap: number;
  /** Recipients of its confirmed target list. */
  total: number;
}

export interface EarlierSendQuery {
  /** The mailing file being checked (absolute). */
  file: string;
  /** Its own state root (its own state folder is not an earlier send). */
  stateRoot: string;
  contentHash: string;
  recipients: readonly Recipient[];
}

/** Confirmed mailings elsewhere with the same content and shared recipients, most recent first. */
export async function findEarlierSends(query: EarlierSendQuery): Promise<EarlierSend[]> {
  if (query.recipients.length === 0) return [];
  const own = canonicalPath(mailingStateDir(query.stateRoot, query.file));
  const roots = [...new Set([canonicalPath(query.stateRoot), ...stateRootsAbove(query.file)])];
  const found: EarlierSend[] = [];
  for (const root of roots) {
    for (const stateDir of listStateDirs(root)) {
      if (stateDir === own) continue;
      const confirmed = confirmationOf(stateDir);
      if (!confirmed || confirmed.hash !== query.contentHash) continue;
      const summary = await readSendStateSummary(stateDir);
      if (summary.status === 'draft' || summary.confirmedHash !== query.contentHash) continue;
      const keys = snapshotKeys(stateDir);
      if (!keys) continue;
      let overlap = 0;
      for (const recipient of query.recipients) if (keys.has(addressKey(recipient.email))) overlap++;
      if (overlap === 0) continue;
      const earlier: EarlierSend = { file: confirmed.file, stateDir, status: summary.status, confirmedAt: confirmed.at, overlap, total: keys.size };
      if (summary.scheduledAt) earlier.scheduledAt = summary.scheduledAt;
      found.push(earlier);
    }
  }
  return found.sort((a, b) => b.confirmedAt.localeCompare(a.confirmedAt));
}

// What is read is kept by file stamp: the editor asks on every validation, and the answer is
// almost always "nothing with this content".

function stampOf(file: string): string | undefined {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.mtimeMs}:${stat.size}:${stat.ino}` : undefined;
}

function remember<T>(cache: Map<string, { stamp: string; value: T }>, file: string, read: () => T): T | undefined {
  const stamp = stampOf(file);
  if (stamp === undefined) {
    cache.delete(file);
    return undefined;
  }
  const known = cache.get(file);
  if (known && known.stamp === stamp) return known.value;
  const value = read();
  if (cache.size > 1000) cache.clear();
  cache.set(file, { stamp, value });
  return value;
}

const folders = new Map<string, { stamp: string; value: string[] }>();
const records = new Map<string, { stamp: string; value: (MailingRecord & { confirmed: NonNullable<MailingRecord['confirmed']> }) | undefined }>();
const heads = new Map<string, { stamp: string; value: { hash: string; at: string } | undefined }>();
const recipientKeys = new Map<string, { stamp: string; value: Set<string> | undefined }>();

/** The state folders of a state root (a new mailing's folder changes the folder's stamp). */
function listStateDirs(root: string): string[] {
  const base = path.join(root, 'mailings');
  return (
    remember(folders, base, () => {
      try {
        // Synchronous like the stats around it: a listing of a few dozen names.
        return readdirSync(base).map((name) => path.join(base, name));
      } catch {
        return [];
      }
    }) ?? []
  );
}

/** What a state folder says was confirmed last: mailing.json, or the head of an older snapshot. */
function confirmationOf(stateDir: string): { file: string; hash: string; at: string } | undefined {
  const record = remember(records, path.join(stateDir, MAILING_RECORD_FILE), () => {
    const parsed = readSmall(path.join(stateDir, MAILING_RECORD_FILE));
    const value = parsed === undefined ? undefined : parseMailingRecord(parsed);
    return value?.confirmed ? (value as MailingRecord & { confirmed: NonNullable<MailingRecord['confirmed']> }) : undefined;
  });
  if (record) return { file: record.file, ...record.confirmed };
  // State written before mailing.json recorded confirmations: the snapshot's first bytes say.
  const head = remember(heads, path.join(stateDir, SNAPSHOT_FILE), () => snapshotHead(path.join(stateDir, SNAPSHOT_FILE)));
  if (!head) return undefined;
  const file = readSmall(path.join(stateDir, MAILING_RECORD_FILE));
  return { file: (file && parseMailingRecord(file)?.file) ?? stateDir, ...head };
}

function readSmall(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `hash` and `confirmedAt` from the start of snapshot.json (written first, before the mailing). */
function snapshotHead(file: string): { hash: string; at: string } | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(8192);
    const text = buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0));
    const hash = /"hash":"([0-9a-f]{16,})"/.exec(text)?.[1];
    const at = /"confirmedAt":"([^"]+)"/.exec(text)?.[1];
    return hash && at ? { hash, at } : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The address keys of a confirmed target list (read only for a mailing with the same content). */
function snapshotKeys(stateDir: string): Set<string> | undefined {
  const file = path.join(stateDir, SNAPSHOT_FILE);
  return remember(recipientKeys, file, () => {
    try {
      const snapshot = JSON.parse(readFileSync(file, 'utf8')) as { mailing?: { targetList?: { recipients?: Recipient[] } } };
      const keys = new Set<string>();
      for (const recipient of snapshot.mailing?.targetList?.recipients ?? []) keys.add(addressKey(recipient.email));
      return keys;
    } catch {
      return undefined;
    }
  });
}

/** For tests: forget what was read. */
export function forgetEarlierSends(): void {
  folders.clear();
  records.clear();
  heads.clear();
  recipientKeys.clear();
}
