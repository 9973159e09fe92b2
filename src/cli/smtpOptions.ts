// The options every sending command shares: the state folder and the SMTP server.
//   --smtp smtp://user@host:587          STARTTLS required (the default for smtp://)
//   --smtp smtps://user@host:465         implicit TLS
//   ?security=none|starttls|tls, or ?starttls   choose explicitly (none: a local relay, tests)
//   ?allowPlainAuth=1                    with security none: log in to a host that is not loopback
//                                        anyway (the password crosses the network in clear text)
//   MAILINGS_SMTP_URL                    instead of --smtp
//   MAILINGS_SMTP_PASSWORD               the password: only from here, never from the URL, never
//                                        written to disk, never printed
//   --state-dir DIR                      instead of the .mailings folder found from the mailing file
import * as path from 'node:path';
import { describeDestination, destinationOf, findStateRoot, type ResolvedMailing, type SendContext, type SmtpConfig, stateRootOfFolder } from '../core/index';
import type { OptionSpecs } from './command';
import { UsageError, type CliIO } from './io';

export const STATE_DIR_OPTION = {
  'state-dir': { type: 'string', value: 'DIR', description: 'the state folder (journals, snapshots, outbox) instead of the .mailings folder found upward from the mailing file (as git finds .git)' },
} as const satisfies OptionSpecs;

export const SMTP_OPTION = {
  smtp: {
    type: 'string',
    value: 'URL',
    description:
      'the SMTP server for transport smtp: smtp://user@host:587 (STARTTLS), smtps://user@host:465 (TLS); ?security=none for a local relay without TLS, ?allowPlainAuth=1 to log in without TLS to a host that is not loopback',
  },
} as const satisfies OptionSpecs;

/** The options of the commands that send (test, send, start, schedule, run). */
export const SEND_OPTIONS = { ...STATE_DIR_OPTION, ...SMTP_OPTION } as const satisfies OptionSpecs;

/** A URL as it may be shown: never with credentials. */
export function redactUrl(text: string): string {
  return text.replace(/\/\/[^@/]*@/, '//…@');
}

/** Where the SMTP URL came from, as the user wrote it: `--smtp` or `MAILINGS_SMTP_URL`. */
function smtpSource(url: string | undefined): string {
  return url !== undefined ? '--smtp' : 'MAILINGS_SMTP_URL';
}

