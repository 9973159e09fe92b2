// A real SMTP server on 127.0.0.1 for the send engine's tests (smtp-server, in-process), with the
// faults a sender meets: 550 rejects, 421/451 defers, dropped connections, AUTH, TLS, and a server
// that throttles ("454 Throttling failure" beyond N messages a second, as Amazon SES answers). It
// records every message it accepted (envelope and raw bytes) for mailparser.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import type { Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
  /** The connection was TLS (implicit or after STARTTLS). */
  secure: boolean;
  user?: string;
  /** When its MAIL FROM arrived (epoch ms): when the sender handed it off. */
  at: number;
}

export interface FaultOptions {
  /** Require AUTH with these credentials (anything else gets 535). */
  auth?: { user: string; pass: string };
  /** 'starttls': offer STARTTLS (self-signed); 'implicit': TLS from the first byte; default none. */
  tls?: 'starttls' | 'implicit';
  /** Reject these recipients with 550. */
  reject?: (rcpt: string) => boolean;
  /** Defer a recipient with 451 when this says so (called once per RCPT TO, with its attempt number). */
  defer?: (rcpt: string, attempt: number) => boolean;
  /** Drop the TCP connection (no reply) at the end of every Nth message's DATA; the message is lost. */
  dropEvery?: number;
  /**
   * Answer MAIL FROM with `454 4.7.0 Throttling failure: Maximum sending rate exceeded` while
   * `perSecond` messages were already admitted in the last second (a sliding second, over every
   * connection).
   */
  throttle?: { perSecond: number };
  /**
   * Hold every MAIL FROM until the promise this returns resolves (a server that has not answered
   * yet): a test can see a sender connected and about to hand off, with nothing delivered.
   */
  hold?: () => Promise<void> | undefined;
  /** The address to listen on (default 127.0.0.1; 0.0.0.0 to be reached through another interface). */
  listen?: string;
  /** Keep only the last this many bytes of each message (a 200,000-message test need not hold them all). */
  rawTail?: number;
}

export interface TestSmtpServer {
  port: number;
  received: ReceivedMessage[];
  /** Recipients accepted, with how often each was received. */
  counts(): Map<string, number>;
  /** Resolves once `n` messages were accepted. */
  waitFor(n: number): Promise<void>;
  /** Total RCPT TO attempts per address. */
  rcptAttempts: Map<string, number>;
  /** Messages whose connection was dropped. */
  dropped: number;
  /** With `throttle`: when each MAIL FROM was admitted, and when each was answered 454 (epoch ms). */
  admitted: number[];
  throttled: number[];
  /** TCP connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

let certificate: { key: string; cert: string } | undefined;

/** A self-signed certificate for 127.0.0.1/localhost, made once per test run with the openssl CLI. */
export async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  if (certificate) return certificate;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { stdio: 'ignore' },
    );
    certificate = { key: await fs.readFile(key, 'utf8'), cert: await fs.readFile(cert, 'utf8') };
    return certificate;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function replyError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpServer(faults: FaultOptions = {}): Promise<TestSmtpServer> {
  const received: ReceivedMessage[] = [];
  const rcptAttempts = new Map<string, number>();
  const sockets = new Map<number, Socket>();
  const waiters: { n: number; resolve: () => void }[] = [];
  let messages = 0;
  let dropped = 0;
  const admitted: number[] = [];
  const throttled: number[] = [];
  const mailFromAt = new Map<string, number>();
  let connections = 0;
  const tls = faults.tls ? await selfSignedCertificate() : undefined;

  const options: SMTPServerOptions = {
    secure: faults.tls === 'implicit',
    key: tls?.key,
    cert: tls?.cert,
    disabledCommands: [...(faults.tls ? [] : ['STARTTLS']), ...(faults.auth ? [] : ['AUTH'])],
    authOptional: !faults.auth,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    logger: false,
    size: 50 * 1024 * 1024,
    onAuth(auth, _session, callback) {
      if (faults.auth && auth.username === faults.auth.user && auth.password === faults.auth.pass) return callback(null, { user: auth.username });
      callback(replyError(535, '5.7.8 Authentication credentials invalid'));
    },
    onMailFrom(address, session, callback) {
      const held = faults.hold?.();
      if (held) {
        void held.then(() => options.onMailFrom?.(address, session, callback));
        return;
      }
      const now = Date.now();
      mailFromAt.set(session.id, now);
      if (faults.throttle) {
        let recent = 0;
        for (let k = admitted.length - 1; k >= 0 && admitted[k] > now - 1000; k--) recent++;
        if (recent >= faults.throttle.perSecond) {
          throttled.push(now);
          return callback(replyError(454, '4.7.0 Throttling failure: Maximum sending rate exceeded.'));
        }
        admitted.push(now);
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      const rcpt = address.address;
      const attempt = (rcptAttempts.get(rcpt) ?? 0) + 1;
      rcptAttempts.set(rcpt, attempt);
      if (faults.reject?.(rcpt)) return callback(replyError(550, '5.1.1 No such user here'));
      // A temporary refusal that is not about speed (a "try again later" would read as throttling).
      if (faults.defer?.(rcpt, attempt)) return callback(replyError(451, '4.3.0 Mailbox temporarily unavailable'));
      callback();
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages++;
        if (faults.dropEvery && messages % faults.dropEvery === 0) {
          dropped++;
          sockets.get(session.remotePort)?.destroy();
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: faults.rawTail === undefined ? Buffer.concat(chunks) : Buffer.from(Buffer.concat(chunks).subarray(-faults.rawTail)),
          secure: Boolean(session.secure),
          user: typeof session.user === 'string' ? session.user : undefined,
          at: mailFromAt.get(session.id) ?? Date.now(),
        });
        for (const waiter of [...waiters]) {
          if (received.length >= waiter.n) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve();
          }
        }
        callback(null, `2.0.0 Ok: queued as M${received.length}`);
      });
    },
  };
  const server = new SMTPServer(options);
  // The raw sockets, to drop a connection without a reply.
  const net = (server as unknown as { server: import('node:net').Server }).server;
  net.on('connection', (socket: Socket) => {
    connections++;
    const port = socket.remotePort ?? 0;
    sockets.set(port, socket);
    socket.on('close', () => sockets.delete(port));
  });
  server.on('error', () => undefined); // dropped connections surface here; nothing to do
  await new Promise<void>((resolve) => server.listen(0, faults.listen ?? '127.0.0.1', () => resolve()));
  const port = (net.address() as import('node:net').AddressInfo).port;
  return {
    port,
    received,
    rcptAttempts,
    admitted,
    throttled,
    get dropped() {
      return dropped;
    },
    get connections() {
      return connections;
    },
    counts() {
      const counts = new Map<string, number>();
      for (const message of received) for (const to of message.to) counts.set(to, (counts.get(to) ?? 0) + 1);
      return counts;
    },
    waitFor(n: number) {
      if (received.length >= n) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push({ n, resolve }));
    },
    close() {
      for (const socket of sockets.values()) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
