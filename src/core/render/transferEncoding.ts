// Content-transfer encodings for the template renderer, on pieces of a body rather than the whole:
// a static chunk of the template is encoded once, a merge-field value per recipient, and the pieces
// are joined. Quoted-printable makes that possible because a soft line break (`=` CRLF) may stand
// anywhere: a chunk encoded from column 0 follows a value on a fresh line when its first line does
// not fit the line the value ended on, and decoding yields exactly the joined text.
//
// Line ends follow nodemailer's text rules as mailparser reads them: CRLF and LF are line breaks
// (written CRLF), a lone CR is data (written `=0D` in quoted-printable).

const QP_ESCAPES: string[] = Array.from({ length: 256 }, (_, byte) => '=' + byte.toString(16).toUpperCase().padStart(2, '0'));

/** Printable ASCII except `=`, plus the space: literal anywhere but before a line end. */
const QP_LITERAL_RUN = /^[\x20-\x3c\x3e-\x7e]*$/;

/** A line holds at most 75 characters before the soft break's `=` (RFC 2045: 76 in all). */
const QP_LINE = 75;

/** `=XX` escapes of the UTF-8 bytes of one code point (a lone surrogate becomes U+FFFD, as Buffer.from does). */
function utf8Escapes(codePoint: number): string {
  if (codePoint < 0x800) return QP_ESCAPES[0xc0 | (codePoint >> 6)] + QP_ESCAPES[0x80 | (codePoint & 0x3f)];
  if (codePoint < 0x10000) {
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) codePoint = 0xfffd;
    return QP_ESCAPES[0xe0 | (codePoint >> 12)] + QP_ESCAPES[0x80 | ((codePoint >> 6) & 0x3f)] + QP_ESCAPES[0x80 | (codePoint & 0x3f)];
  }
  return (
    QP_ESCAPES[0xf0 | (codePoint >> 18)] +
    QP_ESCAPES[0x80 | ((codePoint >> 12) & 0x3f)] +
    QP_ESCAPES[0x80 | ((codePoint >> 6) & 0x3f)] +
    QP_ESCAPES[0x80 | (codePoint & 0x3f)]
  );
}

/**
 * Writes quoted-printable text piece by piece, keeping track of the column so that a value continues
 * the line it lands on. Whitespace is literal unless a line break follows it within the same piece;
 * where a piece ending in whitespace meets a piece starting with a line break, a soft break goes
 * between them (`foo =` CRLF CRLF decodes to `foo ` CRLF), and so at the end of the body.
 */
export class QuotedPrintableWriter {
  out = '';

  /** `column`: where the text written will stand (a chunk encoded ahead for a given column). */
  constructor(public column = 0) {}

  /** Encodes raw text at the current column. `last`: it ends the body (trailing whitespace encoded). */
  text(text: string, last = false): void {
    const n = text.length;
    if (n === 0) return;
    if (startsWithBreak(text)) this.beforeLineBreak();
    // Most merge values (names, addresses, cities) are plain ASCII that fits the line as it is.
    if (this.column + n <= QP_LINE && QP_LITERAL_RUN.test(text) && !(last && isWhitespace(text.charCodeAt(n - 1)))) {
      this.out += text;
      this.column += n;
      return;
    }
    let out = this.out;
    let column = this.column;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) === 0x0a)) {
        if (c === 0x0d) i++;
        out += '\r\n';
        column = 0;
        continue;
      }
      let unit: string;
      if (c === 0x20 || c === 0x09) {
        const next = text.charCodeAt(i + 1);
        const atLineEnd = next === 0x0a || (next === 0x0d && text.charCodeAt(i + 2) === 0x0a) || (i + 1 === n && last);
        unit = atLineEnd ? QP_ESCAPES[c] : text[i];
      } else if (c > 0x20 && c < 0x7f && c !== 0x3d) {
        unit = text[i];
      } else if (c < 0x80) {
        unit = QP_ESCAPES[c];
      } else {
        let codePoint = c;
        if (c >= 0xd800 && c <= 0xdbff) {
          const low = text.charCodeAt(i + 1);
          if (low >= 0xdc00 && low <= 0xdfff) {
            codePoint = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
            i++;
          }
        }
        unit = utf8Escapes(codePoint);
      }
      if (column + unit.length > QP_LINE) {
        out += '=\r\n';
        column = 0;
      }
      out += unit;
      column += unit.length;
    }
    this.out = out;
    this.column = column;
  }

  /** Appends already encoded text (a template chunk encoded once) that ends at `column`. */
  encoded(encoded: string, column: number): void {
    this.out += encoded;
    this.column = column;
  }

  /** Starts a new line unless at the start of one. */
  softBreak(): void {
    if (this.column > 0) {
      this.out += '=\r\n';
      this.column = 0;
    }
  }

  /** The body: a trailing whitespace left literal gets a soft break after it. */
  end(): string {
    this.beforeLineBreak();
    return this.out;
  }

  /** Whitespace ending the line so far must not stand before a line break: a soft break follows it. */
  beforeLineBreak(): void {
    if (this.column > 0 && isWhitespace(this.out.charCodeAt(this.out.length - 1))) this.softBreak();
  }
}

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

