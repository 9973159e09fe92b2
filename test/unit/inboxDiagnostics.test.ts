// The Inbox step's codes as the confirm model gives them: each triggered (its severity, the step, the
// file and line:column it is located at, its text in English and Dutch) and not; and on-demand
// results added to a model (withInboxResults): counted, blocking, and dropped for other content.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { buildConfirmModel, toResolvedMailing, withInboxResults, NotConfirmableError } from '../../src/core/confirmModel';
import { spamDiagnostics } from '../../src/core/checks/inbox';
import { Formatter } from '../../src/core/facts/format';
import { summaryLine } from '../../src/core/facts/render';
import { GMAIL_CLIP_BYTES } from '../../src/core/inbox/clipping';
import { mailingStateDir } from '../../src/core/state/paths';
import { writeTestRecord } from '../../src/core/state/testRecord';
import type { ConfirmModel, DiagnosticCode } from '../../src/core/types';
import { en, summaryLines } from '../fixtures/core/mailingFixture';
import { BASE_YAML, loadWith, positionOf } from '../support/inboxFixture';
import { tempDir } from '../support/resolvedMailings';

interface Case {
  code: DiagnosticCode;
  severity: 'error' | 'warning';
  files: Record<string, string | Buffer>;
  /** The file the diagnostic is in, and the text whose first occurrence (after `after`) it starts at, or its 0-based [line, column]. */
  at: { file: string; needle: string; after?: string } | { file: string; position: [number, number] };
  en: string;
  nl: string;
  /** The same mailing put right: the code is gone. */
  clean: Record<string, string | Buffer>;
}

const SMTP_YAML = `${BASE_YAML}\nsending:\n  transport: smtp\n`;
const FREEMAIL_YAML = BASE_YAML.replace('news@acme.example', 'acme.news@gmail.com');
const EMPTY_CITY_CSV = 'email,firstName,city\nann@example.test,Ann,\nbob@example.test,Bob,Utrecht\n';
const CLIPPED_HTML = `<p>${'x'.repeat(GMAIL_CLIP_BYTES + 5000)}</p>`;

