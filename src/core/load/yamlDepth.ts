// How deep a YAML text nests, found before the yaml package (or any walker over its tree) sees it:
// the parser and every recursive walk use a stack frame or more per level, so `[[[[…` 100,000 deep
// ends in "Maximum call stack size exceeded" (after seconds of work). One linear pass over the text
// counts block levels (indentation, `- ` and `? ` indicators, keys) and flow levels (`[` `{`), skipping
// quoted scalars, block scalars (`|`, `>`) and comments. It may count a level too many in odd layouts
// (a continuation line of plain text that contains `: `), never one too few where nesting is real; a
// mailing needs a handful of levels, so the limit is far from anything honest.

/** More levels than this and the text is not parsed. */
export const MAX_YAML_DEPTH = 64;

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const HASH = 0x23;

/** What can end a block-context plain scalar (a `:` or `#` only in the right company). */
const PLAIN_STOPS = /[:#\r\n]/g;

const isBlank = (code: number) => code === SPACE || code === TAB;
const isBreakOrEnd = (code: number) => code !== code /* NaN: past the end */ || code === LF || code === CR;

/** The offset where the nesting first goes deeper than `limit`, or -1. */
export function tooDeepAt(text: string, limit = MAX_YAML_DEPTH): number {
  return new DepthScanner(text, limit).run();
}

class DepthScanner {
  private pos = 0;
  /** Columns of the open block levels, innermost last. */
  private readonly levels: number[] = [];
  private flow = 0;
  /** A block scalar (`|`, `>`) is open: its lines are those indented more than this. */
  private scalarParent: number | undefined;
  private lineStart = 0;
  private deepAt = -1;

  constructor(
    private readonly text: string,
    private readonly limit: number,
  ) {}

  run(): number {
    const text = this.text;
    while (this.pos < text.length && this.deepAt < 0) {
      this.lineStart = this.pos;
      let indent = 0;
      while (text.charCodeAt(this.pos + indent) === SPACE) indent++;
      const first = text.charCodeAt(this.pos + indent);
      if (this.scalarParent !== undefined) {
        if (isBreakOrEnd(first) || indent > this.scalarParent) {
          this.skipLine();
          continue;
        }
        this.scalarParent = undefined;
      }
      if (this.flow === 0) {
        if (isBreakOrEnd(first) || first === HASH) {
          this.skipLine();
          continue;
        }
        if (indent === 0 && (text.startsWith('---', this.pos) || text.startsWith('...', this.pos)) && isSpaceOrEnd(text.charCodeAt(this.pos + 3))) {
          this.levels.length = 0; // a new document
          this.pos += 3;
        } else if (indent === 0 && first === 0x25 /* % */) {
          this.skipLine();
          continue;
        }
      }
      this.pos += this.flow === 0 ? indent : 0;
      this.scanLine();
    }
    return this.deepAt;
  }

  private skipLine(): void {
    const next = this.text.indexOf('\n', this.pos);
    this.pos = next === -1 ? this.text.length : next + 1;
  }

  private column(): number {
    return this.pos - this.lineStart;
  }

  /** A block level (a collection starting at this column). */
  private block(column: number): void {
    const levels = this.levels;
    while (levels.length > 0 && levels[levels.length - 1] > column) levels.pop();
    if (levels.length === 0 || levels[levels.length - 1] < column) levels.push(column);
    this.check();
  }

  private check(): void {
    if (this.deepAt < 0 && this.levels.length + this.flow > this.limit) this.deepAt = this.pos;
  }

  /** The rest of one line (in flow context a flow collection may go on over several). */
  private scanLine(): void {
    const text = this.text;
    while (this.pos < text.length && this.deepAt < 0) {
      const code = text.charCodeAt(this.pos);
      if (code === LF) {
        this.pos++;
        return;
      }
      if (isBlank(code) || code === CR) {
        this.pos++;
        continue;
      }
      if (code === HASH && (this.pos === this.lineStart || isBlank(text.charCodeAt(this.pos - 1)))) {
        this.skipLine();
        return;
      }
      if (this.flow > 0) {
        this.flowToken(code);
        continue;
      }
      if ((code === 0x2d /* - */ || code === 0x3f /* ? */ || code === 0x3a /* : */) && isSpaceOrEnd(text.charCodeAt(this.pos + 1))) {
        this.block(this.column());
        this.pos++;
        continue;
      }
      if (code === 0x26 /* & */ || code === 0x21 /* ! */ || code === 0x2a /* * */) {
        while (this.pos < text.length && !isSpaceOrEnd(text.charCodeAt(this.pos))) this.pos++;
        continue;
      }
      if (code === 0x5b /* [ */ || code === 0x7b /* { */) {
        this.flowToken(code);
        continue;
      }
      if (code === 0x7c /* | */ || code === 0x3e /* > */) {
        // A block scalar: its lines are those indented more than the node that holds it.
        this.scalarParent = this.levels.length > 0 ? this.levels[this.levels.length - 1] : -1;
        this.skipLine();
        return;
      }
      const column = this.column();
      if (code === 0x22 /* " */ || code === 0x27 /* ' */) this.quoted(code);
      else this.plain();
      // `key: value`: the key opens a mapping level.
      if (text.charCodeAt(this.pos) === 0x3a && isSpaceOrEnd(text.charCodeAt(this.pos + 1))) {
        this.block(column);
        this.pos++;
      }
    }
  }

  /** One token in a flow collection. */
  private flowToken(code: number): void {
    if (code === 0x5b || code === 0x7b) {
      this.flow++;
      this.check();
      this.pos++;
    } else if (code === 0x5d /* ] */ || code === 0x7d /* } */) {
      if (this.flow > 0) this.flow--;
      this.pos++;
    } else if (code === 0x22 || code === 0x27) {
      this.quoted(code);
    } else if (code === 0x2c /* , */ || code === 0x3a /* : */ || code === 0x3f /* ? */) {
      this.pos++;
    } else {
      // A plain scalar: up to the next flow indicator, blank or line end.
      this.pos++;
      while (this.pos < this.text.length && !isFlowStop(this.text.charCodeAt(this.pos))) this.pos++;
    }
  }

  /** A quoted scalar, over as many lines as it takes. */
  private quoted(quote: number): void {
    const text = this.text;
    let at = this.pos + 1;
    for (;;) {
      const close = text.indexOf(quote === 0x22 ? '"' : "'", at);
      if (close === -1) {
        this.pos = text.length;
        return;
      }
      if (quote === 0x22) {
        let backslashes = 0;
        while (text.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 1) {
          at = close + 1;
          continue;
        }
      } else if (text.charCodeAt(close + 1) === 0x27) {
        at = close + 2;
        continue;
      }
      this.track(close);
      this.pos = close + 1;
      return;
    }
  }

  /** A block-context plain scalar: to the end of its line, or to a `: ` or ` #` in it. */
  private plain(): void {
    const text = this.text;
    const stops = PLAIN_STOPS;
    stops.lastIndex = this.pos;
    for (let match = stops.exec(text); match; match = stops.exec(text)) {
      const at = match.index;
      const code = text.charCodeAt(at);
      if (code === LF || code === CR || (code === 0x3a && isSpaceOrEnd(text.charCodeAt(at + 1))) || (code === HASH && isBlank(text.charCodeAt(at - 1)))) {
        this.pos = at;
        return;
      }
    }
    this.pos = text.length;
  }

  /** A quoted scalar may cross lines: keep the line start current for the columns after it. */
  private track(to: number): void {
    const lastBreak = this.text.lastIndexOf('\n', to);
    if (lastBreak >= this.pos) this.lineStart = lastBreak + 1;
  }
}

function isSpaceOrEnd(code: number): boolean {
  return code !== code || code === SPACE || code === TAB || code === LF || code === CR;
}

function isFlowStop(code: number): boolean {
  return code === 0x2c /* , */ || code === 0x5b || code === 0x5d || code === 0x7b || code === 0x7d || code === SPACE || code === TAB || code === LF || code === CR;
}
