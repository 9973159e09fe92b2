import { type ConfirmModel, htmlModelKey, htmlWithDataImages, personalize, prepareMailing, type Recipient, type ResolvedMailing } from '../../core/index';

export interface RenderedPreview {
  index: number;
  recipient: Recipient;
  subject: string;
  html?: string;
  text: string;
}

/** Stands in for the From address in the preview (the body does not depend on it). */
const PREVIEW_FROM = { email: 'preview@example.invalid' };

export async function renderPreview(model: ConfirmModel, requestedIndex: number): Promise<RenderedPreview | undefined> {
  const m = model.mailing;
  if (!m.html?.source && !m.text?.source) return undefined;
  const recipients = m.targetList?.recipients ?? [];
  const index = Math.min(Math.max(0, requestedIndex), Math.max(0, recipients.length - 1));
  const recipient: Recipient = recipients[index] ?? { email: PREVIEW_FROM.email, fields: { email: '' } };
  // Local images as data: URIs of their files (a message carries them as cid: parts, which a webview
  // cannot load; the webview can load no file of the workspace either).
  const html = m.html?.source && m.images?.length ? { ...m.html, source: await htmlWithDataImages(m.html.source, htmlModelKey(m.file, m.html.file), m.images) } : m.html;
  const mailing: ResolvedMailing = {
    file: m.file,
    name: m.name ?? '',
    from: PREVIEW_FROM,
    subject: m.subject ?? '',
    html,
    text: m.text,
    ...(m.preheader ? { preheader: m.preheader } : {}),
    // Attachments are listed in the overview; reading them for every keystroke is not needed.
    attachments: [],
    targetList: m.targetList ?? { recipients: [], fields: ['email'], skipped: { invalid: 0, duplicate: 0, excluded: 0 }, sources: [], excludeSources: [] },
    unsubscribe: m.unsubscribe ?? {},
    test: { recipients: [] },
    timezone: m.timezone,
    sending: m.sending,
  };
  try {
    const prepared = await prepareMailing(mailing, { messageIdToken: 'preview' });
    const message = personalize(prepared, recipient, index, { to: PREVIEW_FROM.email });
    return { index, recipient, subject: message.subject, html: message.html, text: message.text };
  } catch {
    // A draft the renderer cannot take yet (its diagnostics say why): no preview.
    return undefined;
  }
}
