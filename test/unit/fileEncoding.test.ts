// file-encoding: the mailing file and its content files are UTF-8 text without control characters;
// what is not is an error at the place it is in, in the file it is in. And the mailing file's size limit.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { buildConfirmModel, MAILING_MAX_BYTES } from '../../src/core/confirmModel';
import { decodeUtf8, Utf8Stream } from '../../src/core/load/encoding';
import { at, CLEAN, codes, edit, NOW, TempDir, withCode, en } from '../fixtures/core/mailingFixture';

describe('encoding: UTF-8 decoded with every invalid byte found', () => {
  it('finds what the WHATWG decoder replaces, one U+FFFD per invalid sequence, and no U+FFFD written as such', () => {
    const samples = [
      [0x61, 0xe9, 0x62], // Latin-1 é
      [0xc3], // cut off
      [0xe2, 0x82, 0x41], // a three-byte sequence cut short
      [0xed, 0xa0, 0x80], // a surrogate
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
      [0xc0, 0xaf], // overlong
      [0xef, 0xbf, 0xbd, 0x80], // U+FFFD itself, then a stray continuation byte
      [0xf0, 0x9f, 0x98, 0x80, 0xff],
    ];
    for (const sample of samples) {
      const bytes = Buffer.from(sample);
      const decoded = decodeUtf8(bytes);
      assert.equal(decoded.text, new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), JSON.stringify(sample));
      const expected = [...decoded.text].map((c, i, all) => (c === '\ufffd' ? all.slice(0, i).join('').length : -1)).filter((i) => i >= 0);
      const written = sample[0] === 0xef ? 1 : 0;
      assert.deepEqual(decoded.invalid, expected.slice(written), JSON.stringify(sample));
    }
  });

  it('streams: a sequence cut by a chunk boundary is carried over, offsets count from the start', () => {
    const bytes = Buffer.from('aé😀b\u20ac', 'utf8');
    const whole = Buffer.concat([bytes, Buffer.from([0xff]), bytes]);
    for (let size = 1; size <= 5; size++) {
      const stream = new Utf8Stream();
      let text = '';
      const invalid: number[] = [];
      for (let i = 0; i < whole.length; i += size) {
        const part = stream.write(whole.subarray(i, i + size));
        text += part.text;
        invalid.push(...part.invalid);
      }
      const last = stream.end();
      text += last.text;
      invalid.push(...last.invalid);
      assert.equal(text, 'aé😀b€\ufffdaé😀b€', `chunks of ${size}`);
      assert.deepEqual(invalid, [6], `chunks of ${size}`);
    }
  });
});

