// Reads the bounce mailbox over IMAP (imapflow) once: every unseen message of the folder is parsed
// (bounceReport.ts) and attributed (attribution.ts, through the lookup the caller passes); what is
// a bounce, delay, complaint or automatic reply about one of our recipients is handed to
// `onReport`, then marked \Seen and moved to the processed folder (created if missing).
//
// What it cannot attribute — and what is no report at all — stays where it is, unseen, and is
// counted on every poll. Not moved: a bounce mailbox may be shared by several workspaces (or
// another tool), and a message this workspace cannot attribute may well be another's to handle;
// unseen, it also stays visible to a person reading the mailbox.
//
// Never twice: a handled message is recorded in the state root (processedLog.ts) after `onReport`
// resolved and before it is moved, so a poller killed between the two moves it on the next poll
// without handing it over again. (Killed inside `onReport`, before the record, the message is
// handed over again on the next poll: `notice.id` is stable, for a consumer that must not count
// twice — suppression and soft-bounce counting are idempotent by address and mailing anyway.)
// One poller per state root at a time: it holds the lease `<stateRoot>/bounces/lease`; a second
// one gets LeaseHeldError.
import * as path from 'node:path';
import type { ImapFlow } from 'imapflow';
import type * as Imapflow from 'imapflow';
import { isLoopbackHost } from '../send/smtpTransport';
import { acquireLease, type LeaseOptions } from '../state/lease';
import { attributeReport, type Attribution, type RecipientLookup } from './attribution';
import { parseBounceMessage, type BounceReport } from './bounceReport';
import { ProcessedLog, type ProcessedKey } from './processedLog';
import type { VerpOptions } from '../render/verp';

let imapflow: typeof Imapflow | undefined;

/** imapflow, loaded on first use: it and its dependencies are bundled apart (esbuild.mjs: LAZY_MODULES), not parsed by every start-up. */
function loadImapflow(): typeof Imapflow {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (see above)
  imapflow ??= require('imapflow') as typeof Imapflow;
  return imapflow;
}

export interface ImapAccount {
  host: string;
  port: number;
  /** tls: TLS from the first byte (993); starttls: upgrade, required (143); none: plain text (tests, localhost). */
  security: 'tls' | 'starttls' | 'none';
  user: string;
  password: string;
  /** The folder bounces arrive in (default INBOX). */
  folder?: string;
  /** Where handled messages go (default Processed); created when missing. */
  processedFolder?: string;
  allowInvalidCertificates?: boolean;
}

export interface BounceNotice {
  /** This message's identity in its mailbox (`user@host:port/folder/uidvalidity/uid`): the same on every poll. */
  id: string;
  report: BounceReport;
  attribution: Attribution;
}

export type PollProgress =
  | { stage: 'handled'; uid: number; id: string }
  | { stage: 'moved'; uid: number; id: string }
  | { stage: 'left'; uid: number; id: string; why: 'unattributed' | 'unrecognised' };

export interface PollOptions {
  account: ImapAccount;
  stateRoot: string;
  lookup: RecipientLookup;
  /** Receives each attributed report; the message is moved once this resolves (a rejection stops the poll, the message stays). */
  onReport: (notice: BounceNotice) => void | Promise<void>;
  verp?: VerpOptions;
  /** Told of each step, synchronously (logging; tests use it to stop a poller at a chosen moment). */
  onProgress?: (event: PollProgress) => void;
  now?: () => Date;
  /** Connection, greeting and socket timeouts (default 30 s). */
  timeoutMs?: number;
  /** Who holds the bounce lease (shown to a second poller). */
  owner?: string;
  lease?: LeaseOptions;
}

export interface PollCounts {
  /** Unseen messages in the folder. */
  examined: number;
  /** Handed to onReport and moved, by kind. */
  handled: number;
  bounces: number;
  delays: number;
  complaints: number;
  autoReplies: number;
  /** Handed over by an earlier poll (found in the processed log): moved now. */
  alreadyProcessed: number;
  /** Reports about no recipient of this workspace: left unseen in the folder. */
  unattributed: number;
  /** Messages that are no bounce, complaint or automatic reply: left unseen in the folder. */
  unrecognised: number;
}

/** insecure: a plain-text login (security none) to a host that is not loopback, refused before connecting. */
export type ImapFailure = 'connect' | 'authentication' | 'folder' | 'insecure';

export class BounceMailboxError extends Error {
  constructor(
    readonly code: ImapFailure,
    message: string,
  ) {
    super(message);
    this.name = 'BounceMailboxError';
  }
}

export const BOUNCES_DIR = 'bounces';
export const PROCESSED_FILE = 'processed.jsonl';
const BATCH = 25;

interface ImapError extends Error {
  authenticationFailed?: boolean;
  responseText?: string;
  code?: string;
}

function describe(error: unknown): string {
  const e = error as ImapError;
  return (e.responseText || e.message || String(error)).replace(/\s+/g, ' ').trim();
}