const CASES: Case[] = [
  {
    code: 'link-invalid',
    severity: 'error',
    files: { 'news.html': '<p>Read <a href="">the list</a></p>' },
    // At the empty value, between the quotes.
    at: { file: 'news.html', needle: '">the list' },
    en: 'Empty address: `<a href="">` leads nowhere in an inbox; write the full address (https://…)',
    nl: 'Leeg adres: `<a href="">` leidt in een inbox nergens heen; schrijf het volledige adres (https://…)',
    clean: { 'news.html': '<p>Read <a href="https://acme.example/list">the list</a></p>' },
  },
  {
    code: 'link-local',
    severity: 'error',
    files: { 'news.html': '<p>\n  <a href="http://192.168.1.5/shop">shop</a>\n</p>' },
    at: { file: 'news.html', needle: 'http://192.168.1.5/shop' },
    en: 'Link `http://192.168.1.5/shop` points to 192.168.1.5, an address of a private network: recipients cannot reach it: put it on a public web server and write its https:// address',
    nl: 'Link `http://192.168.1.5/shop` verwijst naar 192.168.1.5, een adres van een privénetwerk: ontvangers kunnen het niet bereiken: zet het op een openbare webserver en schrijf het https://-adres',
    clean: { 'news.html': '<p>\n  <a href="https://shop.acme.example/">shop</a>\n</p>' },
  },
  {
    code: 'link-insecure',
    severity: 'warning',
    files: { 'news.html': '<p>x</p>\n<p><a href="http://acme.example/">site</a></p>' },
    at: { file: 'news.html', needle: 'http://acme.example/' },
    en: 'Link `http://acme.example/` uses http: it travels unencrypted and clients may warn about it; use https://',
    nl: 'Link `http://acme.example/` gebruikt http: hij gaat onversleuteld over het net en e-mailprogramma’s kunnen ervoor waarschuwen; gebruik https://',
    clean: { 'news.html': '<p>x</p>\n<p><a href="https://acme.example/">site</a></p>' },
  },
  {
    code: 'image-alt-missing',
    severity: 'warning',
    files: { 'news.html': '<p>x</p>\n<p><img src="https://acme.example/x.png"></p>' },
    at: { file: 'news.html', needle: '<img' },
    en: 'Image `https://acme.example/x.png` has no `alt`: where images are blocked nothing shows in its place, and screen readers read out the file name; add `alt="…"`, or `alt=""` for a decorative image',
    nl: 'Afbeelding `https://acme.example/x.png` heeft geen `alt`: waar afbeeldingen geblokkeerd worden staat er niets op haar plaats, en schermlezers lezen de bestandsnaam voor; voeg `alt="…"` toe, of `alt=""` voor een decoratieve afbeelding',
    // alt="" is a deliberate choice.
    clean: { 'news.html': '<p>x</p>\n<p><img src="https://acme.example/x.png" alt=""></p>' },
  },
  {
    code: 'image-missing',
    severity: 'error',
    files: { 'news.html': '<p>x</p>\n<p><img src="img/logo.png" alt="Acme"></p>' },
    at: { file: 'news.html', needle: 'img/logo.png' },
    en: 'Image `img/logo.png` does not exist: a local image is embedded in every message, relative to the HTML file',
    nl: 'Afbeelding `img/logo.png` bestaat niet: een lokale afbeelding wordt in elk bericht ingesloten, ten opzichte van het HTML-bestand',
    clean: { 'news.html': '<p>x</p>\n<p><img src="img/logo.png" alt="Acme"></p>', 'img/logo.png': Buffer.from('png') },
  },
  {
    code: 'image-large',
    severity: 'warning',
    files: { 'news.html': '<p><img src="big.png" alt="Big"></p>', 'big.png': Buffer.alloc(1_600_000) },
    at: { file: 'news.html', needle: 'big.png' },
    en: 'Image `big.png` is 1.5 MB, over 1 MB: it is embedded in every message, which makes each slow to load and more likely to be refused; make it smaller, or link to it on a web server',
    nl: 'Afbeelding `big.png` is 1,5 MB, meer dan 1 MB: ze wordt in elk bericht ingesloten, waardoor elk bericht traag laadt en eerder geweigerd wordt; maak haar kleiner, of verwijs ernaar op een webserver',
    clean: { 'news.html': '<p><img src="big.png" alt="Big"></p>', 'big.png': Buffer.alloc(900_000) },
  },
  {
    code: 'message-clipped',
    severity: 'warning',
    files: { 'news.html': CLIPPED_HTML },
    // Where Gmail cuts: the first byte past the limit (ASCII: that many characters in).
    at: { file: 'news.html', position: [0, GMAIL_CLIP_BYTES] },
    // 104,448 + 5,007 bytes: 107 KB.
    en: 'The HTML for ann@example.test (people.csv row 2) is 107 KB, over Gmail’s 102 KB limit: Gmail cuts the message here and hides the rest behind “View entire message”; make the HTML smaller',
    nl: 'De HTML voor ann@example.test (people.csv rij 2) is 107 KB, meer dan de grens van 102 KB van Gmail: Gmail knipt het bericht hier af en verbergt de rest achter “Volledig bericht weergeven”; maak de HTML kleiner',
    clean: { 'news.html': `<p>${'x'.repeat(GMAIL_CLIP_BYTES - 5000)}</p>` },
  },
  {
    code: 'client-unsupported',
    severity: 'warning',
    files: { 'news.html': '<p>x</p>\n<p style="color:#333; border-radius:4px">x</p>' },
    at: { file: 'news.html', needle: 'border-radius' },
    en: 'border-radius is not supported by Outlook (Windows, Windows Mail): see https://www.caniemail.com/features/css-border-radius/',
    nl: 'border-radius wordt niet ondersteund door Outlook (Windows, Windows Mail): zie https://www.caniemail.com/features/css-border-radius/',
    clean: { 'news.html': '<p>x</p>\n<p style="color:#333">x</p>' },
  },
  {
    code: 'merge-value-empty',
    severity: 'warning',
    files: { 'news.html': '<p>Hi {{firstName}},</p>\n<p>News from {{city}}</p>', 'people.csv': EMPTY_CITY_CSV },
    at: { file: 'news.html', needle: '{{city}}' },
    en: '{{city}} is empty for 1 of the 2 recipients (people.csv row 2): they would read nothing here; fill in the values, or give a default: {{city | "…"}}',
    nl: '{{city}} is leeg voor 1 van de 2 ontvangers (people.csv rij 2): zij lezen hier niets; vul de waarden in, of geef een standaardwaarde: {{city | "…"}}',
    clean: { 'news.html': '<p>Hi {{firstName}},</p>\n<p>News from {{city | "our town"}}</p>', 'people.csv': EMPTY_CITY_CSV },
  },
  {
    code: 'from-freemail',
    severity: 'error',
    files: { 'news.html': '<p>x</p>', 'news.mailing.yaml': FREEMAIL_YAML },
    at: { file: 'news.mailing.yaml', needle: 'Acme News <acme.news@gmail.com>' },
    en: 'From acme.news@gmail.com is on gmail.com, a free-mail domain: its DMARC policy makes Gmail, Yahoo and others reject mail in its name that another server sends; send from a domain of your own',
    nl: 'Afzender acme.news@gmail.com hoort bij gmail.com, een gratis maildomein: door het DMARC-beleid daarvan weigeren Gmail, Yahoo en anderen mail uit zijn naam die een andere server verstuurt; verzend vanaf een eigen domein',
    clean: { 'news.html': '<p>x</p>' },
  },
  {
    code: 'dkim-missing',
    severity: 'warning',
    files: { 'news.html': '<p>x</p>', 'news.mailing.yaml': SMTP_YAML },
    at: { file: 'news.mailing.yaml', needle: 'smtp', after: 'transport:' },
    en: 'SMTP without DKIM signing: Gmail and Yahoo require DKIM of bulk senders since February 2024; add `sending.dkim` with `domain`, `selector` and `privateKey`',
    nl: 'SMTP zonder DKIM-ondertekening: Gmail en Yahoo eisen sinds februari 2024 DKIM van bulkverzenders; voeg `sending.dkim` toe met `domain`, `selector` en `privateKey`',
    clean: { 'news.html': '<p>x</p>', 'news.mailing.yaml': `${SMTP_YAML}  dkim:\n    domain: acme.example\n    selector: s1\n    privateKey: dkim.pem\n`, 'dkim.pem': 'key' },
  },
];

