// The SMTP transport on a worker thread: the same sessions as smtpTransport (it runs one inside the
// worker), behind the same Transport interface. The engine's thread keeps rendering and journalling;
// the worker does the per-byte work of SMTP (dot-stuffing every line, TLS, socket writes, DKIM), about
// half of a send's CPU, so both cores work. A worker that dies fails what it had in hand as temporary
// (the engine retries them) and the next delivery starts a new one.
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RenderedMessage } from '../render/renderer';
import type { SmtpTransportOptions } from './smtpTransport';
import type { SmtpWorkerData, SmtpWorkerReply, SmtpWorkerRequest } from './smtpWorkerProtocol';
import { DeliveryError, type DeliveryResult, type Transport } from './transport';

/** Next to this module: out/src/core/send/ when compiled, dist/ beside the bundles. */
export const SMTP_WORKER_SCRIPT = path.join(__dirname, 'smtpWorker.js');

interface Pending {
  resolve(reply: SmtpWorkerReply & { ok: true }): void;
  reject(error: DeliveryError): void;
}

type WorkerRequestBody = SmtpWorkerRequest extends infer R ? (R extends SmtpWorkerRequest ? Omit<R, 'id'> : never) : never;

/** `script`: the worker's script, SMTP_WORKER_SCRIPT unless a test hands one that dies. */
export function workerSmtpTransport(options: SmtpTransportOptions, script = SMTP_WORKER_SCRIPT): Transport {
  const size = Math.max(1, options.connections);
  let worker: Worker | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const failAll = (reason: string) => {
    const waiting = [...pending.values()];
    pending.clear();
    for (const entry of waiting) entry.reject(new DeliveryError('temporary', reason));
  };

  const start = (): Worker => {
    const data: SmtpWorkerData = options;
    const started = new Worker(script, { workerData: data });
    started.on('message', (reply: SmtpWorkerReply) => {
      const entry = pending.get(reply.id);
      if (!entry) return;
      pending.delete(reply.id);
      if (pending.size === 0) started.unref();
      if (reply.ok) entry.resolve(reply);
      else entry.reject(new DeliveryError(reply.kind, reply.reply, reply.responseCode, reply.stage));
    });
    started.on('error', (error) => {
      if (worker === started) worker = undefined;
      failAll(`the SMTP worker failed: ${error.message}`);
    });
    started.on('exit', (code) => {
      if (worker === started) worker = undefined;
      if (pending.size > 0) failAll(`the SMTP worker stopped (exit code ${code})`);
    });
    // Only requests in hand keep the process alive: a forgotten transport never holds it open.
    started.unref();
    return started;
  };

  const request = (body: WorkerRequestBody): Promise<SmtpWorkerReply & { ok: true }> => {
    worker ??= start();
    const id = nextId++;
    const target = worker;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      target.ref();
      target.postMessage({ ...body, id } as SmtpWorkerRequest);
    });
  };

  return {
    kind: 'smtp',
    concurrency: size,
    async deliver(message: RenderedMessage): Promise<DeliveryResult> {
      // A structured clone copies a view's whole ArrayBuffer: hand over exactly the message's bytes.
      const { raw } = message;
      const bytes = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? raw : new Uint8Array(raw);
      const reply = await request({
        op: 'deliver',
        envelope: message.envelope,
        raw: bytes,
      });
      return { reply: reply.reply ?? '' };
    },
    async verify(): Promise<void> {
      await request({ op: 'verify' });
    },
    async close(): Promise<void> {
      const running = worker;
      if (!running) return;
      try {
        await request({ op: 'close' });
      } catch {
        // It died on the way: nothing is left to close.
      }
      worker = undefined;
      await running.terminate();
    },
  };
}
