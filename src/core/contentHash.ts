// The fingerprint of what recipients see: subject, From, Reply-To, the HTML and text (the resolved
// text, not the path), attachments (name, size and content hash) and the unsubscribe targets. The send
// engine stores it in the test record and the confirmed snapshot; `test-outdated` and
// `changed-since-confirm` compare it with the file as it is now. The target list and the sending
// options are not part of it: they change who receives the message and how, not what it says.
import { createHash } from 'node:crypto';
import type { Address, MailingDraft } from './types';

const VERSION = 'mailings-content-v1';

function address(value: Address | undefined): [string, string] | null {
  return value ? [value.name ?? '', value.email] : null;
}

export function contentHash(mailing: MailingDraft): string {
  const canonical = JSON.stringify([
    VERSION,
    mailing.subject ?? null,
    address(mailing.from),
    address(mailing.replyTo),
    mailing.html?.source ?? null,
    mailing.text?.source ?? null,
    (mailing.attachments ?? []).map((attachment) => [attachment.filename, attachment.size, attachment.sha256 ?? null]),
    mailing.unsubscribe?.url ?? null,
    mailing.unsubscribe?.mailto ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
