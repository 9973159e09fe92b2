// Bounces without a machine-readable part: the text that MTAs write for people, in the shapes the
// common ones have used for decades.
//
//   Exim       "The following address(es) failed:", then each address indented by two spaces and
//              its explanation by four; the returned message after "------ This is a copy of the
//              message, including all the headers. ------".
//   qmail,     "<address>:" at the start of a line, the explanation on the lines below it; the
//   Yahoo      message after "--- Below this line is a copy of the message.".
//   Postfix    "<address>: host … said: 550 …" (or "<address> (expanded from <alias>): …") with
//              four-space continuation lines (the text part of its DSN, or a DSN-less bounce).
//   Exchange,  "Your message to <address> couldn't be delivered." / "Delivery has failed to these
//   Gmail      recipients or groups:" / "Your message wasn't delivered to <address>", with the reply
//              after "Remote Server returned '…'", between "#" and "##", after "Error:", or after
//              "The response was:".
//
// Any other text that names failed recipients (X-Failed-Recipients) is read for the first SMTP
// reply it quotes.
import { addressOfField, recipientOutcome, type RecipientAction, type ReportedRecipient } from './deliveryStatus';

export type PlainFormat = 'exim' | 'qmail' | 'postfix' | 'exchange' | 'gmail' | 'text';

export interface PlainBounce {
  format: PlainFormat;
  recipients: ReportedRecipient[];
  /** The returned message's header block, when the text quotes it. */
  quotedHeaders?: string;
}

