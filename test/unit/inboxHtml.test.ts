// The Inbox step's view of the HTML: the model parsed once per content version (positions, merge
// fields masked, entities decoded), the classes of URLs, and the link and image findings, each
// triggered and not, at its line and column.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { buildHtmlModel, htmlModelFor } from '../../src/core/load/html/htmlModel';
import { inboxHtml } from '../../src/core/load/html/htmlSource';
import { findLinkProblems } from '../../src/core/load/html/linkChecks';
import { classifyUrl } from '../../src/core/load/html/urlClass';
import type { InboxFinding } from '../../src/core/facts/inboxFindings';
import { BASE_YAML, loadWith, positionOf } from '../support/inboxFixture';
import { tempDir } from '../support/mailingFixture';

const at = (f: { range: { start: { line: number; column: number } } }) => [f.range.start.line, f.range.start.column];

describe('inbox: the HTML model', () => {
  it('finds links, images (src, srcset, background, CSS url()), styles and the unsubscribe link at their offsets', () => {
    const html =
      '<html><head><style>\n.a { background: url("bg.png") }\n</style></head>\r\n<body background="paper.jpg">\n' +
      '  <a href="https://acme.example/?a=1&amp;b=2">One</a> <area href="https://acme.example/map">\n' +
      '  <img src="logo.png" srcset="logo.png 1x, logo@2x.png 2x" alt="">\n' +
      '  <p style="color: red; background-image: url(\'dots.gif\')">x</p>\n' +
      '  <a href="https://acme.example/leave?e={{email}}">Unsubscribe</a>\n</body></html>';
    const model = buildHtmlModel(html);
    assert.deepEqual(model.links.map((l) => [l.written, l.value, l.text]), [
      ['https://acme.example/?a=1&amp;b=2', 'https://acme.example/?a=1&b=2', 'One'],
      ['https://acme.example/map', 'https://acme.example/map', ''],
      ['https://acme.example/leave?e={{email}}', 'https://acme.example/leave?e=xxxxxxxxx', 'Unsubscribe'],
    ]);
    assert.equal(model.unsubscribe, model.links[2]);
    assert.deepEqual(model.links[2].fields, ['email']);
    assert.equal(model.links[2].fieldAtStart, false);
    assert.deepEqual(model.images.map((i) => [i.source, i.written, i.alt]), [
      ['css', 'bg.png', undefined],
      ['background', 'paper.jpg', undefined],
      ['img', 'logo.png', 'empty'],
      ['srcset', 'logo.png', undefined],
      ['srcset', 'logo@2x.png', undefined],
      ['css', 'dots.gif', undefined],
    ]);
    // Offsets are of the text as written (CRLF kept): each span reads what it names.
    for (const reference of [...model.links, ...model.images]) assert.equal(html.slice(reference.start, reference.end), reference.written);
    assert.deepEqual(at(model.images[4]), positionOf(html, 'logo@2x.png'));
    assert.deepEqual(model.styles.map((s) => s.kind), ['block', 'attribute']);
    assert.equal(model.styles[1].css, "color: red; background-image: url('dots.gif')");
  });

  it('masks merge fields, so a quoted default does not end an attribute; a field at the start of a URL is marked', () => {
    const html = '<a href="https://acme.example/p?n={{name | "you"}}">a</a> <a href=" {{site}}/x">b</a> <img src="{{photo}}">';
    const model = buildHtmlModel(html);
    assert.deepEqual(model.links.map((l) => [l.written, l.fields, l.fieldAtStart]), [
      ['https://acme.example/p?n={{name | "you"}}', ['name'], false],
      ['{{site}}/x', ['site'], true],
    ]);
    assert.equal(model.images[0].fieldAtStart, true);
  });

  it('is parsed once per content version and key; the latest text of each key is kept', () => {
    const first = htmlModelFor('/tmp/a.html', '<p>one</p>');
    assert.equal(htmlModelFor('/tmp/a.html', '<p>one</p>'), first);
    const second = htmlModelFor('/tmp/a.html', '<p>two</p>');
    assert.notEqual(second, first);
    assert.equal(htmlModelFor('/tmp/a.html', '<p>two</p>'), second);
    assert.notEqual(htmlModelFor('/tmp/b.html', '<p>two</p>'), second, 'another file has its own model');
  });
});