describe('checks: file-encoding', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => dir.remove());

  /** The model of m.mailing.yaml as it is on disk. */
  const modelOfFile = () => buildConfirmModel(dir.file('m.mailing.yaml'), { now: NOW, defaultTimezone: 'UTC' });

  it('bytes that are not UTF-8 in the mailing file: an error at the first of them', async () => {
    // Latin-1 é (0xe9) in two places.
    const bytes = Buffer.from(edit(CLEAN, 'subject: Hello {{firstName}}', 'subject: Caf# {{firstName}} #'));
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x23) bytes[i] = 0xe9;
    await dir.write({ 'm.mailing.yaml': bytes });
    const found = withCode(await modelOfFile(), 'file-encoding');
    assert.equal(found.length, 1);
    assert.equal(at(found[0]), '4:13-4:14');
    assert.equal(found[0].file, undefined);
    assert.match(en(found[0]), /^The mailing file is not UTF-8 text: the bytes here \(and 1 more place\) are not UTF-8/);
  });

  it('bytes that are not UTF-8 in an HTML or text file: an error in that file, at the first of them', async () => {
    const text = edit(CLEAN, '  html: |\n    <p>Hello {{firstName}}, from {{city}}</p>\n  text: |\n    Hello {{firstName}}\n', '  html: page.html\n  text: page.txt\n');
    await dir.write({ 'm.mailing.yaml': text, 'page.html': Buffer.concat([Buffer.from('<p>Hello {{firstName}}</p>\n<p>Gr'), Buffer.from([0xfc]), Buffer.from('n</p>\n')]), 'page.txt': 'Hello\n' });
    const [d] = withCode(await modelOfFile(), 'file-encoding');
    assert.equal(d.file, dir.file('page.html'));
    assert.equal(at(d), '2:6-2:7');
    assert.equal(d.step, 'content');
    assert.match(en(d), /^File page\.html is not UTF-8 text/);
  });

  it('a NUL or other control character: an error at each, in the mailing file and in content files', async () => {
    const text = edit(edit(CLEAN, 'name: Test mailing', 'name: Test\u0000mailing'), '  text: |\n    Hello {{firstName}}\n', '  text: page.txt\n');
    await dir.write({ 'm.mailing.yaml': text, 'page.txt': 'Hello\n\u001b[31mred\u0007\n' });
    const found = withCode(await modelOfFile(), 'file-encoding').map((d) => `${d.file ? 'page.txt' : 'mailing'} ${at(d)} ${en(d)}`);
    assert.deepEqual(found, [
      'mailing 2:11-2:12 The mailing file holds the control character \\x00 (NUL) here: it has no place in mail text; remove it',
      'page.txt 2:1-2:2 File page.txt holds the control character \\x1b (ESC) here: it has no place in mail text; remove it',
      'page.txt 2:9-2:10 File page.txt holds the control character \\x07 (BEL) here: it has no place in mail text; remove it',
    ]);
  });

  it('the editor\'s text is checked for control characters too; tabs, CR LF and a BOM are fine', async () => {
    const model = await dir.model('', {}, { text: edit(CLEAN, 'name: Test mailing', 'name: "Test\u007f"') });
    assert.equal(at(withCode(model, 'file-encoding')[0]), '2:12-2:13');
    await dir.write({ 'm.mailing.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CLEAN.replace(/\n/g, '\r\n').replace('  text: |', '  text: |\t'))]) });
    assert.deepEqual(withCode(await modelOfFile(), 'file-encoding'), []);
  });

  it('many control characters: ten are located, the tenth counts the rest', async () => {
    const model = await dir.model('', {}, { text: CLEAN + `# ${'\u0001'.repeat(25)}\n` });
    const found = withCode(model, 'file-encoding');
    assert.equal(found.length, 10);
    assert.match(en(found[9]), /; 15 more control characters follow$/);
  });

  it('a UTF-16 mailing file is one error and is not read', async () => {
    await dir.write({ 'm.mailing.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CLEAN, 'utf16le')]) });
    const model = await modelOfFile();
    assert.deepEqual(codes(model), ['file-encoding']);
    assert.match(en(model.diagnostics[0]), /^The mailing file is UTF-16 text \(or not text at all\), so it is not read: save it as UTF-8$/);
  });

  it(`a mailing file over ${MAILING_MAX_BYTES / (1 << 20)} MB is refused unread, on line 1; 10,000 inline contacts load`, async () => {
    const file = dir.file('m.mailing.yaml');
    await fs.writeFile(file, CLEAN);
    await fs.truncate(file, MAILING_MAX_BYTES + 1);
    const model = await modelOfFile();
    assert.deepEqual(codes(model), ['file-unreadable']);
    assert.equal(at(model.diagnostics[0]), '1:1-1:1');
    assert.match(en(model.diagnostics[0]), /is 20\.0 MB, more than the 20 MB a mailing file may be, so it is not read: put long recipient lists in a CSV file/);

    const contacts = Array.from({ length: 10_000 }, (_, i) => `    - email: person${i}@example.com\n      firstName: First${i}\n      city: City${i}`).join('\n');
    const big = edit(CLEAN, '    - email: ann@example.com\n      firstName: Ann\n      city: Delft\n    - email: bob@example.com\n      firstName: Bob\n      city: Breda\n', `${contacts}\n`);
    await fs.writeFile(file, big);
    const loaded = await modelOfFile();
    assert.equal(loaded.mailing.targetList?.recipients.length, 10_000);
    assert.deepEqual(codes(loaded), ['test-not-sent']);
  });
});
