// Message-IDs: `<token.index@from-domain>`. The token is chosen once when a mailing is confirmed (and
// kept in the snapshot), so each recipient's message has one Message-ID for all its attempts: a retry
// or a resend after a crash is the same message (receivers can recognise the duplicate), and the
// journal need not store the ID.
import { randomBytes } from 'node:crypto';

export function newMessageIdToken(): string {
  return `${Date.now().toString(36)}.${randomBytes(6).toString('hex')}`;
}

export function messageIdFor(token: string, index: number, domain: string): string {
  return `<${token}.${index.toString(36)}@${domain}>`;
}

export interface MessageIdParts {
  token: string;
  index: number;
  domain: string;
}

/**
 * The inverse of messageIdFor: the token, recipient index and domain of one of our Message-IDs, from
 * one Message-ID as a bounce quotes it (with or without angle brackets and surrounding whitespace).
 * Undefined for a Message-ID of another shape; whether the token belongs to a mailing is for the
 * caller to look up.
 */
export function parseMessageId(value: string): MessageIdParts | undefined {
  const match = /^<?\s*([^<>\s@]+)@([^<>\s@]+)\s*>?$/.exec(value.trim());
  if (!match) return undefined;
  const local = match[1];
  const dot = local.lastIndexOf('.');
  if (dot <= 0 || dot === local.length - 1) return undefined;
  const indexText = local.slice(dot + 1);
  if (!/^[0-9a-z]{1,11}$/.test(indexText)) return undefined;
  const index = parseInt(indexText, 36);
  if (!Number.isSafeInteger(index)) return undefined;
  return { token: local.slice(0, dot), index, domain: match[2].toLowerCase() };
}