describe('inbox: URL classes', () => {
  const cases: [string, string][] = [
    ['https://acme.example/x', 'ok'],
    ['mailto:ann@example.test', 'ok'],
    ['tel:+31201234567', 'ok'],
    ['cid:logo@x', 'ok'],
    ['#top', 'fragment'],
    ['http://acme.example/', 'insecure'],
    ['', 'invalid:empty'],
    ['   ', 'invalid:empty'],
    ['https://', 'invalid:unparseable'],
    ['http://exa mple.com/', 'invalid:unparseable'],
    ['//cdn.example/x.png', 'invalid:no-scheme'],
    ['http://localhost:3000/', 'local:localhost'],
    ['https://app.localhost/', 'local:localhost'],
    ['http://printer.local/', 'local:localhost'],
    ['http://127.0.0.1/', 'local:loopback'],
    ['http://2130706433/', 'local:loopback'],
    ['http://[::1]/', 'local:loopback'],
    ['http://0.0.0.0/', 'local:loopback'],
    ['http://10.1.2.3/', 'local:private'],
    ['http://172.20.0.1/', 'local:private'],
    ['http://172.32.0.1/', 'insecure'],
    ['https://192.168.1.10/', 'local:private'],
    ['https://100.64.0.1/', 'local:private'],
    ['http://[fd12:3456::1]/', 'local:private'],
    ['http://[::ffff:10.0.0.1]/', 'local:private'],
    ['http://169.254.169.254/', 'local:link-local'],
    ['http://[fe80::1]/', 'local:link-local'],
    ['file:///home/ann/x.png', 'local:file'],
    ['images/logo.png', 'local:relative'],
    ['/img/logo.png', 'local:relative'],
    ['https://8.8.8.8/', 'ok'],
  ];
  for (const [url, expected] of cases) {
    it(`${JSON.stringify(url)} is ${expected}`, () => {
      const judged = classifyUrl(url);
      const reason = 'reason' in judged ? `:${judged.reason}` : '';
      assert.equal(judged.kind + reason, expected);
    });
  }
});

describe('inbox: link and image findings', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('mailings-inbox-');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function findingsFor(html: string): Promise<InboxFinding[]> {
    const loaded = await loadWith(dir, { 'news.html': html });
    return findLinkProblems(inboxHtml(loaded)!);
  }

  it('triggers each kind at the URL as written, in the HTML file', async () => {
    const html = [
      '<p><a href="">empty</a> <a href="https://">broken</a> <a href="http://localhost:8080/x">dev</a></p>',
      '<p><a href="http://acme.example/x">plain</a> <a href="news/page.html">relative</a> <a href="file:///C:/x.html">file</a></p>',
      '<p><img src="http://acme.example/pixel.gif" alt="p"> <img src="https://192.168.0.2/a.png" alt="a"> <img src="https://acme.example/b.png"></p>',
      '<p style="background:url(bg.png)"><img srcset="https://acme.example/c.png 1x, local.png 2x" src="https://acme.example/c.png" alt="c"></p>',
    ].join('\n');
    const found = await findingsFor(html);
    const summary = found.map((f) => [f.kind, 'reason' in f ? f.reason : '', 'url' in f ? f.url : 'src' in f ? f.src : '', ...at(f)]);
    const expect = (kind: string, reason: string, url: string, needle = url, after = '') => [kind, reason, url, ...positionOf(html, needle, after)];
    assert.deepEqual(summary, [
      // An empty value sits between its quotes.
      expect('link-invalid', 'empty', '', '">empty'),
      expect('link-invalid', 'unparseable', 'https://'),
      expect('link-local', 'localhost', 'http://localhost:8080/x'),
      expect('link-insecure', '', 'http://acme.example/x'),
      expect('link-local', 'relative', 'news/page.html'),
      expect('link-local', 'file', 'file:///C:/x.html'),
      expect('link-insecure', '', 'http://acme.example/pixel.gif'),
      expect('link-local', 'private', 'https://192.168.0.2/a.png'),
      ['image-alt-missing', '', 'https://acme.example/b.png', ...positionOf(html, '<img src="https://acme.example/b.png"')],
      expect('link-local', 'relative', 'bg.png'),
      expect('link-local', 'relative', 'local.png'),
    ]);
    for (const f of found) assert.ok(f.file?.endsWith('news.html'));
  });

  it('passes https links, mailto, fragments, alt="" and local <img> files (those are embedded), and URLs that begin with a merge field', async () => {
    const html =
      '<a href="https://acme.example/">a</a> <a href="mailto:x@acme.example">m</a> <a href="#top">t</a> <img src="https://acme.example/x.png" alt="">\n' +
      '<img src="logo.png" alt="Logo"> <a href="{{website}}">w</a> <a href="https://acme.example/u?e={{email}}">u</a>';
    assert.deepEqual(await findingsFor(html), []);
  });

  it('locates the findings of inline HTML (`html: |`) in the mailing file', async () => {
    const yaml = BASE_YAML.replace('  html: news.html', '  html: |\n    <p>Hi</p>\n    <p><a href="http://acme.example/x">x</a></p>');
    const loaded = await loadWith(dir, { 'news.mailing.yaml': yaml });
    const [finding] = findLinkProblems(inboxHtml(loaded)!);
    assert.equal(finding.kind, 'link-insecure');
    assert.equal(finding.file, undefined);
    assert.deepEqual(at(finding), positionOf(yaml, 'http://acme.example/x'));
  });
});
