// The Inbox step's offline checks as findings, each triggered and not, at its line and column:
// clipping, client support (real caniemail data), empty merge values, free-mail From, DKIM, and the
// `checks:` keys.
import { en } from '../fixtures/core/mailingFixture';
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { buildConfirmModel } from '../../src/core/confirmModel';
import { findUnsupported, resolveClient } from '../../src/core/inbox/clientSupport';
import { findClipping, GMAIL_CLIP_BYTES, largestHtml } from '../../src/core/inbox/clipping';
import type { InboxFinding } from '../../src/core/facts/inboxFindings';
import { inboxHtml } from '../../src/core/load/html/htmlSource';
import { findEmptyValues } from '../../src/core/inbox/mergeValues';
import { inboxFindings } from '../../src/core/inbox/offlineChecks';
import { findSenderProblems, freeMailDomain } from '../../src/core/inbox/sender';
import { inboxSettings } from '../../src/core/inbox/settings';
import { BASE_YAML, loadWith, positionOf } from '../support/inboxFixture';
import { tempDir } from '../support/mailingFixture';

const at = (f: { range: { start: { line: number; column: number } } }) => [f.range.start.line, f.range.start.column];
const of = <K extends InboxFinding['kind']>(found: InboxFinding[], kind: K) => found.filter((f): f is Extract<InboxFinding, { kind: K }> => f.kind === kind);

