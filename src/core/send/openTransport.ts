// The transport a mailing asks for (`sending.transport`), set up from the send context.
import * as path from 'node:path';
import type { ResolvedMailing, SendContext } from '../types';
import { outboxDir } from '../state/paths';
import { outboxTransport } from './outboxTransport';
import { smtpTransport } from './smtpTransport';
import type { Transport } from './transport';

export class SmtpNotConfiguredError extends Error {
  readonly code = 'no-smtp';
  constructor(file: string) {
    super(`${file}: the mailing uses transport smtp but no SMTP server is configured (--smtp, MAILINGS_SMTP_URL or the extension's settings)`);
  }
}

export function openTransport(mailing: ResolvedMailing, ctx: SendContext, options: { outboxSubdir?: string; name?: Parameters<typeof outboxTransport>[0]['name']; connections?: number } = {}): Transport {
  const connections = options.connections ?? mailing.sending.connections;
  if (mailing.sending.transport === 'smtp') {
    if (!ctx.smtp) throw new SmtpNotConfiguredError(mailing.file);
    return smtpTransport({ smtp: ctx.smtp, connections, dkim: mailing.sending.dkim });
  }
  const dir = outboxDir(ctx.stateRoot, mailing.file);
  return outboxTransport({ dir: options.outboxSubdir ? path.join(dir, options.outboxSubdir) : dir, concurrency: connections, name: options.name });
}
