// The rendering interface of the send engine: one ready message per recipient. The engine knows only
// this; nodemailerRenderer composes each message with nodemailer's MailComposer, and a faster
// renderer that reuses the mailing's MIME structure (issue 7) can take its place.
import type { Address, Recipient } from '../types';
import type { PreparedMailing } from './prepared';
import type { PersonalizeOptions } from './recipientHeaders';

export interface RenderedMessage {
  /** The recipient's index in the snapshot (the test send numbers its messages). */
  index: number;
  to: Address;
  /** With angle brackets. */
  messageId: string;
  /** SMTP envelope: MAIL FROM (bounces) and RCPT TO. */
  envelope: { from: string; to: string[] };
  /** The complete RFC 5322 message, CRLF line ends. */
  raw: Buffer;
}

export interface MessageRenderer {
  readonly prepared: PreparedMailing;
  render(recipient: Recipient, index: number, options?: PersonalizeOptions & { date?: Date }): Promise<RenderedMessage>;
}

export type RendererFactory = (prepared: PreparedMailing) => MessageRenderer;