const ADDRESS = /[^\s<>()"',;:]+@[^\s<>()"',;:]+\.[a-z0-9-]{2,}/i;

/** Where the returned message (or its headers) starts in the text. */
const QUOTE_MARKERS = [
  /^-+ ?This is a copy of the message.*$/im,
  /^-+ ?Below this line is a copy of the message.*$/im,
  /^-+ ?Enclosed (is a copy of the message|are the original headers).*$/im,
  /^Original message headers:\s*$/im,
  /^-+ ?Original message ?-*\s*$/im,
  /^-+ ?The header of the original message is following.*$/im,
];

const DELAY_WORDS = /\b(has not yet been delivered|still being retried|THIS IS A WARNING ONLY|will (continue to )?(retry|be retried)|delivery (has been )?delayed|Delayed Mail)\b/i;

function recipient(address: string, action: RecipientAction, diagnostic: string, original?: string): ReportedRecipient {
  const line = diagnostic.replace(/\s+/g, ' ').trim();
  const entry: ReportedRecipient = { address, action, ...recipientOutcome(action, undefined, line || undefined) };
  if (line) entry.diagnostic = line;
  if (original && original.toLowerCase() !== address.toLowerCase()) entry.originalRecipient = original;
  if (entry.classification?.enhanced) entry.status = entry.classification.enhanced;
  return entry;
}

/** The header block quoted after a marker line, up to its first blank line. */
function quotedHeadersAfter(text: string): string | undefined {
  for (const marker of QUOTE_MARKERS) {
    const match = marker.exec(text);
    if (!match) continue;
    const rest = text.slice(match.index + match[0].length).replace(/^\s*\n/, '');
    const end = /\n[ \t]*\n/.exec(rest);
    const block = end ? rest.slice(0, end.index) : rest;
    if (/^[\w-]+:/m.test(block)) return block;
  }
  return undefined;
}

/** The part of the text before the returned message: the explanation. */
function explanation(text: string): string {
  let end = text.length;
  for (const marker of QUOTE_MARKERS) {
    const match = marker.exec(text);
    if (match && match.index < end) end = match.index;
  }
  return text.slice(0, end);
}

function eximRecipients(text: string, action: RecipientAction): ReportedRecipient[] {
  const start = /^(.*(address\(es\) failed|has not yet been delivered is|have not yet been delivered are|not yet been delivered).*:)\s*$/im.exec(text);
  if (!start) return [];
  const lines = text.slice(start.index + start[0].length).split(/\r?\n/);
  const found: ReportedRecipient[] = [];
  let current: { address: string; original?: string; lines: string[] } | undefined;
  const flush = () => {
    if (current) found.push(recipient(current.address, action, current.lines.join(' '), current.original));
    current = undefined;
  };
  for (const line of lines) {
    const head = /^ {2}(\S+@\S+?)(?::\s*(.*))?\s*$/.exec(line);
    if (head && ADDRESS.test(head[1])) {
      flush();
      current = { address: head[1].replace(/^<|>$/g, ''), lines: head[2] ? [head[2]] : [] };
      continue;
    }
    if (current && /^ {3,}\S/.test(line)) {
      const generated = /^\s*\(generated from (\S+?)\)\s*$/.exec(line);
      if (generated) current.original = generated[1].replace(/^<|>$/g, '');
      else current.lines.push(line.trim());
      continue;
    }
    if (line.trim() && current) flush();
  }
  flush();
  return found;
}

/** `<address>: …` blocks (qmail, Yahoo, Postfix), each until a blank line or the next block. */
function angleRecipients(text: string, action: RecipientAction): ReportedRecipient[] {
  const found: ReportedRecipient[] = [];
  let current: { address: string; original?: string; lines: string[] } | undefined;
  const flush = () => {
    if (current) found.push(recipient(current.address, action, current.lines.join(' '), current.original));
    current = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    const head = /^<([^<>\s]+@[^<>\s]+)>(?:\s*\((?:expanded|generated) from <([^<>\s]+)>\))?:\s*(.*)$/.exec(line);
    if (head) {
      flush();
      current = { address: head[1], original: head[2], lines: head[3] ? [head[3]] : [] };
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    current?.lines.push(line.trim());
  }
  flush();
  return found;
}

/** Microsoft's and Google's texts: the address in a sentence, the reply quoted further on. */
function sentenceRecipients(text: string, failed: string[], action: RecipientAction): { format: PlainFormat; recipients: ReportedRecipient[] } | undefined {
  const addresses = new Set<string>(failed);
  let format: PlainFormat | undefined;
  for (const match of text.matchAll(/Your message to (\S+@\S+?) couldn'?t be delivered/gi)) {
    addresses.add(match[1]);
    format = 'exchange';
  }
  const group = /Delivery has failed to these recipients or groups:\s*\n+\s*(\S+@\S+)/i.exec(text);
  if (group) {
    addresses.add(group[1].replace(/^<|>$/g, ''));
    format = 'exchange';
  }
  for (const match of text.matchAll(/Your message wasn'?t delivered to (\S+@\S+?) because/gi)) {
    addresses.add(match[1]);
    format = 'gmail';
  }
  if (addresses.size === 0) return undefined;
  const reply =
    /Remote Server returned '([^'\n]+)'/i.exec(text)?.[1] ??
    /#(\d{3} \d\.\d{1,3}\.\d{1,3}[^#\n]*)##/.exec(text)?.[1] ??
    /^\s*(?:Error|Diagnostic-Code):\s*([45]\d\d[ -][245]\.\d{1,3}\.\d{1,3}[^\n]*(?:\n(?![ \t]*\n)[^\n:]+(?=\n))*)/im.exec(text)?.[1] ??
    /The response (?:from the remote server )?was:\s*\n+\s*([^\n]+)/i.exec(text)?.[1] ??
    /(?:^|\n)\s*([45]\d\d[ -][245]\.\d{1,3}\.\d{1,3}[^\n]*)/.exec(text)?.[1] ??
    '';
  const recipients = [...addresses].map((address) => recipient(address.replace(/[.,;]$/, ''), action, reply));
  return { format: format ?? 'text', recipients };
}

/**
 * Reads a bounce's text for the recipients it reports. `failedHeader` holds the X-Failed-Recipients
 * addresses (Exim, Gmail), which confirm a text that names them. Undefined when the text reports none.
 */
export function parsePlainBounce(text: string, failedHeader: string[] = []): PlainBounce | undefined {
  const body = text.replace(/\r\n/g, '\n');
  const told = explanation(body);
  const action: RecipientAction = DELAY_WORDS.test(told) ? 'delayed' : 'failed';
  const quotedHeaders = quotedHeadersAfter(body);
  const done = (format: PlainFormat, recipients: ReportedRecipient[]): PlainBounce => (quotedHeaders ? { format, recipients, quotedHeaders } : { format, recipients });

  if (/mail delivery software|address\(es\) failed|one or more of its\s+recipients/i.test(told)) {
    const recipients = eximRecipients(told, action);
    if (recipients.length) return done('exim', recipients);
  }
  if (/qmail-send program|wasn'?t able to deliver your message|unable to deliver your message to the following/i.test(told)) {
    const recipients = angleRecipients(told, action);
    if (recipients.length) return done('qmail', recipients);
  }
  if (/This is the mail system at host|^<[^<>\s]+@[^<>\s]+>(?: \([^)]*\))?: /m.test(told)) {
    const recipients = angleRecipients(told, action);
    if (recipients.length) return done('postfix', recipients);
  }
  const failed = failedHeader.map((value) => addressOfField(value) ?? value.trim()).filter((value) => ADDRESS.test(value));
  const sentences = sentenceRecipients(told, failed, action);
  if (sentences) return done(sentences.format, sentences.recipients);
  return undefined;
}
