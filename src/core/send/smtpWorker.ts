// The worker thread of workerSmtpTransport: the SMTP sessions (and DKIM signing) of one run, so that
// the per-byte work of sending (dot-stuffing, TLS, socket writes) runs on the second core while the
// engine's thread renders and journals. It answers every request exactly once.
import { parentPort, workerData } from 'node:worker_threads';
import { smtpTransport } from './smtpTransport';
import type { SmtpWorkerData, SmtpWorkerReply, SmtpWorkerRequest } from './smtpWorkerProtocol';
import { DeliveryError } from './transport';

const port = parentPort;
if (!port) throw new Error('smtpWorker runs as a worker thread only');
const transport = smtpTransport(workerData as SmtpWorkerData);

function failure(id: number, error: unknown): SmtpWorkerReply {
  if (error instanceof DeliveryError)
    return {
      id,
      ok: false,
      kind: error.kind,
      reply: error.reply,
      ...(error.responseCode ? { responseCode: error.responseCode } : {}),
      ...(error.stage ? { stage: error.stage } : {}),
    };
  return {
    id,
    ok: false,
    kind: 'temporary',
    reply: error instanceof Error ? error.message : String(error),
  };
}

port.on('message', (request: SmtpWorkerRequest) => {
  let pending: Promise<SmtpWorkerReply>;
  switch (request.op) {
    case 'deliver': {
      // The bytes arrive as a Uint8Array (a structured clone of the Buffer): view them as a Buffer again.
      const raw = Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength);
      pending = transport
        .deliver({
          index: 0,
          to: { email: request.envelope.to[0] ?? '' },
          messageId: '',
          envelope: request.envelope,
          raw,
        })
        .then((result) => ({ id: request.id, ok: true, reply: result.reply }));
      break;
    }
    case 'verify':
      pending = (transport.verify?.() ?? Promise.resolve()).then(() => ({
        id: request.id,
        ok: true,
      }));
      break;
    case 'close':
      pending = transport.close().then(() => ({ id: request.id, ok: true }));
      break;
  }
  void pending.catch((error: unknown) => failure(request.id, error)).then((reply) => port.postMessage(reply));
});