export function startsWithBreak(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 0x0a || (c === 0x0d && text.charCodeAt(1) === 0x0a);
}

/** Quoted-printable of a whole text written from `column`, and the column it ends at. */
export function quotedPrintable(text: string, last: boolean, column = 0): { encoded: string; column: number } {
  const writer = new QuotedPrintableWriter(column);
  writer.text(text, last);
  return { encoded: writer.out, column: writer.column };
}

/** A 7bit piece: line breaks written CRLF (the caller has ruled out lone CRs and long lines). */
export function sevenBitPiece(text: string): string {
  return text.indexOf('\n') < 0 ? text : text.replace(/\r?\n/g, '\r\n');
}

/** Base64 of a whole body in lines of 76 (the last one without a line break), as nodemailer writes it. */
export function base64Body(text: string): string {
  const encoded = Buffer.from(text, 'utf8').toString('base64');
  if (encoded.length <= 76) return encoded;
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return lines.join('\r\n');
}

/** What decides a text part's transfer encoding (nodemailer's rules), for one piece of text. */
export interface TextStats {
  length: number;
  /** Only printable ASCII, tab, CR, LF (nodemailer's isPlainText): 7bit may do. */
  plain: boolean;
  /** Holds a CR not followed by LF (such a body is never sent as 7bit here). */
  loneCR: boolean;
  hasBreak: boolean;
  /** Characters before the first CR/LF (all of them without one). */
  firstLine: number;
  /** Characters after the last CR/LF. */
  lastLine: number;
  /** Longest line between two line breaks. */
  innerLine: number;
  /** Latin letters, and controls or non-ASCII units: nodemailer picks base64 when the latter are not fewer. */
  latin: number;
  nonLatin: number;
  startsWithLF: boolean;
  endsWithCR: boolean;
}

export function textStats(text: string): TextStats {
  const n = text.length;
  let plain = true;
  let loneCR = false;
  let latin = 0;
  let nonLatin = 0;
  let firstBreak = -1;
  let lastBreak = -1;
  let lineStart = 0;
  let innerLine = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) {
      if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) loneCR = true;
      if (firstBreak < 0) firstBreak = i;
      else if (i - lineStart > innerLine) innerLine = i - lineStart;
      lastBreak = i;
      lineStart = i + 1;
      continue;
    }
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
      latin++;
    } else if (c >= 0x80 || c < 0x09 || c === 0x0b || c === 0x0c || (c > 0x0d && c < 0x20)) {
      nonLatin++;
      plain = false;
    }
  }
  return {
    length: n,
    plain,
    loneCR,
    hasBreak: firstBreak >= 0,
    firstLine: firstBreak < 0 ? n : firstBreak,
    lastLine: lastBreak < 0 ? n : n - lastBreak - 1,
    innerLine,
    latin,
    nonLatin,
    startsWithLF: text.charCodeAt(0) === 0x0a,
    endsWithCR: text.charCodeAt(n - 1) === 0x0d,
  };
}
