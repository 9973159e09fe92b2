import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { parse as parseCsvSync } from 'csv-parse/sync';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { detectDelimiter, readCsvFile, type CsvTable } from '../../src/core/load/csv';
import { FileCache } from '../../src/core/load/fileCache';
import { CLEAN, edit, NOW, TempDir, en } from '../fixtures/core/mailingFixture';

describe('csv: reading target lists', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => dir.remove());

  async function read(content: string | Buffer): Promise<CsvTable> {
    await dir.write({ 'list.csv': content });
    return readCsvFile(dir.file('list.csv'));
  }

  it('reads quoted fields with separators, doubled quotes and line breaks, numbering rows by line', async () => {
    const table = await read('email,name,note\r\n"ann@example.com","Jansen, Ann","said ""hi"""\r\nbob@example.com,Bob,"two\r\nlines"\r\nbad,Cy,x\r\n');
    assert.deepEqual(table.columns, ['email', 'name', 'note']);
    assert.deepEqual(
      table.recipients.map((r) => r.fields),
      [
        { email: 'ann@example.com', name: 'Jansen, Ann', note: 'said "hi"' },
        { email: 'bob@example.com', name: 'Bob', note: 'two\r\nlines' },
      ],
    );
    assert.deepEqual(table.lines, [2, 3]);
    // The record after the two-line field starts on line 5.
    assert.deepEqual(table.invalid, [{ line: 5, value: 'bad' }]);
  });

  it('reads a BOM, `;` separators and CRLF; any column order; header names become fields', async () => {
    const table = await read('\ufeffcity;firstName;Email\r\nDelft;Ann;ann@example.com\r\nBreda;Bob;bob@example.com\r\n');
    assert.equal(table.delimiter, ';');
    assert.equal(table.emailColumn, 2);
    assert.deepEqual(table.fields, ['email', 'city', 'firstName']);
    assert.deepEqual(table.recipients[1].fields, { city: 'Breda', firstName: 'Bob', email: 'bob@example.com' });
  });

  it('detects the separator from the header line only', () => {
    assert.equal(detectDelimiter('email,name'), ',');
    assert.equal(detectDelimiter('email;name;"a,b,c"'), ';');
    assert.equal(detectDelimiter('email\tname'), '\t');
    assert.equal(detectDelimiter('email'), ',');
  });

  it('reads tab-separated files, a fully quoted export and old Mac line ends', async () => {
    assert.equal((await read('email\tname\nann@example.com\tAnn\n')).recipients[0].fields.name, 'Ann');
    const quoted = await read('"email","name"\n"ann@example.com","Ann"\n"bob@example.com","Bob"\n');
    assert.deepEqual(quoted.recipients.map((r) => r.email), ['ann@example.com', 'bob@example.com']);
    const mac = await read('email,name\rann@example.com,Ann\rbob@example.com,Bob\r');
    assert.deepEqual(mac.recipients.map((r) => r.fields.name), ['Ann', 'Bob']);
  });

  it('skips blank and all-empty rows but counts their lines; trims values', async () => {
    const table = await read('email , name\n\n ann@example.com , Ann \n,,\n   \nnobody,\n');
    assert.deepEqual(table.columns, ['email', 'name']);
    assert.equal(table.rows, 2);
    assert.deepEqual(table.recipients[0].fields, { email: 'ann@example.com', name: 'Ann' });
    assert.deepEqual(table.invalid, [{ line: 6, value: 'nobody' }]);
  });

  it('an empty file, a header alone, and no final line break', async () => {
    assert.deepEqual((await read('')).columns, []);
    const header = await read('email,name');
    assert.deepEqual([header.columns, header.rows], [['email', 'name'], 0]);
    assert.equal((await read('email\nann@example.com')).recipients.length, 1);
  });

  it('reports an unclosed quote with the row where it opens, keeping the rows before it', async () => {
    const table = await read('email,name\nann@example.com,Ann\nbob@example.com,"Bob\ncy@example.com,Cy\n');
    assert.equal(table.error?.line, 3);
    assert.deepEqual(table.error!.problem, { kind: 'unclosed-quote' });
    assert.deepEqual(table.recipients.map((r) => r.email), ['ann@example.com']);
  });

  it('gives what csv-parse gives when quotes start halfway through a large file', async () => {
    // More than one read chunk (1 MiB) of unquoted lines, then quoted ones with line breaks and non-ASCII.
    const lines = ['email,name,note'];
    for (let i = 0; i < 30_000; i++) lines.push(`p${i}@example.com,Zoë ${i},plain note ${i}`);
    for (let i = 30_000; i < 30_050; i++) lines.push(`p${i}@example.com,"Zoë, ${i}","a ""quoted""\nnote ${i}"`);
    lines.push('p1@example.com,again,dup');
    const text = lines.join('\n') + '\n';
    const table = await read(text);
    const expected = (parseCsvSync(text, { columns: true }) as Record<string, string>[]).map((row) => ({ email: row.email, name: row.name, note: row.note }));
    assert.equal(table.recipients.length, expected.length);
    assert.deepEqual(table.recipients[30_010].fields, expected[30_010]);
    assert.deepEqual(table.recipients.map((r) => r.fields), expected);
    // 30,050 data rows, the 50 quoted ones spanning two lines each: the last row starts on line 30,102.
    assert.equal(table.lines[table.lines.length - 1], 30_102);
  });

  it('reads a generated 100,000-row list; invalid and duplicate rows are counted with row numbers', async () => {
    const rows = ['email,firstName,lastName,city'];
    for (let i = 0; i < 100_000; i++) {
      if (i % 25_000 === 7) rows.push(`broken-${i}@example,First${i},Last${i},Ede`);
      else if (i % 25_000 === 9) rows.push(`PERSON${i - 3}@example.com,First${i},Last${i},Ede`);
      else rows.push(`person${i}@example.com,First${i},Last${i},Amsterdam`);
    }
    await dir.write({ 'big.csv': rows.join('\n') + '\n' });
    const model = await buildConfirmModel(dir.file('m.mailing.yaml'), {
      now: NOW,
      text: edit(CLEAN, '    - email: ann@example.com', '    - file: big.csv\n    - email: ann@example.com'),
    });
    const list = model.mailing.targetList!;
    assert.equal(list.recipients.length, 100_000 - 8 + 2);
    assert.deepEqual(list.skipped, { invalid: 4, duplicate: 4, excluded: 0 });
    const invalid = model.diagnostics.find((d) => d.code === 'recipient-invalid')!;
    assert.match(en(invalid), /^big\.csv: 4 rows have an invalid address and are skipped \(rows 9 `broken-7@example`, 25009 /);
    const duplicate = model.diagnostics.find((d) => d.code === 'recipient-duplicate')!;
    assert.equal(en(duplicate), 'big.csv: 4 addresses are already on the list and skipped (rows 11, 25011, 50011, 75011); one message per address');
  });
});

