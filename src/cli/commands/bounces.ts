import { type AppliedCounts, applyBounceNotice, BounceMailboxError, type ImapAccount, LeaseHeldError, pollBounceMailbox, workspaceLookup } from '../../core/index';
import { defineCommand, interruptExit, usageExit } from '../command';
import { EXIT, UsageError } from '../io';
import { softBounceLimitFromEnv, STATE_DIR_OPTION, stateRootFromCli } from '../smtpOptions';

/** The account from MAILINGS_IMAP_URL (the password only from MAILINGS_IMAP_PASSWORD). */
export function imapAccountFromEnv(env: NodeJS.ProcessEnv): ImapAccount {
  const text = env.MAILINGS_IMAP_URL?.trim();
  if (!text) throw new UsageError('no bounce mailbox: set MAILINGS_IMAP_URL (imap://user@host:143, imaps://user@host:993) and MAILINGS_IMAP_PASSWORD');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('MAILINGS_IMAP_URL is no URL: imap://user@host:143 or imaps://user@host:993');
  }
  if (url.protocol !== 'imap:' && url.protocol !== 'imaps:') throw new UsageError(`MAILINGS_IMAP_URL: ${url.protocol}// is no IMAP URL (imap:// or imaps://)`);
  if (url.password) throw new UsageError('MAILINGS_IMAP_URL holds a password: put it in MAILINGS_IMAP_PASSWORD instead');
  const user = decodeURIComponent(url.username);
  if (!user) throw new UsageError('MAILINGS_IMAP_URL names no user (imap://user@host)');
  const security = url.searchParams.get('security') ?? (url.protocol === 'imaps:' ? 'tls' : 'starttls');
  if (security !== 'tls' && security !== 'starttls' && security !== 'none') throw new UsageError(`MAILINGS_IMAP_URL: security=${security} is none, starttls or tls`);
  const port = url.port ? Number(url.port) : security === 'tls' ? 993 : 143;
  const account: ImapAccount = { host: url.hostname.replace(/^\[|\]$/g, ''), port, security, user, password: env.MAILINGS_IMAP_PASSWORD ?? '' };
  const folder = url.searchParams.get('folder');
  const processed = url.searchParams.get('processed');
  if (folder) account.folder = folder;
  if (processed) account.processedFolder = processed;
  return account;
}

export const bounces = defineCommand({
  name: 'bounces',
  summary: 'read the bounce mailbox once: hard bounces and complaints suppress, soft bounces are counted',
  options: {
    json: { type: 'boolean', description: 'print the counts as JSON: examined, handled, bounces, delays, complaints, …, suppressed, journaled' },
    ...STATE_DIR_OPTION,
  },
  env: ['MAILINGS_IMAP_URL', 'MAILINGS_IMAP_PASSWORD', 'MAILINGS_SOFT_BOUNCE_LIMIT'],
  exitCodes: [
    [EXIT.ok, 'the mailbox was read (also when nothing in it was about this workspace)'],
    [EXIT.failed, 'the mailbox could not be reached, logged in to or opened; another process reads it for this workspace'],
    usageExit('MAILINGS_IMAP_URL missing or malformed, or a MAILINGS_SOFT_BOUNCE_LIMIT that is no whole number of at least 1'),
    interruptExit(),
  ],
  examples: ["MAILINGS_IMAP_URL='imaps://bounces@mail.acme.example' MAILINGS_IMAP_PASSWORD=… mailings bounces"],
  async run({ values }, io) {
    const account = imapAccountFromEnv(io.env);
    const stateRoot = stateRootFromCli(values['state-dir'], io);
    const softBounceLimit = softBounceLimitFromEnv(io.env);
    const applied: AppliedCounts = { suppressed: 0, softCounted: 0, journaled: 0 };
    try {
      const counts = await pollBounceMailbox({
        account,
        stateRoot,
        lookup: await workspaceLookup(stateRoot),
        onReport: (notice) => applyBounceNotice(stateRoot, notice, applied, { softBounceLimit }),
        owner: `mailings bounces (pid ${process.pid})`,
      });
      const all = { ...counts, ...applied };
      io.stdout.write(
        values.json
          ? JSON.stringify(all, null, 2) + '\n'
          : `${counts.examined} unseen, ${counts.handled} handled (${counts.bounces} bounces, ${counts.delays} delays, ${counts.complaints} complaints, ${counts.autoReplies} automatic replies); ${applied.suppressed} suppressed, ${applied.softCounted} soft bounces counted; ${counts.unattributed + counts.unrecognised} left in the mailbox\n`,
      );
      return EXIT.ok;
    } catch (error) {
      if (error instanceof BounceMailboxError) {
        io.stderr.write(`mailings bounces: ${error.code}: ${error.message}\n`);
        return EXIT.failed;
      }
      if (error instanceof LeaseHeldError) {
        io.stderr.write(`mailings bounces: ${error.message}\n`);
        return EXIT.failed;
      }
      throw error;
    }
  },
});
