// The options every sending command shares: the state folder and the SMTP server.
//   --smtp smtp://user@host:587          STARTTLS required (the default for smtp://)
//   --smtp smtps://user@host:465         implicit TLS
//   ?security=none|starttls|tls, or ?starttls   choose explicitly (none: a local relay, tests)
//   MAILINGS_SMTP_URL                    instead of --smtp
//   MAILINGS_SMTP_PASSWORD               the password: only from here, never from the URL, never
//                                        written to disk, never printed
//   --state-dir DIR                      instead of <cwd>/.mailings
import * as path from 'node:path';
import { findStateRoot, stateRootOfFolder } from '../core/state/stateRoot';
import type { SendContext, SmtpConfig } from '../core/types';
import { UsageError, type CliIO } from './io';

/** parseArgs option definitions for the shared options. */
export const SEND_OPTIONS = {
  'state-dir': { type: 'string' },
  smtp: { type: 'string' },
} as const;

/** A URL as it may be shown: never with credentials. */
export function redactUrl(text: string): string {
  return text.replace(/\/\/[^@/]*@/, '//…@');
}

/** The SMTP server from `--smtp` or MAILINGS_SMTP_URL; the password only from MAILINGS_SMTP_PASSWORD. */
export function smtpFromCli(url: string | undefined, env: NodeJS.ProcessEnv): SmtpConfig | undefined {
  const text = url ?? env.MAILINGS_SMTP_URL;
  if (!text) return undefined;
  const from = url !== undefined ? '--smtp' : 'MAILINGS_SMTP_URL';
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
  return { stateRoot, owner, ...(smtp ? { smtp } : {}) };
}
