// The live preview's view (src/protocol.ts LivePreviewView) from a model built for the preview and
// the message rendered for one recipient, and the recipient search of its picker. Plain Node.
import * as path from 'node:path';
import { type ConfirmModel, Formatter, inboxSnippet, type Recipient, type WhenLocale } from '../../core/index';
import { type LivePreviewView, type PreviewWidth, RECIPIENT_CHOICES_MAX, type RecipientChoice } from '../../protocol';
import { diagnosticView } from './confirmView';
import type { RenderedPreview } from './preview';

export interface LivePreviewOptions {
  /** The file the preview follows: the mailing or its content file. */
  source: string;
  preview?: RenderedPreview;
  width: PreviewWidth;
  remoteImages: boolean;
  locale: WhenLocale;
  now: Date;
}

/** Column names that hold a person's name, most specific first (as target lists name them). */
const NAME_FIELDS = ['name', 'fullname', 'full_name', 'displayname', 'display_name'];
const FIRST_FIELDS = ['firstname', 'first_name', 'givenname', 'voornaam'];
const LAST_FIELDS = ['lastname', 'last_name', 'surname', 'familyname', 'achternaam'];

function field(recipient: Recipient, names: string[]): string | undefined {
  for (const [key, value] of Object.entries(recipient.fields)) {
    if (names.includes(key.toLowerCase()) && value.trim()) return value.trim();
  }
  return undefined;
}

/** The recipient's name as the list gives it (a name column, or first and last name), if any. */
export function recipientName(recipient: Recipient): string | undefined {
  const whole = field(recipient, NAME_FIELDS);
  if (whole) return whole;
  const parts = [field(recipient, FIRST_FIELDS), field(recipient, LAST_FIELDS)].filter((p): p is string => !!p);
  return parts.length ? parts.join(' ') : undefined;
}

export function recipientChoice(recipient: Recipient, index: number): RecipientChoice {
  const name = recipientName(recipient);
  return { index, email: recipient.email, ...(name ? { name } : {}) };
}

/**
 * The recipients a search finds, in list order, at most RECIPIENT_CHOICES_MAX: `#12` or `12` is
 * row 12 (1-based, as the picker numbers them) and every address or name that holds the number;
 * other text is matched, case-insensitive, in the address and the name. Empty text: the first rows.
 */
export function searchRecipients(recipients: readonly Recipient[], text: string): { choices: RecipientChoice[]; total: number } {
  const query = text.trim().toLowerCase();
  const choices: RecipientChoice[] = [];
  let total = 0;
  const add = (index: number) => {
    total++;
    if (choices.length < RECIPIENT_CHOICES_MAX) choices.push(recipientChoice(recipients[index], index));
  };
  if (!query) {
    for (let i = 0; i < Math.min(recipients.length, RECIPIENT_CHOICES_MAX); i++) add(i);
    return { choices, total: recipients.length };
  }
  const row = /^#?\s*(\d+)$/.exec(query);
  const rowIndex = row ? Number(row[1]) - 1 : -1;
  if (rowIndex >= 0 && rowIndex < recipients.length) add(rowIndex);
  const words = query.replace(/^#/, '');
  for (let i = 0; i < recipients.length; i++) {
    if (i === rowIndex) continue;
    const recipient = recipients[i];
    if (recipient.email.toLowerCase().includes(words) || (recipientName(recipient)?.toLowerCase().includes(words) ?? false)) add(i);
  }
  return { choices, total };
}

export function toLivePreviewView(model: ConfirmModel, o: LivePreviewOptions): LivePreviewView {
  const m = model.mailing;
  const f = new Formatter(o.locale, { timezone: m.timezone, now: o.now });
  const recipients = m.targetList?.recipients ?? [];
  const p = o.preview;
  const source = path.resolve(o.source);
  const kind = /\.mjml$/i.test(source) ? 'mjml' : /\.(md|markdown)$/i.test(source) ? 'markdown' : undefined;
  const snippet = p?.html !== undefined ? inboxSnippet(p.html) : p?.text?.replace(/\s+/g, ' ').trim().slice(0, 140);
  return {
    file: model.file,
    fileLabel: path.basename(model.file),
    source,
    sourceLabel: path.basename(source),
    // Only a content file of the kinds whose blocks carry their line, and only while it is the content.
    scrollSync: kind !== undefined && path.resolve(m.html?.file ?? '') === source,
    inbox: {
      ...(m.from ? { from: m.from.name || m.from.email } : {}),
      ...(p?.subject ?? m.subject ? { subject: p?.subject ?? m.subject } : {}),
      ...(snippet ? { snippet } : {}),
    },
    ...(p && recipients[p.index] ? { recipient: recipientChoice(recipients[p.index], p.index) } : {}),
    recipientCount: recipients.length,
    ...(p?.html !== undefined ? { html: p.html } : p?.text !== undefined ? { text: p.text } : {}),
    errors: model.diagnostics.filter((d) => d.severity === 'error').map((d) => diagnosticView(model, d, f)),
    width: o.width,
    remoteImages: o.remoteImages,
  };
}