describe('inbox diagnostics in the confirm model', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('mailings-inbox-diagnostics-');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const model = async (files: Record<string, string | Buffer>, stateRoot?: string) => {
    await fs.rm(path.join(dir, 'news.html'), { force: true });
    await loadWith(dir, files);
    return buildConfirmModel(path.join(dir, 'news.mailing.yaml'), stateRoot ? { stateRoot } : {});
  };

  for (const c of CASES) {
    it(`${c.code}: ${c.severity === 'error' ? 'an' : 'a'} ${c.severity} of the inbox step at its place, in English and Dutch; gone when put right`, async () => {
      const found = (await model(c.files)).diagnostics.filter((d) => d.code === c.code);
      assert.equal(found.length, 1, JSON.stringify(found));
      const [d] = found;
      assert.deepEqual([d.severity, d.step], [c.severity, 'inbox']);
      assert.equal(d.file ?? path.join(dir, 'news.mailing.yaml'), path.join(dir, c.at.file));
      const text = c.at.file === 'news.mailing.yaml' ? String(c.files['news.mailing.yaml'] ?? BASE_YAML) : String(c.files[c.at.file]);
      assert.deepEqual([d.range.start.line, d.range.start.column], 'position' in c.at ? c.at.position : positionOf(text, c.at.needle, c.at.after));
      assert.equal(en(d), c.en);
      assert.equal(en(d, 'nl'), c.nl);
      const clean = await model(c.clean);
      assert.deepEqual(clean.diagnostics.filter((x) => x.code === c.code), []);
    });
  }

  it('an Inbox error blocks Send now and Schedule as any other; the step counts it', async () => {
    const m = await model({ 'news.html': '<p><a href="http://localhost/x">x</a></p>' });
    const inbox = m.steps.find((s) => s.step === 'inbox')!;
    assert.deepEqual([inbox.complete, inbox.errors, inbox.warnings], [false, 1, 0]);
    assert.equal(m.hasErrors, true);
    assert.throws(() => toResolvedMailing(m), (error: unknown) => error instanceof NotConfirmableError && error.errors.some((e) => e.code === 'link-local'));
  });

  it('on-demand results join the model while its content is the same: counted, blocking, their summary fact in place', async () => {
    // Tested, so nothing else blocks it.
    const stateRoot = path.join(dir, '.mailings');
    const file = path.join(dir, 'news.mailing.yaml');
    const untested = await model({ 'news.html': '<p>x</p>' }, stateRoot);
    await writeTestRecord(mailingStateDir(stateRoot, file), { version: 1, at: new Date().toISOString(), to: ['me@acme.example'], hash: untested.contentHash!, messageIds: [] });
    const m = await buildConfirmModel(file, { stateRoot });
    assert.equal(m.hasErrors, false, JSON.stringify(m.diagnostics));
    assert.deepEqual(summaryLines(m, 'inbox').at(-1), 'Spam score: not scored yet (after a save in VS Code, Check spam score on the Confirm page, or mailings validate --spam)');
    const range = m.inbox!.spam.range;
    const scored = { kind: 'scored' as const, score: 6.2, required: 5, rules: [{ name: 'LOTS_OF_MONEY', points: 6.2, description: 'money' }] };
    const result = {
      contentHash: m.contentHash,
      diagnostics: spamDiagnostics(scored, m.inbox!.spam, range, 'ann@example.test'),
      facts: [{ code: 'summary-spam' as const, args: { kind: 'scored' as const, score: 6.2, warning: 3, error: 5 } }],
    };
    const joined: ConfirmModel = withInboxResults(m, result);
    assert.deepEqual(joined.diagnostics.filter((d) => d.severity !== 'info' && d.step === 'inbox').map((d) => [d.code, d.severity, d.step]), [['spam-score', 'error', 'inbox']]);
    assert.equal(joined.hasErrors, true);
    const inbox = joined.steps.find((s) => s.step === 'inbox')!;
    assert.deepEqual([inbox.complete, inbox.errors], [false, 1]);
    const lines = summaryLines(joined, 'inbox');
    assert.equal(lines.filter((l) => l.startsWith('Spam score')).length, 1, 'the fact replaced, not added');
    assert.equal(lines.at(-1), 'Spam score: 6.2 points (SpamAssassin; a warning over 3, an error over 5)');
    const nl = new Formatter('nl', { timezone: 'Europe/Amsterdam', now: new Date() });
    assert.deepEqual(inbox.facts.map((fact) => summaryLine(fact, nl)), [
      'Links en afbeeldingen: 0 links, 0 afbeeldingen',
      'Grootste bericht: 8 B HTML (Gmail knipt af boven 102 KB)',
      'Gecontroleerde e-mailprogramma’s: Gmail, Outlook, Apple Mail en Yahoo! Mail',
      'Spamscore: 6,2 punten (SpamAssassin; een waarschuwing boven 3, een fout boven 5)',
    ]);
    // A result for other content (the file edited since) is left out.
    assert.equal(withInboxResults(m, { ...result, contentHash: 'other' }), m);
  });
});
