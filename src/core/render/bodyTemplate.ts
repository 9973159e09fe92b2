// One text part of a mailing (text/plain or text/html) for the template renderer: the template's
// literal chunks measured and encoded ONCE, and per recipient only the merge-field values escaped,
// measured and encoded. The transfer encoding is chosen per recipient by nodemailer's rules (7bit
// for short-lined plain ASCII, else quoted-printable or base64 by the share of non-Latin text), from
// the chunks' stored measurements plus the values', without joining the text.
import { fieldValue, type CompiledTemplate, type TemplateField } from './merge';
import { base64Body, QuotedPrintableWriter, quotedPrintable, sevenBitPiece, startsWithBreak, textStats, type TextStats } from './transferEncoding';

export type TransferEncoding = '7bit' | 'quoted-printable' | 'base64';

export interface EncodedBody {
  encoding: TransferEncoding;
  body: string;
}

/** nodemailer measures no line longer than this (hasLongerLines): longer text counts as long-lined. */
const MEASURED_LIMIT = 128 * 1024;
const MAX_7BIT_LINE = 76;

/**
 * A chunk's quoted-printable is prepared for start columns in steps of this many characters: a value
 * ends at some column, and the chunk after it continues that line from the next step on (its lines
 * stay within 76 characters; at most a few characters of a line are left unused).
 */
const COLUMN_STEP = 8;
const COLUMN_VARIANTS = Math.ceil(76 / COLUMN_STEP) + 1;

interface Encoded {
  encoded: string;
  /** The column it ends at, when it holds a line break; else its width. */
  column: number;
  hasBreak: boolean;
}

interface Chunk {
  text: string;
  stats: TextStats;
  startsWithBreak: boolean;
  /** Quoted-printable written from column COLUMN_STEP × i, for each i. */
  qp: Encoded[];
  sevenBit: string;
}

function chunkOf(text: string, last: boolean): Chunk {
  const qp: Encoded[] = [];
  for (let i = 0; i < COLUMN_VARIANTS; i++) {
    const start = i * COLUMN_STEP;
    const { encoded, column } = quotedPrintable(text, last, start);
    const hasBreak = encoded.includes('\r\n');
    qp.push({ encoded, column: hasBreak ? column : column - start, hasBreak });
  }
  return { text, stats: textStats(text), startsWithBreak: startsWithBreak(text), qp, sevenBit: sevenBitPiece(text) };
}

export class BodyTemplate {
  private readonly chunks: Chunk[];
  /** Distinct (field, default, escape) triples: a field used many times is escaped and measured once. */
  private readonly uses: { field: TemplateField; escape: (value: string) => string }[] = [];
  /** For each field of the template, its index in `uses`. */
  private readonly useOf: number[];
  private readonly staticLength: number;
  private readonly staticPlain: boolean;
  private readonly staticLoneCR: boolean;
  private readonly staticLatin: number;
  private readonly staticNonLatin: number;

  constructor(
    template: CompiledTemplate,
    /** How a raw value is turned into what stands at field k (HTML escaping, URL encoding): the same function for fields escaped alike. */
    escapeFor: (fieldIndex: number) => (value: string) => string,
    /** A 7bit body must never contain this (the multipart boundary's random part). */
    private readonly boundaryToken: string,
  ) {
    const last = template.literals.length - 1;
    this.chunks = template.literals.map((text, k) => chunkOf(text, k === last));
    this.useOf = template.fields.map((field, k) => {
      const escape = escapeFor(k);
      let use = this.uses.findIndex((u) => u.field.name === field.name && u.field.default === field.default && u.escape === escape);
      if (use < 0) use = this.uses.push({ field, escape }) - 1;
      return use;
    });
    this.staticLength = sum(this.chunks, (c) => c.stats.length);
    this.staticPlain = this.chunks.every((c) => c.stats.plain);
    this.staticLoneCR = this.chunks.some((c) => c.stats.loneCR);
    this.staticLatin = sum(this.chunks, (c) => c.stats.latin);
    this.staticNonLatin = sum(this.chunks, (c) => c.stats.nonLatin);
  }

