// Header values from untrusted text (CSV fields, the mailing file): nothing here can end a header line.
// Line breaks become spaces and other control characters go; nodemailer then encodes non-ASCII text
// as RFC 2047 encoded words and folds long lines.
import { domainToASCII } from 'node:url';

/** One line of header text: CR/LF (and tabs, form feeds) become a space, other controls are removed. */
export function headerText(value: string): string {
  return value
    .replace(/[\r\n\t\v\f\u2028\u2029\u0085]+/g, ' ')
    .replace(/[\x00-\x08\x0e-\x1f\x7f]/g, '')
    .replace(/ {2,}/g, ' ')
    .trim();
}

/**
 * An address for an address header or the envelope: no whitespace, controls, angle brackets or
 * commas can survive (each would let the value become another address or header). Undefined when
 * what remains is not an address.
 */
export function cleanAddress(value: string): string | undefined {
  const email = value.replace(/[\s\x00-\x1f\x7f<>,;]+/g, '');
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return undefined;
  return email;
}

/** The domain of an address in ASCII (IDNA), lowercased: for Message-IDs and List-Id. */
export function addressDomain(email: string): string {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domainToASCII(domain) || domain.replace(/[^a-z0-9.-]/g, '') || 'localhost';
}

/** A URL for a header inside `<…>`: spaces and controls removed, anything non-ASCII or `<>` encoded. */
export function headerUrl(url: string): string {
  return url.replace(/[\s\x00-\x1f\x7f]+/g, '').replace(/[^\x21-\x7e]|[<>]/g, (c) => encodeURIComponent(c));
}

/** A dot-atom-ish identifier for List-Id / Feedback-ID from a name. */
export function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'mailing'
  );
}
