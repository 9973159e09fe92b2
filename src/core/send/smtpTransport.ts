// The SMTP transport: up to `connections` SMTP sessions (nodemailer's SMTPConnection: STARTTLS or
// implicit TLS, AUTH), each sending one ready-made message at a time, optional DKIM signing.
//
// Why not nodemailer's pooled transport? Messages arrive here already composed (the renderer built
// them, the outbox writes the same bytes). sendMail({ raw }) would wrap every one in a new MIME
// node, a Message-ID and a stream pipeline again: about 0.5 ms of CPU a message, a third of the
// whole send. Handing the bytes straight to the session costs next to nothing, and a session per
// engine worker is exactly the pool the engine needs.
import { readFileSync } from 'node:fs';
import { isIP, type Socket } from 'node:net';
import * as os from 'node:os';
import DKIM from 'nodemailer/lib/dkim';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { SendingOptions, SmtpConfig } from '../types';
import type { RenderedMessage } from '../render/renderer';
import { DeliveryError, type DeliveryResult, type FailureKind, type FailureStage, type Transport } from './transport';

export interface SmtpTransportOptions {
  smtp: SmtpConfig;
  connections: number;
  dkim?: SendingOptions['dkim'];
  /** Socket and greeting timeouts in ms. */
  timeoutMs?: number;
  /** Messages per session before it is renewed (servers limit them; nodemailer's default is 100). */
  maxMessages?: number;
}

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

const FATAL_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'EREQUIRETLS']);
const AUTH_REPLIES = new Set([530, 534, 535, 538]);

/** AUTH with `security: none` to a host that is not loopback, without the explicit allowance. */
export class PlainAuthRefusedError extends Error {
  readonly code = 'plain-auth-refused';
  constructor(smtp: Pick<SmtpConfig, 'host' | 'port'>) {
    super(
      `refused to log in to ${smtp.host}:${smtp.port} without TLS: with security none the user name and password would cross the network in clear text. ` +
        'Use security starttls or tls; or, only on a network you trust, allow it explicitly: ?allowPlainAuth=1 in the --smtp URL (or MAILINGS_SMTP_URL), ' +
        'or the machine setting mailings.smtp.allowPlainAuth in VS Code',
    );
    this.name = 'PlainAuthRefusedError';
  }
}

/**
 * Loopback by its literal name only: 127.0.0.0/8, ::1 (also as an IPv4-mapped 127/8 address) and
 * `localhost`. A name is never resolved to decide: DNS could point any other name anywhere.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (name === 'localhost' || name === 'localhost.') return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) !== 6 || name.includes('%')) return false;
  // The URL parser writes an IPv6 address in its canonical form: ::1, and ::ffff:7fxx:… for 127/8.
  const canonical = new URL(`http://[${name}]/`).hostname.slice(1, -1);
  return canonical === '::1' || /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(canonical);
}

/**
 * Throws PlainAuthRefusedError when this configuration would send AUTH in clear text across a network:
 * security none, a user (so AUTH happens), a host that is not loopback and no explicit allowance.
 * Checked before any connection is made.
 */
export function assertAuthAllowed(smtp: SmtpConfig): void {
  if (smtp.security === 'none' && smtp.user && !smtp.allowPlainAuth && !isLoopbackHost(smtp.host)) throw new PlainAuthRefusedError(smtp);
}

/** Sorts a nodemailer error into what the engine does about it (README: Sending, and what can go wrong). */
export function classifySmtpError(error: NodemailerError): DeliveryError {
  const code = error.responseCode;
  const reply = oneLine(error.response || error.message || String(error));
  let kind: FailureKind = 'temporary';
  if ((error.code && FATAL_CODES.has(error.code)) || (code && AUTH_REPLIES.has(code))) {
    kind = 'fatal';
  } else if (code && code >= 500) {
    // 5xx to RCPT TO or DATA concerns this recipient or message; to MAIL FROM it concerns the sender
    // (every message would fail the same way), and anywhere else the session itself.
    if (error.command === 'RCPT TO' || error.command === 'DATA') kind = 'permanent';
    else if (error.command === 'MAIL FROM') kind = 'fatal';
  } else if (error.code === 'EMESSAGE' && !code) {
    kind = 'permanent'; // too large for the server's SIZE: no retry makes it smaller
  }
  const auth = kind === 'fatal' && (error.code === 'EAUTH' || (code !== undefined && AUTH_REPLIES.has(code)));
  return new DeliveryError(kind, (auth ? 'authentication failed: ' : '') + reply, code || undefined, STAGES[error.command ?? ''] ?? 'connection');
}

/** nodemailer's `command` of a failure, as the stage of the dialogue the pace cares about. */
const STAGES: Record<string, FailureStage> = { 'MAIL FROM': 'sender', 'RCPT TO': 'recipient', DATA: 'data' };

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}

/**
 * Makes the writes a socket gets within one tick go out as one (cork now, uncork on the next tick).
 * nodemailer writes a message's bytes and its closing `.` line separately, two system calls a
 * message; on loopback and fast links each costs about as much as the message itself.
 */
function coalesceWrites(socket: Socket): void {
  const write = socket.write;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}

