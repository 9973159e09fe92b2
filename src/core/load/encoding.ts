// Text from the user's files as bytes really say it: UTF-8 decoded with every invalid byte sequence
// found (a fatal check, Buffer's native isUtf8, on every chunk; the slow byte walk runs only on a
// chunk that fails it), and the control characters that have no business in a mailing (NUL and the
// other C0 controls except tab, CR and LF, and DEL). A decoder that silently turns a Latin-1 `é` into
// U+FFFD, or passes a NUL into a subject, mails garbage; these facts let the loader say where instead.
import { isUtf8 } from 'node:buffer';

export interface DecodedText {
  /** The text, each invalid sequence read as U+FFFD (so offsets and lengths stay meaningful). */
  text: string;
  /** Offsets in `text` of the U+FFFD that stand for invalid bytes (not of U+FFFD written as such). */
  invalid: number[];
  /** The bytes are UTF-16 text (see isUtf16): `text` is what they say read as UTF-8, not worth reading. */
  utf16?: boolean;
}

/** NUL, the C0 controls other than tab, LF and CR, and DEL. */
export const CONTROL_CHARACTERS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/** The first `max` control characters of `text` (offsets), and how many it holds in all. */
export function controlCharacters(text: string, max: number): { offsets: number[]; count: number } {
  const offsets: number[] = [];
  CONTROL_CHARACTERS.lastIndex = 0;
  for (let match = CONTROL_CHARACTERS.exec(text); match && offsets.length < max; match = CONTROL_CHARACTERS.exec(text)) offsets.push(match.index);
  // Counted natively: a UTF-16 file read as UTF-8 has a NUL in every other character.
  const count = offsets.length < max ? offsets.length : text.length - text.replace(CONTROL_CHARACTERS, '').length;
  return { offsets, count };
}

/**
 * Offset (from `base`) of the first control character of each line that has one (a line ends at LF
 * or CR): enough to tell which rows of a CSV hold one, at one search per such line.
 */
export function controlLineOffsets(text: string, base = 0): number[] {
  const found: number[] = [];
  const search = CONTROL_CHARACTERS;
  search.lastIndex = 0;
  for (let match = search.exec(text); match; match = search.exec(text)) {
    found.push(base + match.index);
    const lineFeed = text.indexOf('\n', match.index);
    const carriageReturn = text.indexOf('\r', match.index);
    const next = Math.min(lineFeed === -1 ? text.length : lineFeed, carriageReturn === -1 ? text.length : carriageReturn);
    search.lastIndex = next + 1;
  }
  return found;
}

/** The text starts with a UTF-16 byte-order mark, or has NUL bytes in every other place: not UTF-8. */
export function isUtf16(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return true;
  const sample = Math.min(bytes.length, 512);
  let nuls = 0;
  for (let i = 0; i < sample; i++) if (bytes[i] === 0) nuls++;
  return sample >= 8 && nuls * 4 >= sample;
}

/**
 * Length of the UTF-8 sequence at `at` when it is valid (1–4); otherwise minus the length of its
 * longest valid beginning (at least 1 byte is one U+FFFD, as the WHATWG decoder counts). A valid
 * beginning cut off by `end` gives minus its length too: the caller tells the two apart by position.
 */
function sequence(bytes: Uint8Array, at: number, end: number): number {
  const lead = bytes[at];
  if (lead < 0x80) return 1;
  let length: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2;
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead === 0xe0) low = 0xa0;
    else if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead === 0xf0) low = 0x90;
    else if (lead === 0xf4) high = 0x8f;
  } else return -1;
  for (let k = 1; k < length; k++) {
    if (at + k >= end) return -k;
    const byte = bytes[at + k];
    if (byte < low || byte > high) return -k;
    low = 0x80;
    high = 0xbf;
  }
  return length;
}

/** Decodes bytes that failed the fast check: valid runs natively, each invalid sequence as U+FFFD. */
function decodeSlowly(bytes: Buffer, end: number, base: number, out: DecodedText): void {
  let text = '';
  let run = 0;
  let at = 0;
  while (at < end) {
    if (bytes[at] < 0x80) {
      at++;
      continue;
    }
    const length = sequence(bytes, at, end);
    if (length > 0) {
      at += length;
      continue;
    }
    text += bytes.toString('utf8', run, at);
    out.invalid.push(base + text.length);
    text += '\ufffd';
    at += -length;
    run = at;
  }
  out.text = text + bytes.toString('utf8', run, end);
}

/** Decodes a whole file's bytes. */
export function decodeUtf8(bytes: Buffer): DecodedText {
  const out: DecodedText = { text: '', invalid: [] };
  if (isUtf16(bytes)) out.utf16 = true;
  if (isUtf8(bytes)) out.text = bytes.toString('utf8');
  else decodeSlowly(bytes, bytes.length, 0, out);
  return out;
}

/**
 * Decodes a stream chunk by chunk: a sequence cut by a chunk boundary is carried to the next chunk,
 * and offsets of invalid sequences count from the start of the whole text.
 */
export class Utf8Stream {
  private carry: Buffer | undefined;
  /** Characters decoded so far. */
  private length = 0;

  write(chunk: Buffer): DecodedText {
    const bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    const end = completeEnd(bytes);
    if (end < bytes.length) this.carry = Buffer.from(bytes.subarray(end));
    return this.decode(bytes, end);
  }

  /** What is left at the end of the stream: a sequence the file ends in the middle of is invalid. */
  end(): DecodedText {
    const bytes = this.carry;
    this.carry = undefined;
    return bytes ? this.decode(bytes, bytes.length) : { text: '', invalid: [] };
  }

  private decode(bytes: Buffer, end: number): DecodedText {
    const out: DecodedText = { text: '', invalid: [] };
    if (isUtf8(bytes.subarray(0, end))) out.text = bytes.toString('utf8', 0, end);
    else decodeSlowly(bytes, end, this.length, out);
    this.length += out.text.length;
    return out;
  }
}

/** Where the last complete sequence ends: before a valid beginning of a sequence that the chunk cuts off. */
function completeEnd(bytes: Buffer): number {
  const end = bytes.length;
  for (let at = end - 1; at >= 0 && at >= end - 3; at--) {
    if ((bytes[at] & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    return bytes[at] >= 0xc2 && sequence(bytes, at, end) === -(end - at) ? at : end;
  }
  return end;
}
