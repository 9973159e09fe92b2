import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { at, CLEAN, codes, edit, TempDir, withCode, en } from '../fixtures/core/mailingFixture';

const CONTENT = `content:
  html: |
    <p>Hello {{firstName}}, from {{city}}</p>
  text: |
    Hello {{firstName}}
`;

describe('checks: content', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => dir.remove());

  it('merge-link-unsafe names the rows whose value at the start of a link is no http(s) or mailto address', async () => {
    const html = '<p>Hi {{firstName}}</p>\n<p><a href="{{website}}">Your site</a> <a href="https://x.test/?s={{website}}">in</a></p>\n';
    const csv = 'email,firstName,website\nann@example.com,Ann,https://ann.example\nbob@example.com,Bob,javascript:alert(1)\ncat@example.com,Cat,data:text/html;base64,xx\ndan@example.com,Dan,mailto:dan@example.com\n';
    const text = edit(edit(CLEAN, CONTENT, 'content:\n  html: page.html\n  text: Hi {{firstName}}\n'), '  include:\n', '  include:\n    - file: people.csv\n');
    const model = await dir.model(text.replace(/    - email: ann@example.com\n[\s\S]*?city: Breda\n/, ''), { 'page.html': html, 'people.csv': csv });
    const [d, ...more] = withCode(model, 'merge-link-unsafe');
    assert.equal(more.length, 0, JSON.stringify(model.diagnostics));
    assert.equal(d.severity, 'warning');
    assert.equal(d.file, dir.file('page.html'));
    assert.equal(at(d), '2:13-2:24');
    assert.match(en(d), /\{\{website\}\} begins a link: for 2 recipients .* left out .*people\.csv rows 3, 4/);
    const safe = await dir.model(text.replace(/    - email: ann@example.com\n[\s\S]*?city: Breda\n/, ''), { 'page.html': html, 'people.csv': csv.replace(/javascript:alert\(1\)|data:text\/html;base64,xx/g, 'https://ok.example') });
    assert.deepEqual(withCode(safe, 'merge-link-unsafe'), []);
  });

  it('content-missing on line 1 when there is no content', async () => {
    const [d] = withCode(await dir.model(edit(CLEAN, CONTENT, '')), 'content-missing');
    assert.equal(at(d), '1:1-1:11');
    assert.deepEqual(d.data, { missingKey: 'content', parentPath: [] });
  });

  it('content-missing on the `content` key when it has neither part', async () => {
    const [d] = withCode(await dir.model(edit(CLEAN, CONTENT, 'content: {}\n')), 'content-missing');
    assert.equal(at(d), '5:1-5:8');
    assert.deepEqual(d.data, { missingKey: 'html', parentPath: ['content'] });
  });

  it('content-missing for an empty HTML file, on its value', async () => {
    const model = await dir.model(edit(CLEAN, CONTENT, 'content:\n  html: empty.html\n'), { 'empty.html': '  \n' });
    const [d] = withCode(model, 'content-missing');
    assert.equal(at(d), '6:9-6:19');
  });

  it('file-missing for a content file, on the path', async () => {
    const model = await dir.model(edit(CLEAN, CONTENT, 'content:\n  html: missing.html\n  text: body.txt\n'), { 'body.txt': 'Hi {{firstName}}' });
    const [d] = withCode(model, 'file-missing');
    assert.equal(at(d), '6:9-6:21');
    assert.equal(en(d), 'File missing.html does not exist');
    assert.equal(d.step, 'content');
    assert.deepEqual(withCode(model, 'content-missing'), []);
  });

  it('file-unreadable for a folder where a file should be', async () => {
    await fs.mkdir(dir.file('folder.html'));
    const [d] = withCode(await dir.model(edit(CLEAN, CONTENT, 'content:\n  html: folder.html\n')), 'file-unreadable');
    assert.equal(at(d), '6:9-6:20');
    assert.match(en(d), /is a folder/);
  });

  it('content files are read relative to the mailing file, wherever the process runs', async () => {
    const model = await dir.model(edit(CLEAN, CONTENT, 'content:\n  html: parts/body.html\n  text: parts/body.txt\n'), {
      'parts/body.html': '<p>Hi {{firstName}}</p>',
      'parts/body.txt': 'Hi {{firstName}}',
    });
    assert.deepEqual(codes(model), ['test-not-sent']);
    assert.equal(model.mailing.html?.file, dir.file('parts/body.html'));
    assert.equal(model.mailing.text?.source, 'Hi {{firstName}}');
    assert.ok(model.referencedFiles.includes(dir.file('parts/body.txt')));
  });

  it('text-part-missing is information on the `content` key when only HTML is given', async () => {
    const model = await dir.model(edit(CLEAN, '  text: |\n    Hello {{firstName}}\n', ''));
    const [d] = withCode(model, 'text-part-missing');
    assert.equal(d.severity, 'info');
    assert.equal(at(d), '5:1-5:8');
    assert.deepEqual(d.data, { missingKey: 'text', parentPath: ['content'] });
  });

  it('attachment-large above 10 MB in total, file-missing for a missing attachment', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 1);
    const model = await dir.model(edit(CLEAN, 'targetList:', 'attachments: [a.bin, b.bin, gone.pdf]\ntargetList:'), { 'a.bin': big, 'b.bin': big });
    const [large] = withCode(model, 'attachment-large');
    assert.equal(large.severity, 'warning');
    assert.equal(at(large), '10:1-10:12');
    assert.match(en(large), /12\.0 MB/);
    const [missing] = withCode(model, 'file-missing');
    assert.equal(at(missing), '10:29-10:37');
    assert.deepEqual(
      model.mailing.attachments?.map((a) => [a.filename, a.size]),
      [
        ['a.bin', big.length],
        ['b.bin', big.length],
      ],
    );
    const small = await dir.model(edit(CLEAN, 'targetList:', 'attachments: [a.txt]\ntargetList:'), { 'a.txt': 'price list' });
    assert.deepEqual(codes(small), ['test-not-sent']);
  });
});

