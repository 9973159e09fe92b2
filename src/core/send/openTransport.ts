// The transport a mailing asks for (`sending.transport`), set up from the send context.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { ResolvedMailing, SendContext } from '../types';
import { outboxDir } from '../state/paths';
import { outboxTransport } from './outboxTransport';
import { smtpTransport } from './smtpTransport';
import type { Transport } from './transport';
import { SMTP_WORKER_SCRIPT, workerSmtpTransport } from './workerSmtpTransport';

/** From this many recipients a run may send from a worker thread (auto): below it, starting one costs more than it saves. */
export const SMTP_WORKER_MIN_RECIPIENTS = 500;
/**
 * Cores from which auto uses the worker. On a 2-core machine `npm run bench` measured no gain (the
 * second core is busy with the SMTP server, or with the system) for ~20 MB more memory; with more
 * cores the worker's core is free.
 */
export const SMTP_WORKER_MIN_CORES = 3;

function smtpOnWorker(ctx: SendContext, recipients: number): boolean {
  const choice = ctx.smtpThread ?? 'auto';
  if (choice !== 'auto') return choice === 'worker';
  return recipients >= SMTP_WORKER_MIN_RECIPIENTS && availableParallelism() >= SMTP_WORKER_MIN_CORES && existsSync(SMTP_WORKER_SCRIPT);
}

export class SmtpNotConfiguredError extends Error {
  readonly code = 'no-smtp';
  constructor(file: string) {
    super(`${file}: the mailing uses transport smtp but no SMTP server is configured (--smtp, MAILINGS_SMTP_URL or the extension's settings)`);
  }
}

export function openTransport(
  mailing: ResolvedMailing,
  ctx: SendContext,
  options: { outboxSubdir?: string; name?: Parameters<typeof outboxTransport>[0]['name']; connections?: number; recipients?: number } = {},
): Transport {
  const connections = options.connections ?? mailing.sending.connections;
  if (mailing.sending.transport === 'smtp') {
    if (!ctx.smtp) throw new SmtpNotConfiguredError(mailing.file);
    const smtpOptions = { smtp: ctx.smtp, connections, dkim: mailing.sending.dkim };
    return smtpOnWorker(ctx, options.recipients ?? 0) ? workerSmtpTransport(smtpOptions) : smtpTransport(smtpOptions);
  }
  const dir = outboxDir(ctx.stateRoot, mailing.file);
  return outboxTransport({ dir: options.outboxSubdir ? path.join(dir, options.outboxSubdir) : dir, concurrency: connections, name: options.name });
}
