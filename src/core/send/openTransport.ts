// The transport a mailing asks for (`sending.transport`), set up from the send context: it opens the
// destination that destinationOf names (what every face prints), and refuses AUTH in clear text
// across a network before any connection (assertAuthAllowed).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { ResolvedMailing, SendContext, SmtpConfig } from '../types';
import { destinationOf } from './destination';
import { outboxTransport } from './outboxTransport';
import { assertAuthAllowed, smtpTransport } from './smtpTransport';
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

export function openTransport(
  mailing: ResolvedMailing,
  ctx: SendContext,
  options: { outboxSubdir?: string; name?: Parameters<typeof outboxTransport>[0]['name']; connections?: number; recipients?: number } = {},
): Transport {
  const connections = options.connections ?? mailing.sending.connections;
  const destination = destinationOf(mailing, ctx, { outboxSubdir: options.outboxSubdir });
  if (destination.transport === 'outbox') return outboxTransport({ dir: destination.dir, concurrency: connections, name: options.name });
  // destinationOf names an SMTP destination only when the context has the server.
  const smtp = ctx.smtp as SmtpConfig;
  assertAuthAllowed(smtp);
  const smtpOptions = { smtp, connections, dkim: mailing.sending.dkim };
  return smtpOnWorker(ctx, options.recipients ?? 0) ? workerSmtpTransport(smtpOptions) : smtpTransport(smtpOptions);
}
