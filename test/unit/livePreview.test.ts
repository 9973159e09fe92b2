// The live preview's core: the editors' unsaved text read instead of the files, the MJML and Markdown
// blocks marked with their source lines (for the preview only), the inbox line, and the recipient
// search of the picker.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { buildConfirmModel, type ConfirmOptions } from '../../src/core/confirmModel';
import { FileCache } from '../../src/core/load/fileCache';
import { markSourceLines } from '../../src/core/load/content/mjml';
import { declaredContentFiles } from '../../src/core/load/loadMailing';
import { inboxSnippet, insertPreheader } from '../../src/core/render/preheader';
import { forgetStateRoots } from '../../src/core/state/stateRoot';
import type { Recipient } from '../../src/core/types';
import { searchRecipients, toLivePreviewView } from '../../src/extension/webview/livePreviewView';
import { RECIPIENT_CHOICES_MAX } from '../../src/protocol';
import { CLEAN, edit, NOW, TempDir } from '../fixtures/core/mailingFixture';

const MJML = `<mjml>
  <mj-body>
    <!-- <mj-section> in a comment is no block -->
    <mj-section>
      <mj-column>
        <mj-text css-class="lead">Hello {{firstName}}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#eeeeee">
      <mj-column>
        <mj-button href="https://shop.example/?e={{email}}">Shop</mj-button>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;

describe('live preview: the editors’ text, source lines, the inbox line, the recipient picker', function () {
  this.timeout(30_000);
  let dir: TempDir;
  beforeEach(async () => {
    dir = await TempDir.create();
    forgetStateRoots();
    await fs.mkdir(dir.file('ws/.mailings'), { recursive: true });
  });
  afterEach(async () => dir.remove());

  const mailing = (content: string) => edit(CLEAN, '  html: |\n    <p>Hello {{firstName}}, from {{city}}</p>\n  text: |\n    Hello {{firstName}}\n', content);

  async function build(text: string, files: Record<string, string>, options: ConfirmOptions = {}) {
    await dir.write({ 'ws/m.mailing.yaml': text, ...Object.fromEntries(Object.entries(files).map(([name, content]) => [`ws/${name}`, content])) });
    return buildConfirmModel(dir.file('ws/m.mailing.yaml'), { now: NOW, defaultTimezone: 'UTC', stateRoot: dir.file('ws/.mailings'), ...options });
  }

  it('marks every MJML block with its 0-based line, in a class of its own if it has one, and nothing in a comment', () => {
    const marked = markSourceLines(MJML);
    assert.equal(marked.split('\n').length, MJML.split('\n').length, 'no line added or removed');
    assert.match(marked, /<mj-section css-class="mailings-line-3">/);
    assert.match(marked, /<mj-column css-class="mailings-line-4">/);
    assert.match(marked, /<mj-text css-class="mailings-line-5 lead">/);
    assert.match(marked, /<mj-section css-class="mailings-line-8" background-color/);
    assert.match(marked, /<mj-button css-class="mailings-line-10" href/);
    assert.match(marked, /<!-- <mj-section> in a comment is no block -->/);
  });

  it('the preview model carries the lines, the checked one does not; errors keep their lines; both are cached side by side', async () => {
    const broken = MJML.replace('<mj-button href', '<mj-button colour="red" href');
    const cache = new FileCache();
    const text = mailing('  mjml: news.mjml\n');
    const checked = await build(text, { 'news.mjml': broken }, { cache });
    const preview = await build(text, {}, { cache, sourceLines: true });
    assert.doesNotMatch(checked.mailing.html?.source ?? '', /mailings-line-/);
    assert.match(preview.mailing.html?.source ?? '', /class="[^"]*mailings-line-3/);
    assert.match(preview.mailing.html?.source ?? '', /mailings-line-5 lead|lead mailings-line-5/);
    const lineOf = (m: typeof checked) => m.diagnostics.filter((d) => d.code === 'mjml-invalid').map((d) => `${d.file}:${d.range.start.line}`);
    assert.deepEqual(lineOf(preview), lineOf(checked));
    assert.deepEqual(lineOf(checked), [`${dir.file('ws/news.mjml')}:10`]);
    const compilations = cache.counters.compilations;
    await build(text, {}, { cache });
    await build(text, {}, { cache, sourceLines: true });
    assert.equal(cache.counters.compilations, compilations, 'neither compilation evicted the other');
  });

  it('Markdown blocks carry data-line in the preview only', async () => {
    const text = mailing('  markdown: letter.md\n');
    const md = '# Hello {{firstName}}\n\nFirst paragraph.\n\n- one\n- two\n';
    const checked = await build(text, { 'letter.md': md });
    const preview = await build(text, {}, { sourceLines: true });
    assert.doesNotMatch(checked.mailing.html?.source ?? '', /data-line/);
    const lines = [...(preview.mailing.html?.source ?? '').matchAll(/data-line="(\d+)"/g)].map((m) => Number(m[1]));
    assert.deepEqual(lines, [0, 2, 4]);
  });

  it('reads an edited file as the editor shows it, never keeps it, and reads the file again once the edit is gone', async () => {
    const cache = new FileCache();
    const text = mailing('  mjml: news.mjml\n');
    const onDisk = await build(text, { 'news.mjml': MJML }, { cache });
    assert.match(onDisk.mailing.html?.source ?? '', /Hello \{\{firstName\}\}/);
    const typed = MJML.replace('Hello {{firstName}}', 'Good evening {{firstName}}');
    const edited = await build(text, {}, { cache, edited: new Map([[dir.file('ws/news.mjml'), typed]]) });
    assert.match(edited.mailing.html?.source ?? '', /Good evening/);
    const typo = MJML.replace('<mj-button href', '<mj-button colour="red" href');
    const broken = await build(text, {}, { cache, edited: new Map([[dir.file('ws/news.mjml'), typo]]) });
    assert.ok(broken.diagnostics.some((d) => d.code === 'mjml-invalid' && d.file === dir.file('ws/news.mjml') && d.range.start.line === 10), 'the unsaved error is at its line');
    const again = await build(text, {}, { cache });
    assert.doesNotMatch(again.mailing.html?.source ?? '', /Good evening/);
    assert.ok(!again.diagnostics.some((d) => d.code === 'mjml-invalid' || d.code === 'content-compile'));
  });

  it('names the content files a mailing text declares, from the text alone', () => {
    const file = dir.file('ws/m.mailing.yaml');
    assert.deepEqual(declaredContentFiles(file, mailing('  markdown: letters/letter.md\n  layout: layout.mjml\n  text: plain.txt\n')), [
      dir.file('ws/plain.txt'),
      dir.file('ws/letters/letter.md'),
      dir.file('ws/layout.mjml'),
    ]);
    assert.deepEqual(declaredContentFiles(file, CLEAN), [], 'inline HTML and text name no file');
    assert.deepEqual(declaredContentFiles(file, 'content: [\n'), [], 'a broken text names none');
  });

  it('the inbox line: the preheader up to its filler, else the first text; long text cut with an ellipsis', () => {
    const body = '<html><head><title>T</title><style>p{}</style></head><body><p>View in browser</p><h1>Big news</h1></body></html>';
    assert.equal(inboxSnippet(insertPreheader(body, 'Our autumn picks, for Ann')), 'Our autumn picks, for Ann');
    assert.equal(inboxSnippet(body), 'View in browser Big news');
    const long = `<body><p>${'word '.repeat(100)}</p></body>`;
    const cut = inboxSnippet(long, 40);
    assert.equal(cut.length, 40);
    assert.ok(cut.endsWith('…'));
  });

  it('searches recipients by row, address and name, at most RECIPIENT_CHOICES_MAX, with the total', () => {
    const recipients: Recipient[] = Array.from({ length: 300 }, (_, i) => ({
      email: `user${i + 1}@example.com`,
      fields: { email: `user${i + 1}@example.com`, FirstName: i === 41 ? 'Zoë' : `Name${i + 1}`, last_name: 'Jansen' },
    }));
    assert.deepEqual(searchRecipients(recipients, '').choices.length, RECIPIENT_CHOICES_MAX);
    assert.equal(searchRecipients(recipients, '').total, 300);
    const row = searchRecipients(recipients, '#42');
    assert.equal(row.choices[0].index, 41);
    assert.equal(row.choices[0].name, 'Zoë Jansen');
    assert.equal(searchRecipients(recipients, '42').choices[0].index, 41, 'a bare number is a row too');
    assert.ok(searchRecipients(recipients, '42').choices.some((c) => c.email === 'user142@example.com'), 'and the addresses that hold it');
    assert.deepEqual(
      searchRecipients(recipients, 'zoë').choices.map((c) => c.index),
      [41],
    );
    const many = searchRecipients(recipients, 'example.com');
    assert.equal(many.choices.length, RECIPIENT_CHOICES_MAX);
    assert.equal(many.total, 300);
    assert.deepEqual(searchRecipients(recipients, 'nobody').choices, []);
  });

  it('the view: scroll sync only for the MJML / Markdown file that is the content, errors with where they are', async () => {
    const text = mailing('  mjml: news.mjml\n');
    const model = await build(text, { 'news.mjml': MJML.replace('<mj-button href', '<mj-button colour="red" href') }, { sourceLines: true });
    const options = { width: 'desktop' as const, remoteImages: false, locale: 'en' as const, now: NOW };
    const fromMjml = toLivePreviewView(model, { ...options, source: dir.file('ws/news.mjml') });
    assert.equal(fromMjml.scrollSync, true);
    assert.equal(toLivePreviewView(model, { ...options, source: model.file }).scrollSync, false);
    assert.ok(fromMjml.errors.some((e) => e.code === 'content-compile' && e.fileLabel === undefined), 'the mailing’s own error');
    const compile = fromMjml.errors.find((e) => e.code === 'mjml-invalid');
    assert.ok(compile, 'the MJML error is in the banner');
    assert.equal(compile.fileLabel, 'news.mjml');
    assert.equal(compile.range.start.line, 10);
    assert.equal(fromMjml.inbox.from, 'Shop News');
    assert.equal(fromMjml.recipientCount, 2);
  });
});
