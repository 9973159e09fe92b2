// The per-recipient header values of a message: what `personalize` (prepared.ts) computes for the
// headers, without filling the HTML and text bodies (the template renderer fills those piece by
// piece; building the whole bodies as strings costs more than the rest of its work together).
// Same rules, same errors: the byte-level tests hold both renderers to the same output.
import type { Address, Recipient } from '../types';
import { cleanAddress, headerText, headerUrl } from './headerText';
import { fillTemplate } from './merge';
import { messageIdFor } from './messageId';
import { RecipientAddressError, type PersonalizeOptions, type PreparedMailing } from './prepared';

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