describe('csv: the file cache', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => dir.remove());

  const TEXT = edit(
    edit(CLEAN, '    - email: ann@example.com', '    - file: list.csv\n    - email: ann@example.com'),
    '  html: |\n    <p>Hello {{firstName}}, from {{city}}</p>\n',
    '  html: body.html\n',
  );

  it('re-validating after an edit of the YAML reads no unchanged file again; a changed file is read again', async () => {
    await dir.write({ 'list.csv': 'email,firstName,city\nzed@example.com,Zed,Ede\n', 'body.html': '<p>Hi {{firstName}}</p>' });
    const cache = new FileCache();
    const file = dir.file('m.mailing.yaml');
    const first = await buildConfirmModel(file, { cache, now: NOW, text: TEXT });
    assert.deepEqual(cache.counters, { stats: 2, textReads: 1, csvReads: 1, hashReads: 0, parses: 1, reusedLoads: 0 });
    const second = await buildConfirmModel(file, { cache, now: NOW, text: edit(TEXT, 'subject: Hello', 'subject: Hi') });
    assert.deepEqual(cache.counters, { stats: 4, textReads: 1, csvReads: 1, hashReads: 0, parses: 2, reusedLoads: 0 });
    assert.equal(second.mailing.targetList?.recipients.length, first.mailing.targetList?.recipients.length);

    await dir.write({ 'list.csv': 'email,firstName,city\nzed@example.com,Zed,Ede\nyves@example.com,Yves,Ede\n' });
    const third = await buildConfirmModel(file, { cache, now: NOW, text: TEXT });
    assert.equal(cache.counters.csvReads, 2);
    assert.equal(cache.counters.textReads, 1);
    assert.equal(third.mailing.targetList?.recipients.length, 4);
    assert.equal(cache.counters.parses, 3);
  });

  it('the same text is parsed once; the model built from the kept parse equals a fresh one', async () => {
    await dir.write({ 'list.csv': 'email,firstName,city\nzed@example.com,Zed,Ede\n', 'body.html': '<p>Hi {{firstName}}</p>' });
    const cache = new FileCache();
    const file = dir.file('m.mailing.yaml');
    const text = edit(TEXT, 'subject: Hello {{firstName}}', 'subject: ""\nbogus: 1');
    const first = await buildConfirmModel(file, { cache, now: NOW, text });
    const second = await buildConfirmModel(file, { cache, now: NOW, text });
    assert.equal(cache.counters.parses, 1);
    assert.deepEqual(second, first);
    assert.ok(second.diagnostics.some((d) => d.code === 'schema') && second.diagnostics.some((d) => d.code === 'subject-missing'));
    assert.deepEqual(await buildConfirmModel(file, { cache: new FileCache(), now: NOW, text }), first);
  });

  it('reuses the whole load while the text and every referenced file are unchanged, and only then', async () => {
    await dir.write({ 'list.csv': 'email,firstName,city\nzed@example.com,Zed,Ede\n', 'body.html': '<p>Hi {{firstName}}</p>' });
    const cache = new FileCache();
    const file = dir.file('m.mailing.yaml');
    const first = await buildConfirmModel(file, { cache, now: NOW, text: TEXT });
    const again = await buildConfirmModel(file, { cache, now: NOW, text: TEXT });
    assert.equal(cache.counters.reusedLoads, 1);
    assert.deepEqual(again, first);
    // A changed CSV (same size, so only the stamp's time tells) is read again and the list re-assembled.
    await dir.write({ 'list.csv': 'email,firstName,city\nzoe@example.com,Zoe,Ede\n' });
    const later = new Date(Date.now() + 5_000);
    await fs.utimes(dir.file('list.csv'), later, later);
    const changed = await buildConfirmModel(file, { cache, now: NOW, text: TEXT });
    assert.equal(cache.counters.reusedLoads, 1);
    assert.ok(changed.mailing.targetList?.recipients.some((r) => r.email === 'zoe@example.com'));
    // A deleted content file: the load is not reused, and one with a file problem is not kept.
    await fs.rm(dir.file('body.html'));
    const missing = await buildConfirmModel(file, { cache, now: NOW, text: TEXT });
    assert.ok(missing.diagnostics.some((d) => d.code === 'file-missing'));
    await buildConfirmModel(file, { cache, now: NOW, text: TEXT });
    assert.equal(cache.counters.reusedLoads, 1);
  });

  it('a file used twice in one validation is stat-ed and read once', async () => {
    await dir.write({ 'list.csv': 'email,firstName,city\nzed@example.com,Zed,Ede\n', 'body.html': '<p>Hi {{firstName}}</p>' });
    const cache = new FileCache();
    const text = edit(TEXT, 'unsubscribe:', '  exclude:\n    - file: list.csv\nunsubscribe:');
    await buildConfirmModel(dir.file('m.mailing.yaml'), { cache, now: NOW, text });
    assert.deepEqual(cache.counters, { stats: 2, textReads: 1, csvReads: 1, hashReads: 0, parses: 1, reusedLoads: 0 });
  });

  it('a missing file is not remembered: once it appears it is read', async () => {
    const cache = new FileCache();
    const file = dir.file('m.mailing.yaml');
    await dir.write({ 'body.html': '<p>Hi</p>' });
    const before = await buildConfirmModel(file, { cache, now: NOW, text: TEXT });
    assert.ok(before.diagnostics.some((d) => d.code === 'file-missing'));
    await dir.write({ 'list.csv': 'email,firstName,city\nzed@example.com,Zed,Ede\n' });
    const after = await buildConfirmModel(file, { cache, now: NOW, text: TEXT });
    assert.ok(!after.diagnostics.some((d) => d.code === 'file-missing'));
    await fs.rm(dir.file('list.csv'));
    const gone = await buildConfirmModel(file, { cache, now: NOW, text: TEXT });
    assert.ok(gone.diagnostics.some((d) => d.code === 'file-missing'));
  });
});