/** One SMTP session: connected and logged in on first use, renewed after maxMessages or a failure. */
class SmtpSession {
  /** The live connection; undefined until opened and once it failed, ended or was retired. */
  private connection?: SMTPConnection;
  private opening?: Promise<SMTPConnection>;
  private messages = 0;
  /** Connections retired with QUIT whose server has not closed them yet; close() ends them. */
  private readonly quitting = new Set<SMTPConnection>();

  constructor(private readonly options: SmtpTransportOptions) {}

  private open(): Promise<SMTPConnection> {
    const { smtp } = this.options;
    const timeout = this.options.timeoutMs ?? 60_000;
    const connection = new SMTPConnection({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.security === 'tls',
      requireTLS: smtp.security === 'starttls',
      ignoreTLS: smtp.security === 'none',
      tls: { rejectUnauthorized: !smtp.allowInvalidCertificates },
      name: os.hostname(),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      // Closing (after QUIT's reply, or on a failure): destroy the socket at once rather than wait
      // for a server that may never close its side.
      socketCloseTimeout: 0,
      // The password is never logged: no logger, no debug.
      logger: false,
      debug: false,
    });
    return new Promise<SMTPConnection>((resolve, reject) => {
      let settled = false;
      // An error or end of THIS connection retires it (never a newer one of this session); while
      // opening it fails the open. A send in progress gets its own error through its callback.
      const fail = (error: unknown) => {
        if (this.connection === connection) this.connection = undefined;
        this.quitting.delete(connection);
        // Settle before closing: close() emits 'end' at once, which must not replace the real error.
        const first = !settled;
        settled = true;
        if (first) reject(error);
        connection.close();
      };
      connection.on('error', fail);
      connection.once('end', () => fail(Object.assign(new Error('Connection closed'), { code: 'ECONNECTION' })));
      connection.connect(() => {
        if (settled) return;
        const done = () => {
          settled = true;
          if (connection._socket) coalesceWrites(connection._socket);
          this.connection = connection;
          this.messages = 0;
          resolve(connection);
        };
        if (!smtp.user) return done();
        connection.login({ user: smtp.user, pass: smtp.password ?? '' }, (error) => (error ? fail(error) : done()));
      });
    });
  }

  private connected(): Promise<SMTPConnection> {
    if (this.connection) return Promise.resolve(this.connection);
    this.opening ??= this.open().finally(() => (this.opening = undefined));
    return this.opening;
  }

  async verify(): Promise<void> {
    await this.connected();
  }

  async send(envelope: RenderedMessage['envelope'], message: Buffer | NodeJS.ReadableStream): Promise<string> {
    const connection = await this.connected();
    const reply = await new Promise<string>((resolve, reject) => {
      connection.send(envelope, message as Buffer, (error, info) => {
        if (!error) return resolve(String(info?.response ?? '250'));
        const failure = error as NodemailerError;
        if ((failure.code === 'EENVELOPE' || failure.code === 'EMESSAGE') && failure.responseCode !== 421 && this.connection === connection) {
          // The server refused this message; the session is fine once reset (and busy until then).
          connection.reset((resetError) => {
            if (resetError) this.retire(connection, false);
            reject(failure);
          });
          return;
        }
        this.retire(connection, false);
        reject(failure);
      });
    });
    if (++this.messages >= (this.options.maxMessages ?? 100)) this.retire(connection, true);
    return reply;
  }

  /** Stops using a connection: politely (QUIT, then closed on the reply) or at once. */
  private retire(connection: SMTPConnection, polite: boolean): void {
    if (this.connection === connection) this.connection = undefined;
    if (polite) {
      this.quitting.add(connection);
      connection.quit();
    } else {
      connection.close();
    }
  }

  close(): void {
    if (this.connection) this.retire(this.connection, false);
    for (const connection of this.quitting) connection.close();
    this.quitting.clear();
  }
}

export function smtpTransport(options: SmtpTransportOptions): Transport {
  assertAuthAllowed(options.smtp);
  const size = Math.max(1, options.connections);
  const idle: SmtpSession[] = [];
  const all: SmtpSession[] = [];
  const waiting: ((session: SmtpSession) => void)[] = [];
  const dkim = options.dkim
    ? new DKIM({ domainName: options.dkim.domain, keySelector: options.dkim.selector, privateKey: readFileSync(options.dkim.privateKeyFile, 'utf8') })
    : undefined;

  const take = (): Promise<SmtpSession> => {
    const session = idle.pop();
    if (session) return Promise.resolve(session);
    if (all.length < size) {
      const created = new SmtpSession(options);
      all.push(created);
      return Promise.resolve(created);
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const give = (session: SmtpSession) => {
    const next = waiting.shift();
    if (next) next(session);
    else idle.push(session);
  };

  return {
    kind: 'smtp',
    concurrency: size,
    async deliver(message: RenderedMessage): Promise<DeliveryResult> {
      const session = await take();
      try {
        const body = dkim ? dkim.sign(message.raw) : message.raw;
        return { reply: oneLine(await session.send(message.envelope, body)) };
      } catch (error) {
        throw classifySmtpError(error as NodemailerError);
      } finally {
        give(session);
      }
    },
    async verify(): Promise<void> {
      const session = await take();
      try {
        await session.verify();
      } catch (error) {
        throw classifySmtpError(error as NodemailerError);
      } finally {
        give(session);
      }
    },
    async close(): Promise<void> {
      for (const session of all) session.close();
    },
  };
}
