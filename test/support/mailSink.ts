// A local SMTP server (smtp-server on 127.0.0.1, a random port) that records what arrives, for the
// tests that drive the workbench: waiting is by event, never by time.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
}

export class MailSink {
  readonly received: ReceivedMail[] = [];
  private waiters: { predicate: () => boolean; resolve: () => void }[] = [];
  readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData: (stream, session, callback) => {
      simpleParser(stream)
        .then((mail) => {
          this.received.push({ to: session.envelope.rcptTo.map((r) => r.address), subject: mail.subject ?? '' });
          this.waiters = this.waiters.filter((waiter) => (waiter.predicate() ? (waiter.resolve(), false) : true));
          callback();
        })
        .catch(callback);
    },
  });

  /** Starts listening on 127.0.0.1; resolves with the port. */
  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.server.address() as AddressInfo).port)));
  }

  /** Resolves when `predicate` holds; rejects after `timeoutMs` (the test then fails with what arrived). */
  until(predicate: (received: ReceivedMail[]) => boolean, timeoutMs = 120_000): Promise<void> {
    const check = () => predicate(this.received);
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the SMTP server did not receive the expected mail; it has ${JSON.stringify(this.received)}`)), timeoutMs);
      this.waiters.push({ predicate: check, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  count(filter: (mail: ReceivedMail) => boolean): number {
    return this.received.filter(filter).length;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
