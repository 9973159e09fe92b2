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
