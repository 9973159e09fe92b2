// The MIME structure of a mailing, built ONCE for the template renderer: the same tree nodemailer's
// MailComposer builds for our messages (text and html as multipart/alternative, the html's inline
// images with it in multipart/related, attachments beside them in multipart/mixed), its nodes'
// headers written by nodemailer's own MimeNode, the boundaries
// chosen, the attachments base64-encoded. What is left per recipient: the root headers and the
// encoded text parts, whose header depends on the transfer encoding chosen for that recipient.
import { randomBytes } from 'node:crypto';
import { detectMimeType } from 'nodemailer/lib/mime-funcs';
import MimeNode from 'nodemailer/lib/mime-node';
import type { TransferEncoding } from './bodyTemplate';
import type { PreparedAttachment, PreparedInlineImage } from './prepared';

export type PartName = 'text' | 'html';

/** A text part: its header block for each transfer encoding (without the blank line). */
export interface PartSlot {
  part: PartName;
  headers: Record<TransferEncoding, string>;
}

export type Segment = string | PartSlot;

export interface MimeSkeleton {
  /** The root's Content-Type header line (folded), last in the header block as nodemailer puts it. */
  rootContentType: string;
  /** When the root is itself the one text part, its header holds the Content-Transfer-Encoding too. */
  rootPart?: PartName;
  /** Everything after the root's header block and blank line; static strings merged. */
  segments: Segment[];
  /** The random part of every boundary: a 7bit body must not contain it. */
  boundaryToken: string;
}

const CONTENT_TYPES: Record<PartName, string> = { text: 'text/plain; charset=utf-8', html: 'text/html; charset=utf-8' };
const ENCODINGS: TransferEncoding[] = ['7bit', 'quoted-printable', 'base64'];

/** `=_` cannot occur in quoted-printable or base64 text, so no encoded part can hold a boundary line. */
const BOUNDARY_PREFIX = '--=_MLS';

/** Splits a header block into its logical header fields (a folded line goes with its field). */
function headerFields(block: string): string[] {
  return block.split(/\r\n(?![ \t])/);
}

function base64Lines(content: Buffer): string {
  const encoded = content.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return lines.join('\r\n');
}

/**
 * The structure for a mailing with these text parts (in MailComposer's order: text, then html),
 * attachments, and inline images of the html part (only with an html part). `parts` must not be empty.
 */
export function buildSkeleton(parts: readonly PartName[], attachments: readonly PreparedAttachment[], inlineImages: readonly PreparedInlineImage[] = []): MimeSkeleton {
  if (parts.length === 0) throw new Error('a message needs a text or html part');
  const boundaryToken = randomBytes(8).toString('hex');
  const options = { baseBoundary: boundaryToken, boundaryPrefix: BOUNDARY_PREFIX };
  // MailComposer.compile(): alternatives side by side, the html with its inline images in a related
  // container, attachments in a mixed container around them (with at least one text part, any
  // attachment makes it mixed).
  const useAlternative = parts.length > 1;
  const useMixed = attachments.length > 0;
  const useRelated = inlineImages.length > 0 && parts.includes('html');
  const RELATED = 'multipart/related; type="text/html"';
  const rootType = useMixed ? 'multipart/mixed' : useAlternative ? 'multipart/alternative' : useRelated ? RELATED : CONTENT_TYPES[parts[0]];
  const root = new MimeNode(rootType, options);
  const segments: Segment[] = [];
  const push = (segment: Segment) => {
    const last = segments.length - 1;
    if (typeof segment === 'string' && typeof segments[last] === 'string') segments[last] += segment;
    else segments.push(segment);
  };

  const partSlot = (node: MimeNode, part: PartName): PartSlot => {
    const headers = {} as Record<TransferEncoding, string>;
    for (const encoding of ENCODINGS) {
      node.setHeader('Content-Transfer-Encoding', encoding);
      node.setContent('x'); // plain content: nodemailer keeps a 7bit label as it is
      headers[encoding] = node.buildHeaders();
    }
    return { part, headers };
  };
  const addPart = (parent: MimeNode, part: PartName) => {
    const node = parent.createChild(CONTENT_TYPES[part]);
    return () => push(partSlot(node, part));
  };
  /** An attachment, or (with a Content-ID) an inline image: headers in _createContentNode's order. */
  const addAttachment = (parent: MimeNode, attachment: PreparedAttachment, cid?: string) => {
    const contentType = detectMimeType(attachment.filename);
    const node = parent.createChild(contentType, { filename: attachment.filename });
    if (cid) node.setHeader('Content-Id', `<${cid.replace(/[<>]/g, '')}>`);
    node.setHeader('Content-Transfer-Encoding', 'base64');
    node.setHeader('Content-Disposition', cid && /^image\//i.test(contentType) ? 'inline' : 'attachment');
    node.setContent(attachment.content);
    return () => push(`${node.buildHeaders()}\r\n\r\n${base64Lines(attachment.content)}`);
  };
  /** Children are created first (node ids, hence boundaries, follow nodemailer's order), emitted after. */
  const multipart = (node: MimeNode, children: (() => void)[], isRoot: boolean) => () => {
    const headers = node.buildHeaders();
    const boundary = node.boundary;
    if (!boundary) throw new Error('a multipart node without a boundary');
    if (!isRoot) push(`${headers}\r\n\r\n`);
    children.forEach((emit, i) => {
      push(`${i > 0 ? '\r\n' : ''}--${boundary}\r\n`);
      emit();
    });
    push(`\r\n--${boundary}--\r\n`);
  };
  /** The html part, or (with inline images) the related container of the html and its images. */
  const addHtml = (parent: MimeNode | undefined) => {
    if (!useRelated) return addPart(parent!, 'html');
    const related = parent ? parent.createChild(RELATED) : root;
    const children = [addPart(related, 'html'), ...inlineImages.map((image) => addAttachment(related, image, image.cid))];
    return multipart(related, children, !parent);
  };
  const addContent = (parent: MimeNode, part: PartName) => (part === 'html' ? addHtml(parent) : addPart(parent, part));

  let emitRoot: () => void;
  let rootPart: PartName | undefined;
  if (useMixed) {
    const children: (() => void)[] = [];
    if (useAlternative) {
      const alternative = root.createChild('multipart/alternative');
      children.push(multipart(alternative, parts.map((p) => addContent(alternative, p)), false));
    } else {
      children.push(addContent(root, parts[0]));
    }
    for (const attachment of attachments) children.push(addAttachment(root, attachment));
    emitRoot = multipart(root, children, true);
  } else if (useAlternative) {
    emitRoot = multipart(root, parts.map((p) => addContent(root, p)), true);
  } else if (useRelated) {
    emitRoot = addHtml(undefined);
  } else {
    rootPart = parts[0];
    emitRoot = () => push({ part: parts[0], headers: { '7bit': '', 'quoted-printable': '', base64: '' } });
  }
  emitRoot();
  if (rootPart) root.setContent('x');
  const rootContentType = headerFields(root.buildHeaders()).find((field) => /^Content-Type:/i.test(field));
  if (!rootContentType) throw new Error('nodemailer wrote no Content-Type for the root');
  return { rootContentType, rootPart, segments, boundaryToken };
}
