// The SMTP transport: nodemailer's pooled transport (one message at a time per connection, up to
// `connections` connections), STARTTLS or implicit TLS, AUTH, optional DKIM signing. Messages go as
// ready-made raw bytes with their own envelope.
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import type { SendingOptions, SmtpConfig } from '../types';
import type { RenderedMessage } from '../render/renderer';
import { DeliveryError, type DeliveryResult, type FailureKind, type Transport } from './transport';

export interface SmtpTransportOptions {
  smtp: SmtpConfig;
  connections: number;
  dkim?: SendingOptions['dkim'];
  /** Socket and greeting timeouts in ms (tests shorten them). */
  timeoutMs?: number;
}

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

const FATAL_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'EREQUIRETLS']);
const AUTH_REPLIES = new Set([530, 534, 535, 538]);

/** Sorts a nodemailer error into what the engine does about it (domain.md, Sending rules). */
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
  const prefix = kind === 'fatal' && (error.code === 'EAUTH' || (code && AUTH_REPLIES.has(code))) ? 'authentication failed: ' : '';
  return new DeliveryError(kind, prefix + reply, code || undefined);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 500);
}

export function smtpTransport(options: SmtpTransportOptions): Transport {
  const { smtp } = options;
  const timeout = options.timeoutMs ?? 60_000;
  const transporter = nodemailer.createTransport({
    pool: true,
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    maxConnections: Math.max(1, options.connections),
    tls: { rejectUnauthorized: !smtp.allowInvalidCertificates },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    dkim: options.dkim
      ? { domainName: options.dkim.domain, keySelector: options.dkim.selector, privateKey: readFileSync(options.dkim.privateKeyFile, 'utf8') }
      : undefined,
    // The password is never logged: no logger, no debug.
    logger: false,
    debug: false,
  });
  return {
    kind: 'smtp',
    concurrency: Math.max(1, options.connections),
    async deliver(message: RenderedMessage): Promise<DeliveryResult> {
      try {
        const info = await transporter.sendMail({ envelope: message.envelope, raw: message.raw });
        return { reply: oneLine(String(info.response ?? '250')) };
      } catch (error) {
        throw classifySmtpError(error as NodemailerError);
      }
    },
    async verify(): Promise<void> {
      try {
        await transporter.verify();
      } catch (error) {
        throw classifySmtpError(error as NodemailerError);
      }
    },
    async close(): Promise<void> {
      transporter.close();
    },
  };
}
