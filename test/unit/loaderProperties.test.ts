// Property-based tests of the loader (fast-check): random mailing files and CSV lists — hostile
// bytes, huge lines, deep nesting, other encodings — go through buildConfirmModel from disk. It never
// throws and never hangs (each run has a timeout; the whole property a time budget), and every
// diagnostic has a known code, a range inside the text of the file it names, and a message that is one
// short line. The CSV reader, fed the same bytes in random chunks, reads what csv-parse reads.
// fast-check prints the seed and the shrunk counterexample of a failure; replay with `seed`.
import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseCsvSync } from 'csv-parse/sync';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { isValidEmail } from '../../src/core/load/addresses';
import { readCsvChunks } from '../../src/core/load/csv';
import type { ConfirmModel, Diagnostic } from '../../src/core/types';
import { NOW, TempDir, en } from '../fixtures/core/mailingFixture';
import { PropertyRuns } from '../fixtures/core/propertyRuns';

/** The codes the README documents: every diagnostic must have one of them. */
const KNOWN_CODES: ReadonlySet<string> = (() => {
  const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('<!-- codes-table -->'), readme.indexOf('<!-- /codes-table -->'));
  return new Set([...table.matchAll(/^\| [^|]+ \| `([a-z-]+)` \|/gm)].map((match) => match[1]));
})();

/** A file as an editor shows it: the WHATWG decoder (U+FFFD for bad bytes, the BOM dropped). */
function asEditorShows(bytes: Uint8Array): string {
  return new TextDecoder('utf-8').decode(bytes);
}

function assertWellFormed(model: ConfirmModel, texts: ReadonlyMap<string, string>): void {
  for (const d of model.diagnostics) {
    const where = `${d.code} ${JSON.stringify(en(d).slice(0, 80))}`;
    assert.ok(KNOWN_CODES.has(d.code), `unknown code: ${where}`);
    const text = texts.get(d.file ?? model.file);
    assert.ok(text !== undefined, `a diagnostic in a file that was not written: ${d.file} (${where})`);
    assertRangeInside(d, text, where);
    assert.ok(!/[\x00-\x1f\x7f]/.test(en(d)), `a raw control character in ${where}`);
    assert.ok(en(d).length <= 1000, `a message of ${en(d).length} characters: ${where}`);
  }
}

function assertRangeInside(d: Diagnostic, text: string, where: string): void {
  const lines = text.split('\n');
  const { start, end } = d.range;
  for (const position of [start, end]) {
    assert.ok(Number.isInteger(position.line) && position.line >= 0 && position.line < lines.length, `line ${position.line} of ${lines.length}: ${where}`);
    assert.ok(Number.isInteger(position.column) && position.column >= 0 && position.column <= lines[position.line].length, `column ${position.column} of ${lines[position.line].length}: ${where}`);
  }
  assert.ok(start.line < end.line || (start.line === end.line && start.column <= end.column), `range ends before it starts: ${where}`);
}

// ---- Arbitraries -------------------------------------------------------------------------------

