// A draft of the confirm model as a mailing that can be rendered, whatever its diagnostics say: what
// Send now freezes once the checks pass (confirmModel.ts: toResolvedMailing), and what the spam
// score renders of a draft (inbox/onDemand.ts).
import type { MailingDraft, ResolvedMailing } from '../types';

/**
 * The draft as a mailing that can be rendered, whatever its diagnostics say (the spam score of a
 * draft): undefined while it lacks a name, From, subject, content or target list.
 */
export function renderableMailing(m: MailingDraft): ResolvedMailing | undefined {
  if (!m.name || !m.from || !m.subject || !m.targetList || (!m.html && !m.text)) return undefined;
  const resolved: ResolvedMailing = {
    file: m.file,
    name: m.name,
    from: m.from,
    subject: m.subject,
    attachments: m.attachments ?? [],
    targetList: m.targetList,
    unsubscribe: m.unsubscribe ?? {},
    test: m.test ?? { recipients: [] },
    timezone: m.timezone,
    sending: m.sending,
  };
  if (m.replyTo) resolved.replyTo = m.replyTo;
  if (m.html) resolved.html = m.html;
  if (m.html && m.images?.length) resolved.images = m.images;
  if (m.text) resolved.text = m.text;
  if (m.html && m.preheader) resolved.preheader = m.preheader;
  if (m.schedule) resolved.schedule = m.schedule;
  return resolved;
}
