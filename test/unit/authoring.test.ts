import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { simpleParser } from 'mailparser';
import { buildConfirmModel, toResolvedMailing, type ConfirmOptions } from '../../src/core/confirmModel';
import { contentHash } from '../../src/core/contentHash';
import { FileCache } from '../../src/core/load/fileCache';
import { nodemailerRenderer } from '../../src/core/render/nodemailerRenderer';
import { prepareMailing } from '../../src/core/render/prepared';
import { mailingStateDir } from '../../src/core/state/paths';
import { forgetStateRoots } from '../../src/core/state/stateRoot';
import { writeTestRecord } from '../../src/core/state/testRecord';
import type { ConfirmModel } from '../../src/core/types';
import { at, CLEAN, codes, edit, en, NOW, TempDir, withCode } from '../fixtures/core/mailingFixture';

/** CLEAN's inline HTML and text. */
const PARTS = '  html: |\n    <p>Hello {{firstName}}, from {{city}}</p>\n  text: |\n    Hello {{firstName}}\n';

function withContent(content: string, text = CLEAN): string {
  return edit(text, PARTS, content);
}

const NEWS_MJML = `<mjml>
  <mj-head>
    <mj-title>News</mj-title>
  </mj-head>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text font-size="20px">Hello {{firstName | "reader"}}, from {{city}}</mj-text>
        <mj-button href="https://shop.example/offer?e={{email}}&amp;c={{city}}">See the offer</mj-button>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;

/** NEWS_MJML with an attribute mj-text does not have, on line 8. */
const BROKEN_MJML = NEWS_MJML.replace('<mj-text font-size="20px">', '<mj-text font-size="20px" colour="red">');

describe('authoring: content compiled from MJML, Markdown, and CSS inlined', function () {
  // The first MJML compilation loads mjml (about a second on an idle machine, more on a busy one).
  this.timeout(30_000);
  let dir: TempDir;
  beforeEach(async () => {
    dir = await TempDir.create();
    forgetStateRoots();
    // The temp folder is the workspace (it holds the state); `outside/` lies beyond it.
    await fs.mkdir(dir.file('ws/.mailings'), { recursive: true });
  });
  afterEach(async () => dir.remove());

  async function model(text: string, files: Record<string, string> = {}, options: ConfirmOptions = {}): Promise<ConfirmModel> {
    await dir.write({ 'ws/m.mailing.yaml': text, ...Object.fromEntries(Object.entries(files).map(([name, content]) => [`ws/${name}`, content])) });
    return buildConfirmModel(dir.file('ws/m.mailing.yaml'), { now: NOW, defaultTimezone: 'UTC', stateRoot: dir.file('ws/.mailings'), ...options });
  }

  /** The mailing as confirmed (a test recorded for it), and the message its first recipient gets, parsed. */
  async function sentTo(built: ConfirmModel, text: string, files: Record<string, string> = {}) {
    const file = dir.file('ws/m.mailing.yaml');
    await writeTestRecord(mailingStateDir(dir.file('ws/.mailings'), file), { version: 1, at: NOW.toISOString(), to: ['me@shop.example'], hash: built.contentHash!, messageIds: [] });
    const tested = await model(text, files);
    const resolved = toResolvedMailing(tested);
    const prepared = await prepareMailing(resolved, { messageIdToken: 'tok' });
    const message = await nodemailerRenderer(prepared).render(resolved.targetList.recipients[0], 0);
    return { resolved, parsed: await simpleParser(message.raw) };
  }

  it('a real MJML file compiles; merge fields survive in text, attributes and defaults; the message carries the compiled HTML', async () => {
    const text = withContent('  mjml: news.mjml\n');
    const built = await model(text, { 'news.mjml': NEWS_MJML });
    assert.deepEqual(codes(built), ['text-part-missing', 'test-not-sent']);
    const html = built.mailing.html!;
    assert.equal(html.file, dir.file('ws/news.mjml'));
    assert.match(html.source, /^<!doctype html>/i);
    assert.doesNotMatch(html.source, /<mj-/);
    assert.ok(html.source.includes('Hello {{firstName | "reader"}}, from {{city}}'), html.source);
    assert.ok(html.source.includes('href="https://shop.example/offer?e={{email}}&amp;c={{city}}"'), html.source);

    const { resolved, parsed } = await sentTo(built, text, { 'news.mjml': NEWS_MJML });
    // What Confirm freezes in the snapshot is the compiled HTML, not the MJML.
    assert.equal(resolved.html?.source, html.source);
    const sentHtml = String(parsed.html);
    assert.ok(sentHtml.includes('Hello Ann, from Delft'), sentHtml);
    assert.ok(sentHtml.includes('href="https://shop.example/offer?e=ann%40example.com&amp;c=Delft"'), sentHtml);
    assert.match(parsed.text ?? '', /Hello Ann, from Delft/);
  });

  it('the content hash covers the compiled content: an edit of the .mjml file changes it, a YAML-only edit compiles nothing again', async () => {
    const cache = new FileCache();
    const text = withContent('  mjml: news.mjml\n');
    const first = await model(text, { 'news.mjml': NEWS_MJML }, { cache });
    assert.equal(cache.counters.compilations, 1);
    const renamed = await model(edit(text, 'name: Test mailing', 'name: Renamed'), {}, { cache });
    assert.equal(cache.counters.compilations, 1, 'the same MJML is not compiled twice');
    assert.equal(renamed.contentHash, first.contentHash);
    await dir.write({ 'ws/news.mjml': NEWS_MJML.replace('See the offer', 'See the new offer') });
    const edited = await model(text, {}, { cache });
    assert.equal(cache.counters.compilations, 2);
    assert.notEqual(edited.contentHash, first.contentHash);
    assert.equal(edited.contentHash, contentHash(edited.mailing));
  });

  it('an MJML validation error is an error at its line in the .mjml file (English and Dutch), and blocks Confirm from the mailing', async () => {
    const built = await model(withContent('  mjml: news.mjml\n'), { 'news.mjml': BROKEN_MJML });
    const [invalid] = withCode(built, 'mjml-invalid');
    assert.equal(invalid.file, dir.file('ws/news.mjml'));
    assert.equal(invalid.severity, 'error');
    assert.equal(at(invalid).split('-')[0], '8:9');
    assert.equal(en(invalid), 'MJML <mj-text>: Attribute colour is illegal');
    assert.equal(en(invalid, 'nl'), 'MJML <mj-text>: Attribute colour is illegal (melding van MJML)');
    const [compile] = withCode(built, 'content-compile');
    assert.equal(compile.file, undefined, 'in the mailing itself');
    assert.equal(at(compile), '6:9-6:18');
    assert.equal(en(compile), 'news.mjml does not compile: 1 error, the first at line 8: Attribute colour is illegal');
    assert.equal(en(compile, 'nl'), 'news.mjml compileert niet: 1 fout, de eerste op regel 8: Attribute colour is illegal');
    assert.equal(built.hasErrors, true);
  });

  it('an error in an included file is at its line there; an include outside the workspace is refused and nothing is read from it', async () => {
    await dir.write({ 'outside/secret.mjml': '<mj-section><mj-column><mj-text>TOP-SECRET-LINE</mj-text></mj-column></mj-section>' });
    const withInclude = NEWS_MJML.replace('  <mj-body>\n', '  <mj-body>\n    <mj-include path="parts/header.mjml" />\n');
    const header = '<mj-section>\n  <mj-column>\n    <mj-text colour="red">Shop</mj-text>\n  </mj-column>\n</mj-section>\n';
    const built = await model(withContent('  mjml: news.mjml\n'), { 'news.mjml': withInclude, 'parts/header.mjml': header });
    const [invalid] = withCode(built, 'mjml-invalid');
    assert.equal(invalid.file, dir.file('ws/parts/header.mjml'));
    assert.equal(at(invalid).split('-')[0], '3:5');
    assert.match(en(withCode(built, 'content-compile')[0]), /the first at line 3 of parts\/header\.mjml: Attribute colour is illegal/);

    const outside = await model(withContent('  mjml: news.mjml\n'), { 'news.mjml': withInclude.replace('parts/header.mjml', '../outside/secret.mjml') });
    const [refused] = withCode(outside, 'path-outside');
    assert.equal(refused.file, dir.file('ws/news.mjml'));
    assert.equal(at(refused), '6:5-6:49');
    assert.ok(!JSON.stringify(outside).includes('TOP-SECRET-LINE'), 'nothing of the file outside reaches the model');
    assert.equal(outside.hasErrors, true);
  });

  it('Markdown is rendered into the layout, styled inline; the text part is the Markdown read as text', async () => {
    const letter = '# Spring news\n\nHello **{{firstName}}**, see [our offer](https://shop.example/o?e={{email}}).\n\n- tulips\n- daffodils\n';
    const text = withContent('  markdown: letter.md\n');
    const built = await model(text, { 'letter.md': letter });
    assert.deepEqual(codes(built), ['test-not-sent']); // our layout's one media query is no finding of the user's (offlineChecks.ts)
    const html = built.mailing.html!.source;
    assert.match(html, /<h1 style="[^"]*font-size:28px[^"]*">Spring news<\/h1>/);
    assert.ok(html.includes('<strong>{{firstName}}</strong>'), html);
    assert.ok(html.includes('href="https://shop.example/o?e={{email}}"'), html);
    assert.match(html, /max-width:600px/);
    assert.equal(built.mailing.text?.source, 'Spring news\n===========\n\nHello {{firstName}}, see our offer (https://shop.example/o?e={{email}}).\n\n- tulips\n- daffodils\n');

    const { parsed } = await sentTo(built, text, { 'letter.md': letter });
    assert.ok(String(parsed.html).includes('<strong>Ann</strong>'));
    assert.equal(parsed.text?.trim(), 'Spring news\n===========\n\nHello Ann, see our offer (https://shop.example/o?e=ann%40example.com).\n\n- tulips\n- daffodils');
  });

  it('a Markdown layout needs {{content}}; with it, the Markdown goes there', async () => {
    const text = withContent('  markdown: letter.md\n  layout: frame.html\n');
    const missing = await model(text, { 'letter.md': 'Hi {{firstName}}\n', 'frame.html': '<html><body><div class="frame"></div></body></html>' });
    const [layout] = withCode(missing, 'content-compile');
    assert.equal(en(layout), 'The layout frame.html has no `{{content}}`: write it where the Markdown goes');
    const framed = await model(text, { 'frame.html': '<html><body><div class="frame">{{ content }}</div></body></html>' });
    assert.deepEqual(withCode(framed, 'content-compile'), []);
    assert.match(framed.mailing.html!.source, /<div class="frame"><p style="[^"]*">Hi \{\{firstName\}\}<\/p>\n<\/div>/);
  });

  it('HTML with a <style> block has its CSS inlined (juice) by default, media queries kept, and so it is sent; `inlineCss: false` sends it as written', async () => {
    const page = '<html><head><style>p.lead { color: #c00; font-weight: bold; } @media (max-width: 600px) { p.lead { font-size: 20px; } }</style></head><body><p class="lead">Hello {{firstName}}</p></body></html>';
    const text = withContent('  html: page.html\n  text: |\n    Hello {{firstName}}\n');
    const built = await model(text, { 'page.html': page });
    assert.deepEqual(codes(built), ['test-not-sent', 'client-unsupported']); // the written CSS, as an inbox judges it
    const html = built.mailing.html!.source;
    assert.match(html, /<p class="lead" style="color: #c00; font-weight: bold;">Hello \{\{firstName\}\}<\/p>/);
    assert.match(html, /<style>\s*@media \(max-width: 600px\) \{\s*p\.lead \{\s*font-size: 20px;\s*\}\s*\}\s*<\/style>/);
    const { parsed } = await sentTo(built, text, { 'page.html': page });
    assert.match(String(parsed.html), /<p class="lead" style="color: #c00; font-weight: bold;">Hello Ann<\/p>/);

    const asWritten = await model(edit(text, '  html: page.html\n', '  html: page.html\n  inlineCss: false\n'));
    assert.equal(asWritten.mailing.html!.source, page);
  });

  it('mjml is loaded only by a mailing that uses it (a fresh process validates an HTML mailing, then an MJML one)', async () => {
    const examples = path.resolve(__dirname, '..', '..', '..', 'examples');
    const script = `
      const { buildConfirmModel } = require(${JSON.stringify(require.resolve('../../src/core/confirmModel'))});
      const { mjmlLoaded } = require(${JSON.stringify(require.resolve('../../src/core/load/content/engines'))});
      (async () => {
        await buildConfirmModel(${JSON.stringify(path.join(examples, 'newsletter', 'newsletter.mailing.yaml'))});
        const afterHtml = mjmlLoaded();
        await buildConfirmModel(${JSON.stringify(path.join(examples, 'mjml', 'announcement.mailing.yaml'))});
        process.stdout.write(JSON.stringify([afterHtml, mjmlLoaded()]));
      })();`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script]);
    assert.deepEqual(JSON.parse(stdout), [false, true]);
  });

  it('more than one source of the HTML is an error on the one not used', async () => {
    const built = await model(withContent('  html: <p>Hi</p>\n  mjml: news.mjml\n'), { 'news.mjml': NEWS_MJML });
    const [conflict] = withCode(built, 'content-conflict');
    assert.equal(en(conflict), '`content.html` is given beside `content.mjml`: the HTML comes from one of them; remove the other');
    assert.equal(at(conflict).split('-')[0], '6:3');
  });

  it('the preheader opens the HTML hidden, merge fields filled; without one, a warning (sharper for "View in browser")', async () => {
    const built = await model(CLEAN);
    assert.deepEqual(codes(built), ['test-not-sent']);
    const { parsed } = await sentTo(built, CLEAN);
    const html = String(parsed.html);
    assert.match(html, /^<div style="display:none;[^"]*mso-hide:all;" aria-hidden="true">Our news for Ann<\/div>/);
    assert.ok(html.indexOf('Our news for Ann') < html.indexOf('<p>Hello Ann'));
    assert.doesNotMatch(parsed.text ?? '', /Our news/, 'the text part has no preheader');

    const without = edit(CLEAN, 'preheader: Our news for {{firstName}}\n', '');
    const [missing] = withCode(await model(without), 'preheader-missing');
    assert.equal(en(missing), 'No preheader: inboxes show the first text of the message beside the subject (`Hello {{firstName}}, from {{city}}`); add `preheader:` with a line that makes people open it');
    const viewOnline = edit(without, '    <p>Hello', '    <p><a href="https://shop.example/web">View this email in your browser</a></p>\n    <p>Hello');
    const [view] = withCode(await model(viewOnline), 'preheader-view-in-browser');
    assert.equal(at(view), '7:43-7:74');
    assert.equal(en(view, 'nl'), 'Postvakken tonen `View this email in your browser` als voorbeeldtekst van dit bericht: voeg `preheader:` toe met waar het bericht over gaat');
  });
});