export async function pollBounceMailbox(options: PollOptions): Promise<PollCounts> {
  const account = options.account;
  const folder = account.folder ?? 'INBOX';
  const processedFolder = account.processedFolder ?? 'Processed';
  const now = options.now ?? (() => new Date());
  // As for SMTP AUTH (smtpTransport.ts): a password never crosses a network in clear text.
  if (account.security === 'none' && !isLoopbackHost(account.host)) {
    throw new BounceMailboxError('insecure', `the IMAP login to ${account.host}:${account.port} would send the password in clear text (security none): use TLS (993) or STARTTLS (143)`);
  }
  const dir = path.join(options.stateRoot, BOUNCES_DIR);
  const lease = await acquireLease(dir, options.owner ?? `bounce poller (pid ${process.pid})`, options.lease);
  lease.startHeartbeat();
  try {
    const processed = await ProcessedLog.open(path.join(dir, PROCESSED_FILE));
    await processed.compact(now());
    const timeout = options.timeoutMs ?? 30_000;
    const client = new (loadImapflow().ImapFlow)({
      host: account.host,
      port: account.port,
      secure: account.security === 'tls',
      doSTARTTLS: account.security === 'starttls' ? true : account.security === 'none' ? false : undefined,
      auth: { user: account.user, pass: account.password },
      tls: { rejectUnauthorized: !account.allowInvalidCertificates },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
    // Failures surface through the rejected commands; an unhandled 'error' event would end the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      const where = `${account.host}:${account.port}`;
      if ((error as ImapError).authenticationFailed) throw new BounceMailboxError('authentication', `the IMAP server ${where} refused the login of ${account.user}: ${describe(error)}`);
      throw new BounceMailboxError('connect', `cannot connect to the IMAP server ${where}: ${describe(error)}`);
    }
    try {
      return await pollFolder(client, options, processed, folder, processedFolder, now);
    } finally {
      await client.logout().catch(() => client.close());
    }
  } finally {
    await lease.release();
  }
}

async function pollFolder(client: ImapFlow, options: PollOptions, processed: ProcessedLog, folder: string, processedFolder: string, now: () => Date): Promise<PollCounts> {
  const account = options.account;
  const counts: PollCounts = { examined: 0, handled: 0, bounces: 0, delays: 0, complaints: 0, autoReplies: 0, alreadyProcessed: 0, unattributed: 0, unrecognised: 0 };
  let lock: Awaited<ReturnType<ImapFlow['getMailboxLock']>>;
  try {
    lock = await client.getMailboxLock(folder);
  } catch (error) {
    throw new BounceMailboxError('folder', `the IMAP folder '${folder}' cannot be opened on ${account.host}: ${describe(error)}`);
  }
  try {
    const mailbox = client.mailbox;
    if (!mailbox) throw new BounceMailboxError('folder', `the IMAP folder '${folder}' did not open on ${account.host}`);
    const name = `${account.user}@${account.host.toLowerCase()}:${account.port}/${folder}`;
    const uidValidity = String(mailbox.uidValidity);
    const found = await client.search({ seen: false }, { uid: true });
    const uids = (Array.isArray(found) ? found : []).sort((a, b) => a - b);
    counts.examined = uids.length;
    let destinationReady = false;
    const finish = async (uid: number) => {
      if (!destinationReady) {
        // Created when missing; an existing folder is no error.
        await client.mailboxCreate(processedFolder);
        destinationReady = true;
      }
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      await client.messageMove(String(uid), processedFolder, { uid: true });
    };
    for (let start = 0; start < uids.length; start += BATCH) {
      const batch = uids.slice(start, start + BATCH);
      const fresh: number[] = [];
      for (const uid of batch) {
        if (!processed.has({ mailbox: name, uidValidity, uid })) {
          fresh.push(uid);
          continue;
        }
        counts.alreadyProcessed++;
        await finish(uid);
      }
      if (fresh.length === 0) continue;
      // Fetched whole before any other command: imapflow must not be given commands inside a fetch.
      const messages = await client.fetchAll(fresh.join(','), { uid: true, source: true }, { uid: true });
      for (const message of messages) {
        if (!message.source) continue;
        const key: ProcessedKey = { mailbox: name, uidValidity, uid: message.uid };
        const id = `${name}/${uidValidity}/${message.uid}`;
        let report: BounceReport;
        try {
          report = await parseBounceMessage(message.source);
        } catch {
          // A message mailparser cannot read must not stop every poll after it: left, like any non-report.
          counts.unrecognised++;
          options.onProgress?.({ stage: 'left', uid: message.uid, id, why: 'unrecognised' });
          continue;
        }
        if (processed.hasMessageId(report.messageId)) {
          counts.alreadyProcessed++;
          await finish(message.uid);
          continue;
        }
        if (report.kind === 'other') {
          counts.unrecognised++;
          options.onProgress?.({ stage: 'left', uid: message.uid, id, why: 'unrecognised' });
          continue;
        }
        const attribution = await attributeReport(report, options.lookup, options.verp);
        if (attribution.events.length === 0) {
          counts.unattributed++;
          options.onProgress?.({ stage: 'left', uid: message.uid, id, why: 'unattributed' });
          continue;
        }
        await options.onReport({ id, report, attribution });
        await processed.add({ ...key, ...(report.messageId ? { messageId: report.messageId } : {}), at: now().toISOString() });
        options.onProgress?.({ stage: 'handled', uid: message.uid, id });
        await finish(message.uid);
        options.onProgress?.({ stage: 'moved', uid: message.uid, id });
        counts.handled++;
        if (report.kind === 'bounce') counts.bounces++;
        else if (report.kind === 'delay') counts.delays++;
        else if (report.kind === 'complaint') counts.complaints++;
        else if (report.kind === 'auto-reply') counts.autoReplies++;
      }
    }
    return counts;
  } finally {
    lock.release();
  }
}
