// The CSV reader's bounds: linear work whatever the line lengths, a record size limit, a column limit,
// and the bytes of the file as they are (not UTF-8, UTF-16, control characters), each at its row.
import * as assert from 'node:assert/strict';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { CSV_LIMITS, CSV_MAX_COLUMNS, CSV_MAX_RECORD_BYTES, readCsvChunks, type CsvCounters, type CsvLimits, type CsvTable } from '../../src/core/load/csv';
import { CLEAN, edit, NOW, TempDir, withCode, en } from '../fixtures/core/mailingFixture';

const CHUNK = 1 << 16;

/** `bytes` in chunks of `size` (what a file stream gives, or something nastier). */
function chunked(bytes: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
}

/** A file of `head`, then `megabytes` MB of `x` on one line, then `tail`, made chunk by chunk (never held whole). */
function* longLine(head: string, megabytes: number, tail: string): Generator<Buffer> {
  yield Buffer.from(head);
  const block = Buffer.alloc(CHUNK, 'x');
  for (let i = 0; i < (megabytes << 20) / CHUNK; i++) yield block;
  yield Buffer.from(tail);
}

async function read(text: string | Buffer, limits: Partial<CsvLimits> = {}, size = CHUNK): Promise<CsvTable> {
  return readCsvChunks(chunked(typeof text === 'string' ? Buffer.from(text) : text, size), { ...CSV_LIMITS, ...limits });
}

function counters(): CsvCounters {
  return { scanned: 0, copied: 0, held: 0 };
}

describe('csv: bounded, linear reading', function () {
  this.timeout(20_000);

  it('a 20 MB line costs at most about four times a 5 MB one (characters looked at and copied)', async () => {
    const big = { ...CSV_LIMITS, maxRecordBytes: 64 << 20 };
    const work: CsvCounters[] = [];
    for (const megabytes of [5, 20]) {
      const count = counters();
      const table = await readCsvChunks(longLine('email,note\nann@example.com,', megabytes, '\nbob@example.com,b\n'), big, count);
      assert.equal(table.recipients[0].fields.note.length, megabytes << 20);
      assert.deepEqual(table.lines, [2, 3]);
      work.push(count);
    }
    const [small, large] = work;
    assert.ok(large.scanned <= 4.2 * small.scanned, `scanned ${large.scanned} vs ${small.scanned}`);
    assert.ok(large.copied <= 4.2 * small.copied, `copied ${large.copied} vs ${small.copied}`);
    // Each character is looked at a bounded number of times (for line ends and quotes).
    assert.ok(large.scanned <= 3 * (20 << 20), `scanned ${large.scanned}`);
  });

  it('a line over the limit costs linear work too, and is never held past the limit', async () => {
    const work: CsvCounters[] = [];
    for (const megabytes of [5, 20]) {
      const count = counters();
      const table = await readCsvChunks(longLine('email,note\nann@example.com,', megabytes, '\nbob@example.com,b\n'), CSV_LIMITS, count);
      assert.deepEqual(table.oversized, [2]);
      assert.deepEqual(table.lines, [3]);
      assert.ok(count.held <= CSV_MAX_RECORD_BYTES + CHUNK, `held ${count.held}`);
      assert.equal(count.copied, 0);
      work.push(count);
    }
    assert.ok(work[1].scanned <= 4.2 * work[0].scanned, `scanned ${work[1].scanned} vs ${work[0].scanned}`);
  });

  it('a 200 MB line ends in a row error, and the rows after it are read', async () => {
    const count = counters();
    const table = await readCsvChunks(longLine('email,note\nann@example.com,"', 200, '"\nbob@example.com,b\ncy@example.com,c\n'), CSV_LIMITS, count);
    assert.deepEqual(table.oversized, [2]);
    assert.equal(table.error, undefined);
    assert.deepEqual(table.recipients.map((r) => r.email), ['bob@example.com', 'cy@example.com']);
    assert.ok(count.held <= CSV_MAX_RECORD_BYTES + CHUNK, `held ${count.held}`);
  });

  it('records over the limit are skipped at their row, in one chunk, across chunks or quoted over several lines', async () => {
    const text = [
      'email,note',
      'ann@example.com,short',
      `bob@example.com,${'b'.repeat(150)}`,
      'cy@example.com,short',
      `dan@example.com,"${'d'.repeat(60)}\n${'d'.repeat(60)}\n${'d'.repeat(60)}"`,
      'eve@example.com,"quoted, short"',
      '',
    ].join('\n');
    for (const size of [1, 7, 64, CHUNK]) {
      const table = await read(text, { maxRecordBytes: 100 }, size);
      assert.deepEqual(table.oversized, [3, 5], `chunks of ${size}`);
      assert.deepEqual(table.lines, [2, 4, 8], `chunks of ${size}`);
      assert.equal(table.rows, 5);
    }
  });

  it('the limit counts UTF-8 bytes, quotes and line end included, exactly', async () => {
    const record = (body: string) => `a@example.com,"${body}"\n`;
    const fits = record('x'.repeat(100 - record('').length));
    assert.equal(Buffer.byteLength(fits), 100);
    assert.deepEqual((await read(`email,note\n${fits}`, { maxRecordBytes: 100 })).oversized, []);
    assert.deepEqual((await read(`email,note\n${record('x'.repeat(101 - record('').length))}`, { maxRecordBytes: 100 })).oversized, [2]);
    // 60 characters, 120 bytes.
    assert.deepEqual((await read(`email,note\na@example.com,${'é'.repeat(60)}\n`, { maxRecordBytes: 100 })).oversized, [2]);
  });

  it('a header over the limit is fatal: no columns can be read', async () => {
    const inline = await read(`${'h'.repeat(200)}\nann@example.com\n`, { maxRecordBytes: 100 });
    assert.equal(inline.error?.line, 1);
    assert.deepEqual(inline.error!.problem, { kind: 'header-too-long', max: 100 });
    // No line end at all within the limit: refused without waiting for one.
    const count = counters();
    const endless = await readCsvChunks(longLine('email', 8, ''), CSV_LIMITS, count);
    assert.equal(endless.error?.line, 1);
    assert.deepEqual(endless.columns, []);
    assert.ok(count.held <= CSV_MAX_RECORD_BYTES + CHUNK);
  });

  it('a row with more columns than the limit is skipped at its row; a header with more is fatal', async () => {
    const table = await read('email,a,b\nann@example.com,1,2\nbob@example.com,1,2,3,4,5,6\ncy@example.com,1\n', { maxColumns: 5 });
    assert.deepEqual(table.tooWide, [3]);
    assert.deepEqual(table.lines, [2, 4]);
    const header = await read(`email${',x'.repeat(CSV_MAX_COLUMNS)}\nann@example.com\n`);
    assert.equal(header.error?.line, 1);
    assert.deepEqual(header.error!.problem, { kind: 'header-too-wide', columns: 1001, max: 1000 });
  });
});