const hostileChar = fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\r', '\n', '\t', '\ufeff', '\ufffd', '\u2028', '"', "'", '[', '{', ':', '#', '&', '*', '!', '|', '>', '-', ' ', '{{', '}}', 'é', '😀');
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.array(fc.oneof(hostileChar, fc.string({ maxLength: 4 })), { maxLength: 12 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);
const address = fc.oneof(fc.constantFrom('news@shop.example', 'Shop <news@shop.example>', 'ann@example.com', 'nobody', ''), text);
const contact = fc.record({ email: address, firstName: fc.option(text, { nil: undefined }), city: fc.option(text, { nil: undefined }) }, { requiredKeys: ['email'] });

const mailingObject = fc.record(
  {
    version: fc.oneof(fc.constant(1), fc.integer(), text),
    name: text,
    from: address,
    replyTo: address,
    subject: fc.oneof(fc.constant('Hello {{firstName}}'), text),
    content: fc.record({ html: fc.oneof(fc.constant('page.html'), fc.constant('<p>Hi {{firstName}}</p>'), text), text: fc.oneof(fc.constant('page.txt'), text) }, { requiredKeys: [] }),
    targetList: fc.record({
      include: fc.array(fc.oneof(contact, fc.constant({ file: 'list.csv' })), { maxLength: 6 }),
      exclude: fc.array(fc.oneof(fc.record({ email: address }), fc.constant({ file: 'list.csv' })), { maxLength: 2 }),
    }),
    unsubscribe: fc.record({ url: fc.oneof(fc.constant('https://shop.example/u?e={{email}}'), text), mailto: address }, { requiredKeys: [] }),
    test: fc.record({ recipients: fc.array(address, { maxLength: 3 }) }),
    schedule: fc.oneof(fc.constant('next friday 19:00'), text),
    timezone: fc.oneof(fc.constant('Europe/Amsterdam'), text),
    sending: fc.record({ transport: fc.oneof(fc.constantFrom('outbox', 'smtp'), text), rate: fc.oneof(fc.constant('600/minute'), text), connections: fc.oneof(fc.integer(), text) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
/** With a few unknown keys (misspelt ones among them). */
const mailingWithExtras = fc
  .tuple(mailingObject, fc.dictionary(fc.oneof(fc.constantFrom('shedule', 'subjet', 'targetlist'), text), text, { maxKeys: 2 }))
  .map(([mailing, extra]) => ({ ...extra, ...mailing }));

/** A YAML text, then made hostile: bytes spliced in, a huge line, deep nesting. */
const yamlText = fc
  .tuple(
    mailingWithExtras.map((value) => stringify(value)),
    fc.array(fc.tuple(fc.nat(), fc.oneof(hostileChar, text)), { maxLength: 4 }),
    fc.oneof(
      { weight: 4, arbitrary: fc.constant('') },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 300_000 }).map((n) => `subject: ${'x'.repeat(n)}\n`) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 100_000 }).map((n) => `name: ${'['.repeat(n)}\n`) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((n) => `name:\n${Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}-`).join('\n')}\n`) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((n) => `name: ${'{a: '.repeat(n)}\n`) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 50_000 }).map((n) => `html: ${'{{'.repeat(n)}\n`) },
    ),
  )
  .map(([yaml, splices, tail]) => {
    let result = yaml;
    for (const [at, piece] of splices) {
      const offset = result.length === 0 ? 0 : at % (result.length + 1);
      result = result.slice(0, offset) + piece + result.slice(offset);
    }
    return result + tail;
  });

/** How the text is written to disk. */
const encoding = fc.constantFrom('utf8', 'utf8-bom', 'utf16le-bom', 'utf16le', 'latin1', 'raw-bytes');

function encode(value: string, how: string, raw: Uint8Array): Buffer {
  switch (how) {
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(value, 'utf8')]);
    case 'utf16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(value, 'utf16le')]);
    case 'utf16le':
      return Buffer.from(value, 'utf16le');
    case 'latin1':
      return Buffer.from(value, 'latin1');
    case 'raw-bytes':
      return Buffer.concat([Buffer.from(value, 'utf8'), Buffer.from(raw)]);
    default:
      return Buffer.from(value, 'utf8');
  }
}

/** CSV bytes from pieces that break CSV readers. */
const csvPiece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('email', 'firstName', 'ann@example.com', 'bob@example.com', ',', ';', '\t', '"', '""', '\r\n', '\n', '\r', ' ', 'é', 'x') },
  { weight: 2, arbitrary: fc.constantFrom('\u0000', '\u0007', '\u007f', '\ufeff', '\ufffd').map((c) => Buffer.from(c, 'utf8')) },
  { weight: 2, arbitrary: fc.constantFrom([0xff], [0xe9], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]).map((bytes) => Buffer.from(bytes)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 1_200_000 }).map((n) => 'y'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((n) => ','.repeat(n)) },
);
const csvBytes = fc
  .tuple(fc.constantFrom('email,firstName\n', 'email;firstName\r\n', '"email","firstName"\n', '', '\ufeffemail\n'), fc.array(csvPiece, { maxLength: 40 }))
  .map(([header, pieces]) => Buffer.concat([Buffer.from(header, 'utf8'), ...pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece))]));

// ---- Properties --------------------------------------------------------------------------------

/** Per property: the runs, a run's timeout (a hang fails), and a time budget that keeps the suite fast. */
const BUDGET = { numRuns: 80, timeout: 10_000, interruptAfterTimeLimit: 1_500 };

describe('loader properties: random and hostile inputs', function () {
  this.timeout(30_000);
  let dir: TempDir;
  const runs = new PropertyRuns();
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => {
    await runs.settled();
    await dir.remove();
  });

  it('random mailing files (hostile bytes, huge lines, deep nesting, other encodings) give only well-formed diagnostics', async () => {
    await fc.assert(
      fc.asyncProperty(
        yamlText,
        encoding,
        fc.uint8Array({ maxLength: 16 }),
        runs.track(async (value, how, raw) => {
        const bytes = encode(value, how, raw);
        const file = dir.file('m.mailing.yaml');
        await fs.writeFile(file, bytes);
        await dir.write({ 'page.html': '<p>Hi {{firstName}}</p>', 'page.txt': 'Hi', 'list.csv': 'email,firstName\nann@example.com,Ann\n' });
        const model = await buildConfirmModel(file, { now: NOW, defaultTimezone: 'UTC' });
        const texts = new Map([
          [model.file, asEditorShows(bytes)],
          [dir.file('page.html'), '<p>Hi {{firstName}}</p>'],
          [dir.file('page.txt'), 'Hi'],
        ]);
          assertWellFormed(model, texts);
        }),
      ),
      BUDGET,
    );
  });

  it('random CSV lists and content files (NUL, invalid UTF-8, huge lines, many columns) give only well-formed diagnostics', async () => {
    const mailing = [
      'version: 1',
      'name: n',
      'from: news@shop.example',
      'subject: Hello {{firstName}}',
      'content:',
      '  html: page.html',
      'targetList:',
      '  include:',
      '    - file: list.csv',
      '  exclude:',
      '    - file: other.csv',
      'unsubscribe:',
      '  url: https://shop.example/u',
      '',
    ].join('\n');
    await fc.assert(
      fc.asyncProperty(
        csvBytes,
        csvBytes,
        fc.oneof(yamlText.map((value) => Buffer.from(value, 'utf8')), csvBytes),
        runs.track(async (list, other, html) => {
          await dir.write({ 'm.mailing.yaml': mailing, 'list.csv': list, 'other.csv': other, 'page.html': html });
          const model = await buildConfirmModel(dir.file('m.mailing.yaml'), { now: NOW, defaultTimezone: 'UTC' });
          assertWellFormed(model, new Map([[model.file, mailing], [dir.file('page.html'), asEditorShows(html)]]));
        }),
      ),
      BUDGET,
    );
  });

  it('the CSV reader, given the bytes in random chunks, reads what csv-parse reads from the whole text', async () => {
    const piece = fc.constantFrom('a', 'b', ',', '"', '""', '\n', '\r\n', '\r', ' ', 'ann@example.com', 'é', '😀');
    const csvText = fc.tuple(fc.constantFrom('email,name,note\n', 'email,name,note\r\n', 'email,name,note\r', 'email,"na\nme",note\n'), fc.array(piece, { maxLength: 60 })).map(([header, pieces]) => header + pieces.join(''));
    await fc.assert(
      fc.asyncProperty(csvText, fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }), async (value, sizes) => {
        const bytes = Buffer.from(value, 'utf8');
        const chunks: Buffer[] = [];
        for (let at = 0, k = 0; at < bytes.length; k++) {
          const size = sizes[k % sizes.length];
          chunks.push(bytes.subarray(at, at + size));
          at += size;
        }
        const table = await readCsvChunks(chunks);
        const expected = whatCsvParseReads(value);
        if ('error' in expected) {
          assert.ok(table.error, `csv-parse fails (${expected.error}), the reader does not`);
          return;
        }
        assert.equal(table.error, undefined, `the reader fails, csv-parse does not: ${JSON.stringify(table.error?.problem)}`);
        const got = [...table.recipients.map((r, i) => `${table.lines[i]} ${JSON.stringify(r.fields)}`), ...table.invalid.map((row) => `${row.line} invalid ${JSON.stringify(row.value)}`)].sort();
        assert.deepEqual(got, expected.rows.sort());
      }),
      { numRuns: 300, timeout: 10_000, interruptAfterTimeLimit: 800 },
    );
  });
});

/** Recipients and invalid rows as csv-parse reads the whole text, numbered by the lines they start on. */
function whatCsvParseReads(text: string): { rows: string[] } | { error: string } {
  let records: string[][];
  try {
    records = parseCsvSync(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true });
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) };
  }
  const rows: string[] = [];
  let line = 1;
  let columns: string[] | undefined;
  for (const record of records) {
    const values = [...record];
    values[values.length - 1] = values[values.length - 1].replace(/\r$/, '');
    const start = line;
    line += 1;
    for (const value of record) line += value.split('\n').length - 1;
    if (!values.some((value) => value.trim())) continue;
    if (!columns) {
      columns = values.map((value) => value.trim());
      continue;
    }
    const emailAt = columns.findIndex((column) => column.toLowerCase() === 'email');
    const email = (values[emailAt] ?? '').trim();
    if (!isValidEmail(email)) {
      rows.push(`${start} invalid ${JSON.stringify(email)}`);
      continue;
    }
    const fields: Record<string, string> = {};
    const seen = new Set<string>();
    columns.forEach((column, i) => {
      const name = column.toLowerCase() === 'email' ? 'email' : column;
      if (!column || seen.has(name)) return;
      seen.add(name);
      fields[name] = i < values.length ? values[i].trim() : '';
    });
    fields.email = email;
    rows.push(`${start} ${JSON.stringify(fields)}`);
  }
  return { rows };
}
