// The fingerprint of what recipients see: subject, From, Reply-To, the HTML and text (the resolved
// text, not the path), attachments (name, size and content hash), the unsubscribe targets and the
// HTML's local images (their sources, size and content hash). The send
// engine stores it in the test record and the confirmed snapshot; `test-outdated` and
// `changed-since-confirm` compare it with the file as it is now. The target list and the sending
// options are not part of it: they change who receives the message and how, not what it says.
import { createHash } from 'node:crypto';
import type { Address, MailingDraft } from './types';

const VERSION = 'mailings-content-v1';

function address(value: Address | undefined): [string, string] | null {
  return value ? [value.name ?? '', value.email] : null;
}

type Inputs = [string | null, [string, string] | null, [string, string] | null, string | null, string | null, [string, number, string | null][], string | null, string | null, ...[string, number, string][][]];

export function contentHash(mailing: MailingDraft): string {
  const inputs: Inputs = [
    mailing.subject ?? null,
    address(mailing.from),
    address(mailing.replyTo),
    mailing.html?.source ?? null,
    mailing.text?.source ?? null,
    (mailing.attachments ?? []).map((attachment) => [attachment.filename, attachment.size, attachment.sha256 ?? null]),
    mailing.unsubscribe?.url ?? null,
    mailing.unsubscribe?.mailto ?? null,
  ];
  // Local images are what recipients see too; added only when there are some, so the hash of a
  // mailing without any stays what it was (its test record stays valid).
  if (mailing.images?.length) inputs.push(mailing.images.map((image): [string, number, string] => [image.sources.join('\n'), image.size, image.sha256]));
  // Each validation hashes the mailing again, mostly unchanged: remember the last hash per file.
  // Comparing the inputs is cheap (the content strings are usually the very same objects).
  const known = lastHashes.get(mailing.file);
  if (known && sameInputs(known.inputs, inputs)) return known.hash;
  const hash = createHash('sha256')
    .update(JSON.stringify([VERSION, ...inputs]))
    .digest('hex');
  if (lastHashes.size >= 256) lastHashes.clear();
  lastHashes.set(mailing.file, { inputs, hash });
  return hash;
}

const lastHashes = new Map<string, { inputs: Inputs; hash: string }>();

function sameInputs(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameInputs(a[i], b[i])) return false;
  return true;
}