describe('csv: the bytes as they are', () => {
  it('bytes that are not UTF-8 are found at their rows (a quoted record by its first row), in any chunking', async () => {
    const text = Buffer.concat([
      Buffer.from('email,name\nann@example.com,Ann\nbob@example.com,Jos'),
      Buffer.from([0xe9]), // Latin-1 é
      Buffer.from('\ncy@example.com,Zoë\ndan@example.com,"two\nlines '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"\neve@example.com,Eve'),
      Buffer.from([0xe2, 0x82]), // cut off by the end of the file
    ]);
    for (const size of [1, 2, 3, 5, CHUNK]) {
      const table = await read(text, {}, size);
      assert.deepEqual(table.notUtf8, [3, 5, 7], `chunks of ${size}`);
      assert.equal(table.recipients[1].fields.name, 'Jos\ufffd');
      assert.equal(table.recipients[2].fields.name, 'Zoë');
    }
  });

  it('a character split over chunks is no error', async () => {
    const table = await read('email,name\nann@example.com,Zoë 😀 €\n', {}, 1);
    assert.deepEqual(table.notUtf8, []);
    assert.equal(table.recipients[0].fields.name, 'Zoë 😀 €');
  });

  it('a UTF-16 file is refused at row 1, with or without its byte-order mark', async () => {
    for (const bytes of [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('email\nann@example.com\n', 'utf16le')]), Buffer.from('email,name\nann@example.com,Ann\n', 'utf16le')]) {
      const table = await read(bytes);
      assert.equal(table.error?.line, 1);
      assert.deepEqual(table.error!.problem, { kind: 'utf16' });
    }
  });

  it('control characters are removed from values, and their rows named', async () => {
    const table = await read('email,name\nann@example.com,A\u0000nn\nbob@example.com,Bob\ncy@example.com,C\u007fy\ndan@example.com,"D\u0007a\nn"\n\u0000\n', {}, 3);
    assert.deepEqual(table.controlStripped, [2, 4, 5, 7]);
    assert.deepEqual(
      table.recipients.map((r) => r.fields.name),
      ['Ann', 'Bob', 'Cy', 'Da\nn'],
    );
    // Tabs, CR and LF are no control characters here.
    assert.deepEqual((await read('email\tname\r\nann@example.com\t"A\r\nB"\r\n')).controlStripped, []);
  });
});

describe('csv: the checks report the bounds, located on the file entry', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => dir.remove());

  const text = edit(CLEAN, '    - email: ann@example.com', '    - file: list.csv\n    - email: ann@example.com');

  it('csv-encoding: an error for bytes that are not UTF-8, a warning for removed control characters', async () => {
    await dir.write({ 'list.csv': Buffer.concat([Buffer.from('email,firstName,city\nzoe@example.com,Zo'), Buffer.from([0xeb]), Buffer.from(',Ede\nnul@example.com,N\u0000,Ede\n')]) });
    const model = await buildConfirmModel(dir.file('m.mailing.yaml'), { now: NOW, text });
    const found = withCode(model, 'csv-encoding').map((d) => `${d.severity} ${en(d)} @${d.range.start.line + 1}`);
    assert.deepEqual(found, [
      'error list.csv: 1 row holds bytes that are not UTF-8 (row 2); the file may be in another encoding (Latin-1, Windows-1252): save it as CSV UTF-8 @12',
      'warning list.csv: control characters (NUL and the like) were removed from the values of row 3 @12',
    ]);
    assert.equal(model.hasErrors, true);
  });

  it('csv-invalid errors for rows over the size limit and rows with too many columns', async () => {
    await dir.write({ 'list.csv': `email,firstName,city\nann@example.com,${'a'.repeat(CSV_MAX_RECORD_BYTES)},x\nbob@example.com,Bob,Breda${',x'.repeat(CSV_MAX_COLUMNS)}\ncy@example.com,Cy,Ede\n` });
    const model = await buildConfirmModel(dir.file('m.mailing.yaml'), { now: NOW, text });
    const found = withCode(model, 'csv-invalid').map((d) => `${d.severity} ${en(d)}`);
    assert.deepEqual(found, [
      'error list.csv: 1 row is longer than 1 MB, the most a row may hold, and is skipped (row 2); check for an unclosed quote or a file that is not a CSV',
      'error list.csv: 1 row has more than 1,000 columns and is skipped (row 3)',
    ]);
    assert.deepEqual(
      model.mailing.targetList!.recipients.map((r) => r.email),
      ['cy@example.com', 'ann@example.com', 'bob@example.com'],
    );
  });
});