describe('inbox checks', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('mailings-inbox-checks-');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe('message-clipped', () => {
    it('measures the largest recipient without rendering anyone, and points where Gmail cuts', async () => {
      const filler = `<p>${'x'.repeat(1000)}</p>\n`;
      const head = `<html><body><p>Hi {{firstName}} from {{city}}</p>\n`;
      const csv = `email,firstName,city\nann@example.test,Ann,Delft\nlong@example.test,${'é'.repeat(3000)},Delft\n`;
      // Under the limit for Ann; over it for the recipient with a long name, by a few hundred bytes.
      const count = Math.floor((GMAIL_CLIP_BYTES - 3000) / filler.length);
      const html = `${head}${filler.repeat(count)}<p><a href="https://acme.example/u?e={{email}}">Unsubscribe</a></p></body></html>\n`;
      const loaded = await loadWith(dir, { 'news.html': html, 'people.csv': csv });
      const { bytes, recipient } = largestHtml(loaded, inboxHtml(loaded)!);
      const expected = Buffer.byteLength(html.replace('{{firstName}}', 'é'.repeat(3000)).replace('{{city}}', 'Delft').replace('{{email}}', encodeURIComponent('long@example.test')));
      assert.equal(bytes, expected);
      assert.equal(recipient?.email, 'long@example.test');
      const [clipped] = findClipping(loaded, inboxHtml(loaded)!);
      assert.equal(clipped.kind, 'message-clipped');
      assert.deepEqual([clipped.bytes, clipped.limit, clipped.recipient.row, path.basename(clipped.recipient.file ?? '')], [expected, GMAIL_CLIP_BYTES, 3, 'people.csv']);
      assert.equal(clipped.unsubscribeHidden, true);
      // The place: the byte where the limit is passed, in the HTML file.
      const prefix = html.replace('{{firstName}}', 'é'.repeat(3000)).replace('{{city}}', 'Delft');
      let cut = 0;
      for (let bytes = 0; bytes + Buffer.byteLength(prefix[cut]) <= GMAIL_CLIP_BYTES; cut++) bytes += Buffer.byteLength(prefix[cut]);
      const shift = prefix.length - html.length;
      assert.deepEqual(at(clipped), positionOf(html.slice(0, cut - shift) + '\u0000', '\u0000'));
      // Without the long name, nobody is clipped.
      const short = await loadWith(dir, { 'news.html': html });
      assert.deepEqual(findClipping(short, inboxHtml(short)!), []);
    });
  });

  describe('client-unsupported (caniemail data)', () => {
    it('names a feature Outlook does not support, at the declaration, with the clients', async () => {
      const html = '<table role="presentation"><tr><td>\n  <div style="color: #333; border-radius: 4px">x</div>\n</td></tr></table>';
      const loaded = await loadWith(dir, { 'news.html': html });
      const found = of(inboxFindings(loaded), 'client-unsupported');
      const radius = found.find((f) => f.feature === 'border-radius');
      assert.ok(radius, JSON.stringify(found.map((f) => f.feature)));
      assert.deepEqual(at(radius), positionOf(html, 'border-radius'));
      assert.ok(radius.clients.includes('outlook.windows'), radius.clients.join());
      assert.ok(radius.clientNames.includes('Outlook (Windows)'));
      assert.equal(radius.url, 'https://www.caniemail.com/features/css-border-radius/');
      assert.ok(radius.file?.endsWith('news.html'));
    });

    it('says nothing of what every default client supports (a table, text-align, background-color, bold)', async () => {
      const html = '<table><tr><td style="text-align: center; background-color: #fff; font-weight: bold">x</td></tr></table>';
      const loaded = await loadWith(dir, { 'news.html': html });
      assert.deepEqual(of(inboxFindings(loaded), 'client-unsupported'), []);
    });

    it('follows checks.clients: only the chosen clients count; an unknown one is named with a suggestion', async () => {
      const html = '<div style="border-radius: 4px">x</div>';
      const yaml = `${BASE_YAML}\nchecks:\n  clients: [Gmail, Apple Mail, outlok]\n`;
      const loaded = await loadWith(dir, { 'news.html': html, 'news.mailing.yaml': yaml });
      const found = inboxFindings(loaded);
      assert.deepEqual(of(found, 'client-unsupported'), [], 'Gmail and Apple Mail support border-radius');
      const [unknown] = of(found, 'client-unknown');
      assert.deepEqual([unknown.client, unknown.suggestion, ...at(unknown)], ['outlok', 'Outlook', ...positionOf(yaml, 'outlok')]);
      assert.deepEqual(resolveClient('outlook.windows'), { ok: true, ids: ['outlook.windows'] });
      assert.ok((resolveClient('*.ios') as { ids: string[] }).ids.includes('apple-mail.ios'));
      assert.deepEqual(inboxSettings(loaded).clients.sort(), [...(resolveClient('gmail') as { ids: string[] }).ids, ...(resolveClient('Apple Mail') as { ids: string[] }).ids].sort());
    });

    it('locates CSS of a <style> block at its rule, and an at-rule at each @', async () => {
      const html = '<html><head><style>\n.a { color: red }\n@media (max-width: 600px) { .b { width: 100% } }\n</style></head><body>x</body></html>';
      const loaded = await loadWith(dir, { 'news.html': html });
      const settings = inboxSettings(loaded);
      const found = of(findUnsupported(inboxHtml(loaded)!, settings.clients), 'client-unsupported');
      const media = found.find((f) => f.feature === '@media');
      assert.ok(media, JSON.stringify(found.map((f) => f.feature)));
      assert.deepEqual(at(media), positionOf(html, '@media'));
      assert.ok(media.clients.includes('outlook.windows'));
    });
  });

  describe('merge-value-empty', () => {
    it('counts the recipients without a value, names the first rows and contacts, at the first use', async () => {
      const csv = 'email,firstName,city\nann@example.test,Ann,\nbob@example.test,,Utrecht\ncy@example.test,Cy,  \n';
      const yaml = BASE_YAML.replace('    - file: people.csv', '    - file: people.csv\n    - { email: dee@example.test, firstName: Dee }');
      const html = '<p>Hi {{firstName | "reader"}}</p>\n<p>News from {{city}}, and {{city}} again.</p>';
      const loaded = await loadWith(dir, { 'news.html': html, 'people.csv': csv, 'news.mailing.yaml': yaml });
      const found = findEmptyValues(loaded);
      // firstName is empty for Bob, but its HTML use has a default; the subject's use does not.
      const byField = new Map(found.map((f) => [f.kind === 'merge-value-empty' ? f.field : '', f]));
      const city = byField.get('city') as Extract<InboxFinding, { kind: 'merge-value-empty' }>;
      assert.deepEqual([city.count, city.total, ...at(city)], [3, 4, ...positionOf(html, '{{city}}')]);
      assert.deepEqual(city.places, [{ file: path.join(await fs.realpath(dir), 'people.csv'), rows: [2, 4], more: 0 }, { contacts: ['dee@example.test'], more: 0 }]);
      const first = byField.get('firstName') as Extract<InboxFinding, { kind: 'merge-value-empty' }>;
      assert.deepEqual([first.count, first.file, ...at(first)], [1, undefined, ...positionOf(BASE_YAML, '{{firstName}}')]);
    });

    it('a default on every use silences it; full values never trigger it', async () => {
      const yaml = BASE_YAML.replace('"Hello {{firstName}}"', '"Hello {{firstName|\'reader\'}}"');
      const csv = 'email,firstName,city\nann@example.test,,Delft\n';
      const loaded = await loadWith(dir, { 'news.html': '<p>Hi {{ firstName | "you" }} in {{city}}</p>', 'people.csv': csv, 'news.mailing.yaml': yaml });
      assert.deepEqual(findEmptyValues(loaded), []);
    });
  });

  describe('from-freemail and dkim-missing', () => {
    it('knows the free-mail domains of the maintained list, their subdomains, case aside', () => {
      for (const [address, domain] of [
        ['ann@gmail.com', 'gmail.com'],
        ['Ann@GMAIL.COM', 'gmail.com'],
        ['x@yahoo.com', 'yahoo.com'],
        ['x@outlook.com', 'outlook.com'],
        ['x@hotmail.com', 'hotmail.com'],
        ['x@icloud.com', 'icloud.com'],
        ['x@gmx.de', 'gmx.de'],
        ['x@gmx.net', 'gmx.net'],
        ['x@web.de', 'web.de'],
        ['x@mail.gmx.de', 'gmx.de'],
        ['x@acme.example', undefined],
        ['x@notgmail.com', undefined],
      ] as const) {
        assert.equal(freeMailDomain(address), domain, address);
      }
    });

    it('from-freemail at the From value (string or mapping); not for an own domain', async () => {
      const yaml = BASE_YAML.replace('from: Acme News <news@acme.example>', 'from: Acme News <acme.news@Gmail.com>');
      const loaded = await loadWith(dir, { 'news.html': '<p>x</p>', 'news.mailing.yaml': yaml });
      const [finding] = findSenderProblems(loaded);
      assert.deepEqual([finding.kind, (finding as { provider: string }).provider, ...at(finding)], ['from-freemail', 'gmail.com', ...positionOf(yaml, 'Acme News <')]);
      const mapping = BASE_YAML.replace('from: Acme News <news@acme.example>', 'from:\n  name: Acme\n  email: acme@web.de');
      const loadedMapping = await loadWith(dir, { 'news.html': '<p>x</p>', 'news.mailing.yaml': mapping });
      assert.deepEqual(at(findSenderProblems(loadedMapping)[0]), positionOf(mapping, 'acme@web.de'));
      assert.deepEqual(findSenderProblems(await loadWith(dir, { 'news.html': '<p>x</p>' })), []);
    });

    it('dkim-missing for SMTP without DKIM, at the transport; not with DKIM, not for the outbox', async () => {
      const smtp = `${BASE_YAML}\nsending:\n  transport: smtp\n`;
      const loaded = await loadWith(dir, { 'news.html': '<p>x</p>', 'news.mailing.yaml': smtp });
      assert.deepEqual(findSenderProblems(loaded).map((f) => [f.kind, ...at(f)]), [['dkim-missing', ...positionOf(smtp, 'smtp')]]);
      const signed = `${smtp}  dkim:\n    domain: acme.example\n    selector: s1\n    privateKey: dkim.pem\n`;
      assert.deepEqual(findSenderProblems(await loadWith(dir, { 'news.html': '<p>x</p>', 'news.mailing.yaml': signed, 'dkim.pem': 'key' })), []);
      assert.deepEqual(findSenderProblems(await loadWith(dir, { 'news.html': '<p>x</p>' })), []);
    });
  });

  it('the confirm model carries the findings when asked (ConfirmOptions.inbox), and not otherwise', async () => {
    await loadWith(dir, { 'news.html': '<p><a href="http://acme.example/">x</a> <img src="https://acme.example/x.png"></p>' });
    const file = path.join(dir, 'news.mailing.yaml');
    const model = await buildConfirmModel(file, { inbox: true });
    assert.deepEqual(model.inbox?.map((f) => f.kind).sort(), ['image-alt-missing', 'link-insecure']);
    assert.equal((await buildConfirmModel(file)).inbox, undefined);
  });

  it('merge-link-unsafe counts a safe default in place of an empty value', async () => {
    const csv = 'email,firstName,site\nann@example.test,Ann,\nbob@example.test,Bob,https://bob.example/\n';
    const file = path.join(dir, 'news.mailing.yaml');
    await loadWith(dir, { 'news.html': '<a href="{{site | \'https://acme.example/\'}}">site</a>', 'people.csv': csv });
    assert.deepEqual((await buildConfirmModel(file)).diagnostics.filter((d) => d.code === 'merge-link-unsafe'), []);
    await loadWith(dir, { 'news.html': '<a href="{{site}}">site</a>', 'people.csv': csv });
    const [unsafe] = (await buildConfirmModel(file)).diagnostics.filter((d) => d.code === 'merge-link-unsafe');
    assert.match(en(unsafe), /1 recipient.*row 2/);
  });

  it('checks: is a key the schema knows; merge-syntax explains a malformed default', async () => {
    const yaml = `${BASE_YAML.replace('"Hello {{firstName}}"', '"Hello {{firstName | reader}}"')}\nchecks:\n  clients: [Gmail]\n  spam: { warning: 2, error: 4 }\n`;
    await loadWith(dir, { 'news.html': '<p>x</p>', 'news.mailing.yaml': yaml });
    const model = await buildConfirmModel(path.join(dir, 'news.mailing.yaml'));
    assert.deepEqual(model.diagnostics.filter((d) => d.code === 'schema'), []);
    const syntax = model.diagnostics.find((d) => d.code === 'merge-syntax');
    assert.ok(syntax);
    assert.match(en(syntax), /must be in double quotes; write a default as `\{\{field \| "default"\}\}`/);
    assert.deepEqual([syntax.range.start.line, syntax.range.start.column], positionOf(yaml, '{{firstName | reader}}'));
  });
});