/** A yes/no URL parameter: present without a value, 1/true/yes or 0/false/no. */
function flagParameter(params: URLSearchParams, name: string, from: string): boolean {
  const value = params.get(name);
  if (value === null) return false;
  if (['', '1', 'true', 'yes'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(value.toLowerCase())) return false;
  throw new UsageError(`${from}: ${name} must be 1 or 0, not ${value}`);
}

/** The SMTP server from `--smtp` or MAILINGS_SMTP_URL; the password only from MAILINGS_SMTP_PASSWORD. */
export function smtpFromCli(url: string | undefined, env: NodeJS.ProcessEnv): SmtpConfig | undefined {
  const text = url ?? env.MAILINGS_SMTP_URL;
  if (!text) return undefined;
  const from = smtpSource(url);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new UsageError(`${from}: '${redactUrl(text)}' is not a URL like smtp://user@host:587`);
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  if (scheme !== 'smtp' && scheme !== 'smtps') throw new UsageError(`${from}: the scheme must be smtp or smtps, not ${scheme}`);
  if (parsed.password) throw new UsageError(`${from}: put the password in MAILINGS_SMTP_PASSWORD, never in the URL`);
  if (!parsed.hostname) throw new UsageError(`${from}: no host in '${redactUrl(text)}'`);
  const known = new Set(['security', 'starttls', 'allowPlainAuth']);
  for (const name of parsed.searchParams.keys()) {
    if (!known.has(name)) throw new UsageError(`${from}: unknown parameter ${name} (known: security, starttls, allowPlainAuth)`);
  }
  let security = parsed.searchParams.get('security');
  if (parsed.searchParams.has('starttls')) security ??= 'starttls';
  if (security !== null && !['tls', 'starttls', 'none'].includes(security)) {
    throw new UsageError(`${from}: security must be tls, starttls or none, not ${security}`);
  }
  const port = parsed.port ? Number(parsed.port) : scheme === 'smtps' ? 465 : 587;
  const config: SmtpConfig = {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port,
    security: (security as SmtpConfig['security'] | null) ?? (scheme === 'smtps' ? 'tls' : 'starttls'),
  };
  if (parsed.username) config.user = decodeURIComponent(parsed.username);
  if (env.MAILINGS_SMTP_PASSWORD) config.password = env.MAILINGS_SMTP_PASSWORD;
  if (flagParameter(parsed.searchParams, 'allowPlainAuth', from)) config.allowPlainAuth = true;
  return config;
}

/**
 * The state root: `--state-dir` (relative to the working directory) when given; else the one the
 * mailing file's own place says (core/state/stateRoot.ts), whatever the working directory; for a
 * command without a file (`mailings run`), the one of the working directory.
 */
export function stateRootFromCli(stateDir: string | undefined, io: CliIO, mailingFile?: string): string {
  if (stateDir) return path.resolve(io.cwd, stateDir);
  return mailingFile ? findStateRoot(mailingFile) : stateRootOfFolder(io.cwd);
}

export function sendContextFromCli(values: { 'state-dir'?: string; smtp?: string }, io: CliIO, owner: string, mailingFile?: string): SendContext {
  const stateRoot = stateRootFromCli(values['state-dir'], io, mailingFile);
  const smtp = smtpFromCli(values.smtp, io.env);
  const softBounceLimit = softBounceLimitFromEnv(io.env);
  return { stateRoot, owner, ...(smtp ? { smtp } : {}), ...(softBounceLimit !== undefined ? { softBounceLimit } : {}) };
}

/** MAILINGS_SOFT_BOUNCE_LIMIT: soft bounces, in as many mailings, that suppress an address (default 5). */
export function softBounceLimitFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.MAILINGS_SOFT_BOUNCE_LIMIT?.trim();
  if (!text) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`MAILINGS_SOFT_BOUNCE_LIMIT=${text}: a whole number of at least 1`);
  return Number(text);
}

/**
 * An SMTP server given (`--smtp` or MAILINGS_SMTP_URL) for a mailing whose messages go to the outbox
 * would be ignored without a word: a usage error that says where the messages go instead. `confirmed`:
 * the transport is the one of the confirmed snapshot (Start), which the file can no longer change.
 */
export function refuseSmtpForOutbox(
  mailing: Pick<ResolvedMailing, 'file' | 'sending'>,
  ctx: SendContext,
  values: { smtp?: string },
  io: CliIO,
  options: { confirmed?: boolean } = {},
): void {
  if (mailing.sending.transport !== 'outbox' || !(values.smtp ?? io.env.MAILINGS_SMTP_URL)) return;
  const from = smtpSource(values.smtp);
  const shown = path.relative(io.cwd, mailing.file) || mailing.file;
  const where = `its messages are written to ${describeDestination(destinationOf(mailing, ctx), io.cwd)}, not sent to any server`;
  const fix = options.confirmed
    ? 'what was confirmed is what is sent: to send through SMTP, copy the file to a new mailing with `sending: { transport: smtp }`'
    : 'to send through the server, set `transport: smtp` under `sending:` in the file';
  const drop = from === '--smtp' ? 'leave out --smtp' : 'unset MAILINGS_SMTP_URL';
  const given = from === '--smtp' ? '--smtp given' : 'MAILINGS_SMTP_URL is set';
  throw new UsageError(`${given}, but ${shown} ${options.confirmed ? 'was confirmed with' : 'uses'} transport outbox: ${where}; ${fix}, or ${drop}`);
}
