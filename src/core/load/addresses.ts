// Email addresses as a careful sender checks them: a practical test (one @, a sensible local part, a
// domain with a dot and a real-looking top-level label) rather than RFC 5322's full grammar, whose
// exotica (quoted local parts, comments, IP literals) no mailing list needs and many servers refuse.
// The check is a single pass over the characters: no regular expression can backtrack on a hostile row.
import type { AddressProblemArgs, AddressRole } from '../facts/diagnostics';
import type { Address } from '../types';

const LOCAL_SPECIALS = new Set([..."!#$%&'*+/=?^_`{|}~.-"].map((c) => c.charCodeAt(0)));

/** Letters of other scripts are allowed (internationalised addresses); their spaces and BOM are not. */
function isOtherLetter(c: number): boolean {
  return c >= 0x80 && c !== 0xa0 && c !== 0xfeff && c !== 0x3000 && !(c >= 0x2000 && c <= 0x200b) && c !== 0x2028 && c !== 0x2029;
}

function isAlphaNumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** True for an address we would hand to an SMTP server: `local@domain.tld`. */
export function isValidEmail(address: string): boolean {
  // The shortest sensible address is "a@b.cd".
  if (address.length < 6 || address.length > 254) return false;
  const at = address.lastIndexOf('@');
  if (at < 1 || at > 64 || at === address.length - 1) return false;
  // Local part.
  let previousDot = true; // no leading dot
  for (let i = 0; i < at; i++) {
    const c = address.charCodeAt(i);
    if (c === 46) {
      if (previousDot) return false;
      previousDot = true;
      continue;
    }
    previousDot = false;
    if (isAlphaNumeric(c) || LOCAL_SPECIALS.has(c) || isOtherLetter(c)) continue;
    return false; // space, @, quotes, brackets, control characters …
  }
  if (previousDot) return false; // trailing dot
  // Domain: labels of letters, digits and inner hyphens (or non-ASCII, for internationalised names).
  let labels = 0;
  let labelStart = at + 1;
  let tldAllDigits = true;
  for (let i = at + 1; i <= address.length; i++) {
    const c = i < address.length ? address.charCodeAt(i) : 46;
    if (c === 46) {
      const size = i - labelStart;
      if (size < 1 || size > 63) return false;
      if (address.charCodeAt(labelStart) === 45 || address.charCodeAt(i - 1) === 45) return false;
      labels++;
      if (i === address.length) {
        if (size < 2 || tldAllDigits) return false;
      }
      labelStart = i + 1;
      tldAllDigits = true;
      continue;
    }
    if (isAlphaNumeric(c) || c === 45 || isOtherLetter(c)) {
      if (c < 48 || c > 57) tldAllDigits = false;
      continue;
    }
    return false;
  }
  return labels >= 2;
}

/** The lower-cased form used to recognise the same address twice (one message per address). */
export function addressKey(address: string): string {
  return address.toLowerCase();
}

export type AddressParse = { ok: true; address: Address } | { ok: false; problem: AddressProblemArgs; address?: Address };

/**
 * Reads `Name <address>`, `"Name, Inc." <address>`, `<address>` or a bare address. `role` says which
 * address it is (the messages name it).
 */
export function parseAddress(text: string, role: AddressRole): AddressParse {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, problem: { kind: 'empty', role } };
  let name: string | undefined;
  let email = trimmed;
  if (trimmed.endsWith('>')) {
    const open = trimmed.lastIndexOf('<');
    if (open < 0) return { ok: false, problem: { kind: 'not-an-address', role, written: trimmed } };
    email = trimmed.slice(open + 1, -1).trim();
    name = unquote(trimmed.slice(0, open).trim()) || undefined;
  } else if (trimmed.includes('<')) {
    return { ok: false, problem: { kind: 'unclosed', role, written: trimmed } };
  }
  const address: Address = name === undefined ? { email } : { name, email };
  if (/[,;]/.test(email) || (name === undefined && /\s/.test(email))) {
    return { ok: false, problem: { kind: 'several', role, written: trimmed }, address };
  }
  if (!isValidEmail(email)) return { ok: false, problem: { kind: 'invalid', role, email }, address };
  return { ok: true, address };
}

/** Reads the `{ name, email }` form. */
export function addressFromObject(value: { name?: unknown; email?: unknown }, role: AddressRole): AddressParse {
  const email = typeof value.email === 'string' ? value.email.trim() : '';
  const name = typeof value.name === 'string' && value.name.trim() ? value.name.trim() : undefined;
  const address: Address = name === undefined ? { email } : { name, email };
  if (!email) return { ok: false, problem: { kind: 'no-email', role }, address };
  if (!isValidEmail(email)) return { ok: false, problem: { kind: 'invalid', role, email }, address };
  return { ok: true, address };
}

function unquote(name: string): string {
  if (name.length >= 2 && name.startsWith('"') && name.endsWith('"')) return name.slice(1, -1).replace(/\\(.)/g, '$1');
  return name;
}

/** `Name <address>` (quoted when the name needs it) or the bare address. */
export function formatAddress(address: Address): string {
  if (!address.name) return address.email;
  const name = /[",;<>@()[\]\\:]/.test(address.name) ? `"${address.name.replace(/(["\\])/g, '\\$1')}"` : address.name;
  return `${name} <${address.email}>`;
}