describe('checks: merge fields', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => dir.remove());

  it('merge-field-unknown in a plain subject: exactly on {{...}}, with the nearest field', async () => {
    const model = await dir.model(edit(CLEAN, 'subject: Hello {{firstName}}', 'subject: Hello {{frstName}}'));
    const [d] = withCode(model, 'merge-field-unknown');
    assert.equal(at(d), '4:16-4:28');
    assert.equal(en(d), '{{frstName}} is not a field of the target list (fields: email, firstName, city): did you mean {{firstName}}?');
    assert.deepEqual(d.data, { field: 'frstName', suggestion: 'firstName' });
    assert.equal(d.file, undefined);
  });

  it('merge-field-unknown inside a `|` block scalar maps to the exact line and column', async () => {
    const model = await dir.model(edit(CLEAN, 'from {{city}}</p>', 'from {{cty}}</p>'));
    const [d] = withCode(model, 'merge-field-unknown');
    assert.equal(at(d), '7:34-7:41');
    assert.deepEqual(d.data, { field: 'cty', suggestion: 'city' });
  });

  it('merge-field-unknown in a double-quoted scalar, and the same field twice', async () => {
    const model = await dir.model(edit(CLEAN, 'subject: Hello {{firstName}}', 'subject: "{{x}} and {{x}}"'));
    assert.deepEqual(withCode(model, 'merge-field-unknown').map(at), ['4:11-4:16', '4:21-4:26']);
    assert.equal(withCode(model, 'merge-field-unknown')[0].data?.suggestion, undefined);
  });

  it('falls back to the whole value when an escape makes an exact position impossible', async () => {
    const model = await dir.model(edit(CLEAN, 'subject: Hello {{firstName}}', 'subject: "Hello \\x7B{frstName}}"'));
    const [d] = withCode(model, 'merge-field-unknown');
    assert.equal(at(d), '4:10-4:33');
  });

  it('merge-field-unknown in a referenced HTML file: the range is in that file', async () => {
    const model = await dir.model(edit(CLEAN, CONTENT, 'content:\n  html: body.html\n  text: body.txt\n'), {
      'body.html': '<html>\n<body>\n  <p>Dear {{ Firstname }},</p>\n</body>\n</html>\n',
      'body.txt': 'Dear {{firstName}}',
    });
    const [d] = withCode(model, 'merge-field-unknown');
    assert.equal(d.file, dir.file('body.html'));
    assert.equal(at(d), '3:11-3:26');
    assert.deepEqual(d.data, { field: 'Firstname', suggestion: 'firstName' });
    // The mailing's own diagnostics come first.
    assert.equal(model.diagnostics[model.diagnostics.length - 1], d);
  });

  it('merge fields in the unsubscribe URL are checked too', async () => {
    const model = await dir.model(edit(CLEAN, 'e={{email}}', 'e={{mail}}'));
    const [d] = withCode(model, 'merge-field-unknown');
    assert.equal(at(d), '19:33-19:41');
    assert.equal(d.data?.suggestion, 'email');
  });

  it('CSV columns are fields; field names are case-sensitive', async () => {
    const text = edit(CLEAN, '    - email: ann@example.com', '    - file: people.csv\n    - email: ann@example.com');
    const model = await dir.model(edit(text, 'Hello {{firstName}}\n', 'Hello {{firstName}} {{Member_No}}\n'), { 'people.csv': 'email,member_no\nzed@example.com,7\n' });
    const [d] = withCode(model, 'merge-field-unknown');
    assert.equal(d.data?.field, 'Member_No');
    assert.equal(d.data?.suggestion, 'member_no');
    assert.deepEqual(model.mailing.targetList?.fields, ['email', 'member_no', 'firstName', 'city']);
  });

  it('merge-field-unknown is not reported while the fields are unknown (a CSV is missing)', async () => {
    const text = edit(CLEAN, '    - email: ann@example.com', '    - file: gone.csv\n    - email: ann@example.com');
    const model = await dir.model(edit(text, 'Hello {{firstName}}\n', 'Hello {{whatever}}\n'));
    assert.deepEqual(withCode(model, 'merge-field-unknown'), []);
    assert.equal(withCode(model, 'file-missing').length, 1);
  });

  it('merge-syntax for an unclosed or empty field', async () => {
    const model = await dir.model(edit(CLEAN, 'subject: Hello {{firstName}}', 'subject: Hello {{firstName'));
    const [d] = withCode(model, 'merge-syntax');
    assert.equal(at(d), '4:16-4:27');
    assert.equal(en(d), '`{{firstName` is not closed: write `{{field}}`');
    const empty = await dir.model(edit(CLEAN, '    Hello {{firstName}}\n', '    Hello {{ }}\n'));
    assert.equal(at(withCode(empty, 'merge-syntax')[0]), '9:11-9:16');
  });
});

