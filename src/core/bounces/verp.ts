// VERP (variable envelope return path): each message's envelope sender names its mailing and
// recipient, so a bounce sent back to it says whom it is about even when it quotes nothing of the
// original message. `sending.returnPath: bounces@acme.example` becomes, for recipient 1234,
//
//     bounces+k3q7zm2xc4ha-1234@acme.example
//              └ mailing ┘ └ recipient index (decimal)
//
// The mailing part is the first 60 bits of SHA-256 of the mailing's Message-ID token, in RFC 4648
// base32 written lower-case: 12 characters of a-z and 2-7, safe in any local part, unchanged when an
// MTA lowercases the address (some do), and the same for every message of the mailing. It is not the
// token itself: tokens are free text in a snapshot, and a hash keeps the address short (a local part
// has at most 64 characters, and BATV or SRS rewriting adds to it). The inbox (Postfix
// `recipient_delimiter = +`, Dovecot, Gmail, Microsoft 365) delivers every such address to the
// base mailbox.
//
// Decoding is forgiving of what travels do to an address: case, angle brackets, quotes, a `mailto:`
// or `rfc822;` prefix, BATV signing (`prvs=0123abcd=bounces+…`) and SRS forwarding
// (`SRS0=HHH=TT=acme.example=bounces+…@forwarder`).
import { createHash } from 'node:crypto';

export const VERP_TAG_LENGTH = 12;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const MAX_LOCAL_PART = 64;

export interface VerpOptions {
  /** The separator between the base local part and the rest: `+` (default), or `-` (qmail's convention). */
  delimiter?: '+' | '-';
}

export interface VerpParts {
  /** The mailing's tag (mailingTag of its Message-ID token). */
  tag: string;
  /** The recipient's index in the mailing's snapshot. */
  index: number;
  /** The return path it was made from, lower-cased: `bounces@acme.example`. */
  base: string;
}

export class VerpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerpError';
  }
}

/** The mailing part of a VERP address: 12 base32 characters derived from the Message-ID token. */
export function mailingTag(token: string): string {
  const digest = createHash('sha256').update(token, 'utf8').digest();
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; out.length < VERP_TAG_LENGTH; i++) {
    value = (value << 8) | digest[i];
    bits += 8;
    while (bits >= 5 && out.length < VERP_TAG_LENGTH) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** The envelope sender of recipient `index`'s message: `returnPath` with the mailing and recipient. */
export function verpAddress(returnPath: string, token: string, index: number, options: VerpOptions = {}): string {
  const delimiter = options.delimiter ?? '+';
  const at = returnPath.lastIndexOf('@');
  if (at < 1 || at === returnPath.length - 1 || /[\s<>"]/.test(returnPath)) {
    throw new VerpError(`the return path '${returnPath}' is not an address`);
  }
  if (!Number.isSafeInteger(index) || index < 0) throw new VerpError(`recipient index ${index} is not a whole number`);
  const local = `${returnPath.slice(0, at)}${delimiter}${mailingTag(token)}-${index}`;
  if (local.length > MAX_LOCAL_PART) {
    throw new VerpError(
      `the return path '${returnPath}' is too long for VERP: its local part would have ${local.length} characters (at most ${MAX_LOCAL_PART}); use a shorter one`,
    );
  }
  return `${local}@${returnPath.slice(at + 1)}`;
}

/** Strips what surrounds an address in a header or report field: `rfc822;`, `mailto:`, `<…>`, a display name. */
function bareAddress(text: string): string {
  let value = text.trim().replace(/^rfc822\s*;\s*/i, '').replace(/^mailto:/i, '');
  const angle = /<([^<>]*)>/.exec(value);
  if (angle) value = angle[1];
  return value.trim();
}

/**
 * The mailing tag and recipient index a VERP address carries, or undefined when the address is no
 * VERP address of this form.
 */
export function parseVerpAddress(text: string, options: VerpOptions = {}): VerpParts | undefined {
  const delimiter = options.delimiter ?? '+';
  const address = bareAddress(text).toLowerCase();
  const at = address.lastIndexOf('@');
  if (at < 1) return undefined;
  let local = address.slice(0, at);
  let domain = address.slice(at + 1);
  if (local.startsWith('"') && local.endsWith('"') && local.length >= 2) local = local.slice(1, -1).replace(/\\(.)/g, '$1');
  // SRS: the original address is in the last two fields (SRS1 nests an SRS0 address in the same way).
  if (/^srs[01][=+-]/.test(local)) {
    const fields = local.split('=');
    if (fields.length < 3) return undefined;
    local = fields[fields.length - 1];
    domain = fields[fields.length - 2];
  }
  // BATV: a signature before the local part.
  local = local.replace(/^prvs=[0-9a-z]+=/, '').replace(/^btv1==[0-9a-z]+==/, '');
  const escaped = delimiter === '+' ? '\\+' : '-';
  const match = new RegExp(`^(.+?)${escaped}([a-z2-7]{${VERP_TAG_LENGTH}})-(\\d{1,15})$`).exec(local);
  if (!match || !domain) return undefined;
  const index = Number(match[3]);
  if (!Number.isSafeInteger(index)) return undefined;
  return { tag: match[2], index, base: `${match[1]}@${domain}` };
}