  /** The part for one recipient; undefined when it comes out empty (the caller composes otherwise). */
  render(fields: Readonly<Record<string, string>>): EncodedBody | undefined {
    const chunks = this.chunks;
    const uses = this.uses;
    const useValues: string[] = new Array(uses.length);
    const useStats: TextStats[] = new Array(uses.length);
    for (let u = 0; u < uses.length; u++) {
      useValues[u] = uses[u].escape(fieldValue(uses[u].field, fields));
      useStats[u] = textStats(useValues[u]);
    }
    const count = this.useOf.length;
    const values: string[] = new Array(count);
    const stats: TextStats[] = new Array(count);
    let length = this.staticLength;
    let plain = this.staticPlain;
    let loneCR = this.staticLoneCR;
    // A CR ending one piece and an LF starting the next non-empty one are one CRLF line break.
    let crossBreak = false;
    let afterCR = chunks[0].stats.endsWithCR;
    for (let k = 0; k < count; k++) {
      const s = useStats[this.useOf[k]];
      values[k] = useValues[this.useOf[k]];
      stats[k] = s;
      length += s.length;
      plain &&= s.plain;
      loneCR ||= s.loneCR;
      if (s.length > 0) {
        crossBreak ||= afterCR && s.startsWithLF;
        afterCR = s.endsWithCR;
      }
      const next = chunks[k + 1].stats;
      if (next.length > 0) {
        crossBreak ||= afterCR && next.startsWithLF;
        afterCR = next.endsWithCR;
      }
    }
    if (length === 0) return undefined;
    if (crossBreak) return this.renderJoined(values);

    if (plain && !loneCR && length <= MEASURED_LIMIT && this.longestLine(stats) <= MAX_7BIT_LINE) {
      let body = chunks[0].sevenBit;
      for (let k = 0; k < count; k++) body += sevenBitPiece(values[k]) + chunks[k + 1].sevenBit;
      if (!body.includes(this.boundaryToken)) return { encoding: '7bit', body };
    }
    let latin = this.staticLatin;
    let nonLatin = this.staticNonLatin;
    for (let k = 0; k < count; k++) {
      latin += stats[k].latin;
      nonLatin += stats[k].nonLatin;
    }
    if (nonLatin < latin) {
      const writer = new QuotedPrintableWriter();
      this.writeChunk(writer, chunks[0]);
      for (let k = 0; k < count; k++) {
        writer.text(values[k]);
        this.writeChunk(writer, chunks[k + 1]);
      }
      return { encoding: 'quoted-printable', body: writer.end() };
    }
    return { encoding: 'base64', body: base64Body(this.join(values)) };
  }

  /**
   * Rare: a line break split between a value and a literal (CR | LF). Encoded from the joined
   * text, with the same choice of encoding.
   */
  private renderJoined(values: string[]): EncodedBody {
    const text = this.join(values);
    const s = textStats(text);
    if (s.plain && !s.loneCR && text.length <= MEASURED_LIMIT && Math.max(s.firstLine, s.innerLine, s.lastLine) <= MAX_7BIT_LINE) {
      const body = sevenBitPiece(text);
      if (!body.includes(this.boundaryToken)) return { encoding: '7bit', body };
    }
    if (s.nonLatin < s.latin) return { encoding: 'quoted-printable', body: quotedPrintable(text, true).encoded };
    return { encoding: 'base64', body: base64Body(text) };
  }

  /** A chunk continues the line the value before it ended on. */
  private writeChunk(writer: QuotedPrintableWriter, chunk: Chunk): void {
    if (chunk.text.length === 0) return;
    if (chunk.startsWithBreak) writer.beforeLineBreak();
    const variant = chunk.qp[Math.ceil(writer.column / COLUMN_STEP)];
    writer.encoded(variant.encoded, variant.hasBreak ? variant.column : writer.column + variant.column);
  }

  private join(values: string[]): string {
    let text = this.chunks[0].text;
    for (let k = 0; k < values.length; k++) text += values[k] + this.chunks[k + 1].text;
    return text;
  }

  /** The longest line of the joined text, from each piece's measurements. */
  private longestLine(values: TextStats[]): number {
    let longest = 0;
    let current = 0;
    const add = (s: TextStats) => {
      if (!s.hasBreak) {
        current += s.length;
        return;
      }
      longest = Math.max(longest, current + s.firstLine, s.innerLine);
      current = s.lastLine;
    };
    add(this.chunks[0].stats);
    for (let k = 0; k < values.length; k++) {
      add(values[k]);
      add(this.chunks[k + 1].stats);
    }
    return Math.max(longest, current);
  }
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += of(item);
  return total;
}