describe('checks: unsubscribe', () => {
  let dir: TempDir;
  beforeEach(async () => (dir = await TempDir.create()));
  afterEach(async () => dir.remove());

  it('unsubscribe-missing on line 1 without `unsubscribe`, on the key when it is empty', async () => {
    const without = await dir.model(edit(CLEAN, 'unsubscribe:\n  url: https://shop.example/u?e={{email}}\n', ''));
    const [d] = withCode(without, 'unsubscribe-missing');
    assert.equal(at(d), '1:1-1:11');
    assert.deepEqual(d.data, { missingKey: 'unsubscribe', parentPath: [] });
    const empty = await dir.model(edit(CLEAN, '  url: https://shop.example/u?e={{email}}\n', ''));
    const [e] = withCode(empty, 'unsubscribe-missing');
    assert.equal(at(e), '18:1-18:12');
    assert.deepEqual(e.data, { missingKey: 'url', parentPath: ['unsubscribe'] });
  });

  it('a mailto alone is enough', async () => {
    const model = await dir.model(edit(CLEAN, 'url: https://shop.example/u?e={{email}}', 'mailto: unsubscribe@shop.example'));
    assert.deepEqual(codes(model), ['test-not-sent']);
  });

  it('unsubscribe-invalid for a URL that is not a web address and for a bad mailto', async () => {
    const model = await dir.model(edit(CLEAN, 'url: https://shop.example/u?e={{email}}', 'url: shop.example/u\n  mailto: "mailto:unsubscribe@"'));
    const found = withCode(model, 'unsubscribe-invalid');
    assert.deepEqual(found.map(at), ['19:8-19:22', '20:11-20:32']);
  });

  it('unsubscribe-not-https warns for http', async () => {
    const model = await dir.model(edit(CLEAN, 'url: https://', 'url: http://'));
    const [d] = withCode(model, 'unsubscribe-not-https');
    assert.equal(d.severity, 'warning');
    assert.equal(at(d), '19:8-19:41');
  });
});
