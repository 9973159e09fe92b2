// The messages between the SMTP transport's proxy (the engine's thread) and its worker thread,
// defined once for both sides.
import type { FailureKind, FailureStage } from './transport';
import type { SmtpTransportOptions } from './smtpTransport';

/** What the worker is started with (workerData). */
export type SmtpWorkerData = SmtpTransportOptions;

export type SmtpWorkerRequest =
  | {
      id: number;
      op: 'deliver';
      envelope: { from: string; to: string[] };
      raw: Uint8Array;
    }
  | { id: number; op: 'verify' }
  | { id: number; op: 'close' };

export type SmtpWorkerReply =
  | { id: number; ok: true; reply?: string }
  | {
      id: number;
      ok: false;
      kind: FailureKind;
      reply: string;
      responseCode?: number;
      stage?: FailureStage;
    };
