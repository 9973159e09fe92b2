// The per-recipient header values of a message, the one place they are computed: `personalize`
// (prepared.ts) adds the filled bodies for nodemailer and the preview; the template renderer fills
// the bodies piece by piece instead (building them as whole strings costs more than the rest of its
// work together). The byte-level tests hold both renderers to the same output.
import type { Address, Recipient } from '../types';
import { cleanAddress, headerText, headerUrl } from './headerText';
import { fillTemplate } from './merge';
import { messageIdFor } from './messageId';
import type { PreparedMailing } from './prepared';

export interface PersonalizeOptions {
  /** Deliver to this address instead of the recipient's (test sends use the first row's fields). */
  to?: string;
  subjectPrefix?: string;
}

export class RecipientAddressError extends Error {
  readonly code = 'recipient-invalid';
}

export interface RecipientHeaders {
  to: Address;
  subject: string;
  messageId: string;
  /** The List-Unsubscribe header value (`<https://…>, <mailto:…>`), if any. */
  listUnsubscribe?: string;
  /** True when List-Unsubscribe holds an https URL (RFC 8058 One-Click POST applies). */
  oneClick: boolean;
}

export function recipientHeaders(prepared: PreparedMailing, recipient: Recipient, index: number, options: PersonalizeOptions = {}): RecipientHeaders {
  const fields = recipient.fields;
  const toEmail = cleanAddress(options.to ?? recipient.email);
  if (!toEmail) throw new RecipientAddressError(`'${recipient.email}' is not an address`);
  const subject = headerText((options.subjectPrefix ?? '') + fillTemplate(prepared.subject, fields));
  let listUnsubscribe: string | undefined;
  let oneClick = false;
  if (prepared.unsubscribeUrl) {
    const encoded = prepared.unsubscribeUrl.encoded;
    const url = headerUrl(fillTemplate(prepared.unsubscribeUrl.template, fields, (value, k) => (encoded.has(k) ? encodeURIComponent(value) : value)));
    if (/^https?:\/\//i.test(url)) {
      listUnsubscribe = `<${url}>`;
      oneClick = /^https:\/\//i.test(url);
    }
  }
  if (prepared.unsubscribeMailto) listUnsubscribe = (listUnsubscribe ? `${listUnsubscribe}, ` : '') + `<${prepared.unsubscribeMailto}>`;
  return { to: { email: toEmail }, subject, messageId: messageIdFor(prepared.messageIdToken, index, prepared.domain), listUnsubscribe, oneClick };
}
