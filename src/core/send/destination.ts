// Where a mailing's messages go, said the same way by every face: the outbox folder of .eml files, or
// `host:port` of the SMTP server — never with a user name or password. openTransport opens exactly the
// destination this names, so what a face prints is where the messages went.
import * as path from 'node:path';
import type { Destination, ResolvedMailing, SendContext } from '../types';
import { outboxDir } from '../state/paths';

export class SmtpNotConfiguredError extends Error {
  readonly code = 'no-smtp';
  constructor(file: string) {
    super(`${file}: the mailing uses transport smtp but no SMTP server is configured (--smtp, MAILINGS_SMTP_URL or the extension's settings)`);
  }
}

/**
 * The destination of a mailing's messages under a send context. `outboxSubdir`: a folder inside the
 * mailing's outbox (the test send writes to `test/`). Throws SmtpNotConfiguredError for transport
 * smtp without an SMTP server in the context.
 */
export function destinationOf(mailing: Pick<ResolvedMailing, 'file' | 'sending'>, ctx: SendContext, options: { outboxSubdir?: string } = {}): Destination {
  if (mailing.sending.transport === 'smtp') {
    if (!ctx.smtp) throw new SmtpNotConfiguredError(mailing.file);
    return { transport: 'smtp', host: ctx.smtp.host, port: ctx.smtp.port };
  }
  const dir = outboxDir(ctx.stateRoot, mailing.file);
  return { transport: 'outbox', dir: options.outboxSubdir ? path.join(dir, options.outboxSubdir) : dir };
}

/** `host:port`, an IPv6 address in brackets (`[::1]:25`). */
export function hostPort(destination: Extract<Destination, { transport: 'smtp' }>): string {
  const host = destination.host.includes(':') ? `[${destination.host}]` : destination.host;
  return `${host}:${destination.port}`;
}

/**
 * The destination in a few words: `smtp 127.0.0.1:2525` or `the outbox .mailings/outbox/<id>/` (the
 * folder relative to `baseDir` when it lies below it, with a trailing separator: it is a folder).
 * `outbox`: the words for the outbox in the face's language (the CLI's Dutch: "de outbox").
 */
export function describeDestination(destination: Destination, baseDir?: string, outbox = 'the outbox'): string {
  if (destination.transport === 'smtp') return `smtp ${hostPort(destination)}`;
  return `${outbox} ${displayDir(destination.dir, baseDir)}`;
}

function displayDir(dir: string, baseDir: string | undefined): string {
  let shown = dir;
  if (baseDir) {
    const rel = path.relative(baseDir, dir);
    if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) shown = rel;
  }
  return shown.endsWith(path.sep) ? shown : shown + path.sep;
}

/** A destination read back from a journal line or a test record; undefined when it is not one. */
export function parseDestination(value: unknown): Destination | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.transport === 'outbox' && typeof v.dir === 'string') return { transport: 'outbox', dir: v.dir };
  if (v.transport === 'smtp' && typeof v.host === 'string' && typeof v.port === 'number') return { transport: 'smtp', host: v.host, port: v.port };
  return undefined;
}
