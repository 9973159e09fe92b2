// The transports behind one interface: `outbox` (writes .eml files, no server needed) and `smtp`.
// A delivery either resolves with the server's reply or throws a DeliveryError saying what kind of
// failure it was, which is all the engine needs to decide: retry, give up on the recipient, or stop.
import type { RenderedMessage } from '../render/renderer';

export interface DeliveryResult {
  /** The server's reply (`250 2.0.0 Ok: queued as …`) or what the outbox wrote. */
  reply: string;
}

/**
 * temporary: 4xx, network errors, dropped connections (retry with backoff);
 * permanent: 5xx for this recipient or this message (recorded as failed);
 * fatal: the mailing cannot go on (authentication refused, sender refused, bad configuration).
 */
export type FailureKind = 'temporary' | 'permanent' | 'fatal';

/** Where in the SMTP dialogue a reply came: the session, the sender (MAIL FROM), a recipient (RCPT TO) or the message (DATA). */
export type FailureStage = 'connection' | 'sender' | 'recipient' | 'data';

export class DeliveryError extends Error {
  constructor(
    readonly kind: FailureKind,
    /** The SMTP reply or the network error, one line. */
    readonly reply: string,
    readonly responseCode?: number,
    readonly stage?: FailureStage,
  ) {
    super(reply);
    this.name = 'DeliveryError';
  }
}

export interface Transport {
  readonly kind: 'outbox' | 'smtp';
  /** Messages it can have in flight at once (the engine's concurrency). */
  readonly concurrency: number;
  deliver(message: RenderedMessage): Promise<DeliveryResult>;
  /** Checks the connection and credentials before a run starts (throws a DeliveryError). */
  verify?(): Promise<void>;
  close(): Promise<void>;
}
