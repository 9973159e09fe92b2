// The template renderer against nodemailer's own composition (nodemailerRenderer), byte level: for a
// corpus of mailings and recipients, both messages parse (mailparser) to the same headers, the same
// decoded text and HTML, the same attachments, the same MIME structure and transfer encodings; and
// the template renderer's bytes keep the rules of a message on the wire (CRLF only, short lines).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { nodemailerRenderer } from '../../src/core/render/nodemailerRenderer';
import { prepareMailing } from '../../src/core/render/prepared';
import type { PersonalizeOptions } from '../../src/core/render/recipientHeaders';
import type { RenderedMessage } from '../../src/core/render/renderer';
import { templateRenderer } from '../../src/core/render/templateRenderer';
import type { InlineImage, Recipient, ResolvedMailing } from '../../src/core/types';
import { makeMailing, tempDir, type FixtureOptions } from '../support/mailingFixture';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const DATE = new Date(Date.UTC(2024, 10, 8, 9, 30, 15));

function recipient(email: string, fields: Record<string, string> = {}): Recipient {
  return { email, fields: { email, ...fields } };
}

/** The header fields of a raw message, unfolded, in order; the boundary parameter left out. */
function headerFields(raw: Buffer): string[] {
  const text = raw.toString('utf8');
  const head = text.slice(0, text.indexOf('\r\n\r\n'));
  return head
    .split(/\r?\n(?![ \t])/)
    .map((field) => field.replace(/\r?\n[ \t]/g, ' '))
    .map((field) => (/^content-type:/i.test(field) ? field.replace(/;\s*boundary="?[^";]*"?/i, '') : field));
}

/** Every part's Content-Type (without boundary) and Content-Transfer-Encoding, in order: the MIME structure. */
function structure(raw: Buffer): string[] {
  const found: string[] = [];
  const text = raw.toString('utf8').replace(/\r?\n[ \t]+/g, ' ');
  for (const match of text.matchAll(/^(content-type|content-transfer-encoding):\s*([^\r\n]*)/gim)) {
    found.push(`${match[1].toLowerCase()}: ${match[2].replace(/;\s*boundary="?[^";]*"?/i, '').trim()}`);
  }
  return found;
}

function comparable(parsed: ParsedMail, sameEncodings: boolean) {
  const headers = [...parsed.headers].filter(([key]) => sameEncodings || key !== 'content-transfer-encoding').map(([key, value]) => {
    if (key === 'content-type' && typeof value === 'object' && value && 'params' in value) {
      const params = { ...(value as { params: Record<string, string> }).params };
      delete params.boundary;
      return [key, { ...(value as object), params }];
    }
    return [key, value];
  });
  return {
    headers,
    text: parsed.text,
    html: parsed.html,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      contentDisposition: a.contentDisposition,
      content: a.content.toString('base64'),
      headers: [...a.headers],
    })),
  };
}

interface Compared {
  reference: RenderedMessage;
  fast: RenderedMessage;
  parsed: ParsedMail;
}

/** Renders one recipient with both renderers and asserts they say the same; returns both. */
async function compare(
  mailing: ResolvedMailing,
  who: Recipient,
  options: PersonalizeOptions & { sameEncodings?: boolean } = {},
  index = 7,
): Promise<Compared> {
  const prepared = await prepareMailing(mailing, { messageIdToken: 'lx2k9.0a1b2c3d4e5f' });
  const { sameEncodings = true, ...personalize } = options;
  const reference = await nodemailerRenderer(prepared).render(who, index, { ...personalize, date: DATE });
  const fast = await templateRenderer(prepared).render(who, index, { ...personalize, date: DATE });
  assert.equal(fast.index, reference.index);
  assert.deepEqual(fast.to, reference.to);
  assert.equal(fast.messageId, reference.messageId);
  assert.deepEqual(fast.envelope, reference.envelope);

  // A body holding a lone CR goes quoted-printable rather than nodemailer's 7bit with a bare CR.
  const transferEncoding = (field: string) => sameEncodings || !/^content-transfer-encoding:/i.test(field);
  assert.deepEqual(headerFields(fast.raw).filter(transferEncoding), headerFields(reference.raw).filter(transferEncoding), 'header fields, byte for byte');
  const expected = structure(reference.raw);
  const actual = structure(fast.raw);
  if (sameEncodings) assert.deepEqual(actual, expected, 'MIME structure and transfer encodings');
  else assert.deepEqual(actual.filter((l) => l.startsWith('content-type')), expected.filter((l) => l.startsWith('content-type')), 'MIME structure');

  const [parsedReference, parsedFast] = await Promise.all([simpleParser(reference.raw), simpleParser(fast.raw)]);
  assert.deepEqual(comparable(parsedFast, sameEncodings), comparable(parsedReference, sameEncodings));
  assertWireFormat(fast.raw);
  return { reference, fast, parsed: parsedFast };
}

/** CRLF line ends only, body lines within 76 characters (RFC 2045), headers within RFC 5322's 998. */
function assertWireFormat(raw: Buffer): void {
  const text = raw.toString('latin1');
  assert.ok(text.endsWith('\r\n'), 'ends with a line break');
  assert.doesNotMatch(text, /[^\r]\n|\r(?!\n)/, 'CRLF line ends only');
  const bodyStart = text.indexOf('\r\n\r\n');
  for (const line of text.slice(0, bodyStart).split('\r\n')) assert.ok(line.length <= 998, `header line of ${line.length}`);
  for (const line of text.slice(bodyStart + 4).split('\r\n')) {
    if (/^Content-|^ /i.test(line)) continue; // part headers (folded by nodemailer)
    assert.ok(line.length <= 76, `body line of ${line.length}: ${line.slice(0, 80)}`);
  }
}

const HTML =
  '<html><body><h1>Hello {{firstName}}</h1>\n' +
  '<p>News for {{email}} from {{city}}.</p>\n' +
  '<p>A long paragraph that goes on for a while so that quoted-printable has to wrap it somewhere, ' +
  'with {{city}} in the middle of it and more words after it, well past seventy-six characters.</p>\n' +
  '<p><a href="https://acme.example/u?e={{email}}&amp;c={{city}}">Unsubscribe</a></p></body></html>\n';

const TEXT = 'Hello {{firstName}},\n\nNews for {{email}} from {{city}}.\nUnsubscribe: https://acme.example/u?e={{email}}\n';

const ASSORTED: Recipient[] = [
  recipient('ann@example.test', { firstName: 'Ann', city: 'Delft' }),
  recipient('zoe@example.test', { firstName: 'Zoë Ñúñez-Øster', city: 'Zürich & Genève' }),
  recipient('emoji@example.test', { firstName: '🎉 Party 👩‍👩‍👧 time', city: '東京' }),
  recipient('quotes@example.test', { firstName: 'Zoë "Z" <script>alert(1)</script>', city: "O'Hara & <Sons>" }),
  recipient('crlf@example.test', { firstName: 'Line\r\nBcc: evil@attacker.test\r\n\r\nbody', city: 'two\nlines\n' }),
  recipient('spaces@example.test', { firstName: 'trailing   ', city: '\ttab\t' }),
  recipient('equals@example.test', { firstName: 'a=b =?utf-8?Q?x?= ==', city: '.\n..\n.' }),
  recipient('long@example.test', { firstName: 'Long'.repeat(60), city: `${'word '.repeat(80)}end` }),
  recipient('longnonascii@example.test', { firstName: 'é'.repeat(200), city: '€'.repeat(90) }),
  recipient('plus+tag@example.test', { firstName: 'Plus', city: 'a+b@c?d=e&f' }),
  recipient('missing@example.test', {}),
];

describe('templateRenderer', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('mailings-template-');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function mailingWith(options: Omit<FixtureOptions, 'dir'> = {}): Promise<ResolvedMailing> {
    return makeMailing({ dir, ...options });
  }

  it('HTML and text: every recipient of an assorted list as nodemailer composes it', async () => {
    const mailing = await mailingWith({ mailing: { html: { source: HTML }, text: { source: TEXT } } });
    for (const who of ASSORTED) await compare(mailing, who);
  });

  it('plain text only, short lines: 7bit as nodemailer chooses, quoted-printable once a value needs it', async () => {
    const mailing = await mailingWith({ mailing: { html: undefined, text: { source: TEXT } } });
    const plain = await compare(mailing, recipient('ann@example.test', { firstName: 'Ann', city: 'Delft' }));
    assert.ok(structure(plain.fast.raw).includes('content-transfer-encoding: 7bit'));
    const long = await compare(mailing, recipient('ann@example.test', { firstName: 'Ann', city: 'x'.repeat(80) }));
    assert.ok(structure(long.fast.raw).includes('content-transfer-encoding: quoted-printable'));
    for (const who of ASSORTED) await compare(mailing, who);
    // The line length nodemailer allows in 7bit: 76, measured across the value and the template.
    const edge = await mailingWith({ mailing: { html: undefined, text: { source: 'Hello\nX{{v}}Y\n{{w}}' } } });
    for (const [v, encoding] of [['v'.repeat(74), '7bit'], ['v'.repeat(75), 'quoted-printable']]) {
      const { fast } = await compare(edge, recipient('a@example.test', { v, w: 'last' }));
      assert.ok(structure(fast.raw).includes(`content-transfer-encoding: ${encoding}`), `${v.length + 2} characters: ${encoding}`);
    }
  });

  it('HTML only: the derived text part, and an HTML with no line breaks at all', async () => {
    const derived = await mailingWith({ mailing: { html: { source: HTML }, text: undefined } });
    for (const who of ASSORTED) await compare(derived, who);
    const oneLine = await mailingWith({ mailing: { html: { source: HTML.replace(/\n/g, '') }, text: undefined } });
    for (const who of ASSORTED) await compare(oneLine, who);
  });

  it('attachments: binary, text, non-ASCII and odd file names, with one or both parts', async () => {
    const binary = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256));
    const attachments = { 'price list.pdf': binary, 'notes.txt': 'plain\nnotes\n', 'Übersicht "2024"; (final).csv': 'a,b\n1,2\n' };
    const both = await mailingWith({ attachments, mailing: { text: { source: TEXT } } });
    for (const who of ASSORTED.slice(0, 5)) {
      const { parsed } = await compare(both, who);
      assert.equal(parsed.attachments.length, 3);
      assert.ok(parsed.attachments[0].content.equals(binary));
    }
    const textOnly = await mailingWith({ attachments: { 'one.pdf': binary }, mailing: { html: undefined, text: { source: TEXT } } });
    for (const who of ASSORTED.slice(0, 5)) await compare(textOnly, who);
  });

  it('non-ASCII subject, From and Reply-To names, list name; the test send options', async () => {
    const mailing = await mailingWith({
      mailing: {
        name: 'Nieuwsbrief — Ñoño “quoted”',
        subject: 'Ça va, {{firstName}}? Über 🎉 news from {{city}}',
        from: { name: 'Acme Nëws, "Official"', email: 'news@acme.example' },
        replyTo: { name: 'Støtte', email: 'support@acme.example' },
      },
    });
    for (const who of ASSORTED) await compare(mailing, who);
    await compare(mailing, ASSORTED[1], { to: 'me@acme.example', subjectPrefix: '[TEST] ' });
  });

  it('a subject that comes out empty is left out, as nodemailer does', async () => {
    const mailing = await mailingWith({ mailing: { subject: '{{nothing}}' } });
    const { parsed } = await compare(mailing, ASSORTED[0]);
    assert.equal(parsed.headers.has('subject'), false);
  });

  it('no header injection: CR/LF in every field that reaches a header stays inside its header', async () => {
    const mailing = await mailingWith({
      mailing: { subject: 'Hi {{firstName}}', unsubscribe: { url: 'https://acme.example/u?e={{email}}&n={{firstName}}', mailto: 'unsubscribe@acme.example' } },
    });
    const { parsed, fast } = await compare(mailing, ASSORTED[4]);
    assert.equal(parsed.headers.has('bcc'), false);
    assert.equal(parsed.subject, 'Hi Line Bcc: evil@attacker.test body');
    const keys = headerFields(fast.raw).map((field) => field.slice(0, field.indexOf(':')).toLowerCase());
    assert.deepEqual(keys.filter((k) => !/^(precedence|list-id|feedback-id|list-unsubscribe|list-unsubscribe-post|from|to|reply-to|subject|message-id|date|mime-version|content-type)$/.test(k)), []);
  });

  it('unsubscribe URL: https (One-Click), http, a field at its start, mailto only', async () => {
    for (const unsubscribe of [
      { url: 'https://acme.example/u?e={{email}}' },
      { url: 'http://acme.example/u?e={{email}}', mailto: 'unsubscribe@acme.example?subject=stop%20it' },
      { url: '{{link}}' },
      { mailto: 'unsubscribe@acme.example' },
    ]) {
      const mailing = await mailingWith({ mailing: { unsubscribe } });
      await compare(mailing, recipient('a@example.test', { firstName: 'A', link: 'https://x.example/p?q=1&r=é' }));
      await compare(mailing, recipient('b@example.test', { firstName: 'B', link: 'ftp://not-http.example/' }));
    }
  });

  it('mostly non-Latin content: base64 where nodemailer picks it, per recipient', async () => {
    const cyrillic = 'Здравствуйте, {{firstName}}! Новости из города {{city}}. Спасибо, что читаете нас каждую неделю.\n';
    const mailing = await mailingWith({ mailing: { html: undefined, text: { source: cyrillic } } });
    const russian = await compare(mailing, recipient('ivan@example.test', { firstName: 'Иван', city: 'Москва' }));
    assert.ok(structure(russian.fast.raw).includes('content-transfer-encoding: base64'));
    // Enough Latin in the values tips it back to quoted-printable, as it does for nodemailer.
    const latin = await compare(mailing, recipient('ann@example.test', { firstName: 'Ann'.repeat(40), city: 'Amsterdam'.repeat(10) }));
    assert.ok(structure(latin.fast.raw).includes('content-transfer-encoding: quoted-printable'));
  });

  it('line breaks split between a value and the template, and whitespace next to line breaks', async () => {
    const text = 'A{{a}}\nB{{b}}C \n{{c}}\r\nD{{d}}{{e}}\nend {{f}}';
    const mailing = await mailingWith({ mailing: { html: undefined, text: { source: text } } });
    for (const fields of [
      { a: 'x\r', b: '\ny', c: ' ', d: 'tail ', e: '', f: ' ' },
      { a: 'x \r', b: '', c: '\n', d: '\r', e: '\n', f: 'last\t' },
      { a: '', b: '   ', c: 'c\r\n', d: '', e: '\r\nz', f: '' },
      { a: 'lone\rcr', b: 'q', c: '', d: 'd', e: 'e', f: 'f' },
    ]) {
      // A lone CR cannot go as 7bit (nodemailer sends it bare): quoted-printable keeps it as data.
      await compare(mailing, recipient('a@example.test', fields), { sameEncodings: !Object.values(fields).some((v) => /\r(?!\n)/.test(v)) });
    }
  });

  it('a part that comes out empty: composed by nodemailer itself (MailComposer leaves the part out)', async () => {
    const mailing = await mailingWith({ mailing: { html: { source: '<p>Hi {{firstName}}</p>' }, text: { source: '{{body}}' } } });
    const { fast } = await compare(mailing, recipient('a@example.test', { firstName: 'A', body: '' }));
    assert.deepEqual(structure(fast.raw), ['content-transfer-encoding: 7bit', 'content-type: text/html; charset=utf-8']);
    await compare(mailing, recipient('a@example.test', { firstName: 'A', body: 'Some text' }));
  });

  it('refuses the same recipients as nodemailerRenderer, with the same error', async () => {
    const mailing = await mailingWith({});
    const prepared = await prepareMailing(mailing, { messageIdToken: 'tok' });
    // No address; a lone surrogate in a value that must be URL-encoded (the unsubscribe link).
    for (const who of [recipient('not-an-address'), recipient('a\ud800@example.test')]) {
      const reference = await nodemailerRenderer(prepared).render(who, 0).then(() => undefined, (error: Error) => error);
      const fast = await templateRenderer(prepared).render(who, 0).then(() => undefined, (error: Error) => error);
      assert.ok(reference, 'nodemailerRenderer refuses it');
      assert.equal(fast?.constructor, reference.constructor);
      assert.equal(fast?.message, reference.message);
    }
  });

  it('random values from a hostile alphabet decode exactly as nodemailer’s composition', async () => {
    // A small deterministic generator: the same "random" corpus on every run.
    let seed = 0x2545f491;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x100000000;
    };
    const alphabet = ['a', 'Z', ' ', ' ', '\t', '\r', '\n', '\r\n', '=', '.', '-', '"', '<', '&', 'é', 'ß', '€', '東', '🎉', '\u0000', '\u007f', '=?', '?=', 'http://x'];
    const value = () => {
      let out = '';
      const length = Math.floor(next() ** 3 * 200);
      for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
      return out;
    };
    const mailing = await mailingWith({ mailing: { html: { source: HTML }, text: { source: TEXT }, subject: '{{firstName}} {{city}}' } });
    for (let i = 0; i < 60; i++) {
      const fields = { firstName: value(), city: value() };
      const lone = Object.values(fields).some((v) => /\r(?!\n)/.test(v));
      await compare(mailing, recipient(`r${i}@example.test`, fields), { sameEncodings: !lone }, i);
    }
  });

  it('a merge value at the start of a link or image address is kept only as an http(s) or mailto URL', async () => {
    const html =
      '<p><a href="{{website}}">site</a> <a href=\'{{website}}/about\'>about</a> <a href={{website}}>bare</a> ' +
      '<img src="{{photo}}" alt="p"> <a href="https://x.test/?u={{website}}">inside</a> <a href=" {{website}}">space</a></p>';
    const mailing = await mailingWith({ mailing: { html: { source: html }, text: undefined } });
    const cases: [string, boolean][] = [
      ['https://acme.example/p', true],
      ['HTTP://acme.example', true],
      ['mailto:ann@example.test', true],
      ['javascript:alert(1)', false],
      ['  JaVa\tScRiPt:alert(1)', false],
      ['\u0001javascript:alert(1)', false],
      ['java\nscript:alert(1)', false],
      ['data:text/html;base64,PHNjcmlwdD4=', false],
      ['vbscript:msgbox', false],
      ['www.acme.example', false],
      ['//evil.example/x', false],
      ['', false],
    ];
    for (const [value, safe] of cases) {
      const { parsed } = await compare(mailing, recipient('ann@example.test', { website: value, photo: value }));
      const out = String(parsed.html);
      const hrefs = [...out.matchAll(/(?:href|src)=(?:"([^"]*)"|'([^']*)'|([^\s>]*))/g)].map((m) => m[1] ?? m[2] ?? m[3]);
      const escaped = value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      assert.equal(hrefs[0], safe ? escaped : '', `href of ${JSON.stringify(value)}`);
      assert.equal(hrefs[1], safe ? `${escaped}/about` : '/about');
      assert.equal(hrefs[2], safe ? escaped : '');
      assert.equal(hrefs[3], safe ? escaped : '', 'img src');
      assert.equal(hrefs[4], `https://x.test/?u=${encodeURIComponent(value).replace(/'/g, '&#39;')}`, 'inside a URL the value is URL-encoded: it cannot make a scheme');
      assert.doesNotMatch(out, /javascript:|vbscript:|data:text/i);
      // The derived text part shows the link only when the HTML does.
      assert.doesNotMatch(String(parsed.text), /javascript:|vbscript:|data:text/i, 'text part');
      assert.equal(String(parsed.text).startsWith(safe ? `site [${value}]` : 'site []'), true, String(parsed.text));
    }
  });

  it('merge-field defaults: used when the value is empty or blank, in subject, HTML, derived text and unsubscribe URL', async () => {
    const html =
      '<p>Hi {{firstName | "reader"}}, from {{ city|\'your town\' }}.</p>\n' +
      '<p><a href="https://acme.example/p?n={{firstName | \'you & me\'}}">profile</a> <a href="{{site | "https://acme.example/"}}">site</a></p>\n';
    const mailing = await mailingWith({
      mailing: {
        html: { source: html },
        text: undefined,
        subject: '{{firstName | "Reader"}}, our news',
        unsubscribe: { url: 'https://acme.example/u?e={{email}}&n={{firstName | "a b"}}' },
      },
    });
    const empty = await compare(mailing, recipient('a@example.test', { firstName: '', city: '  ' }));
    assert.equal(empty.parsed.subject, 'Reader, our news');
    assert.match(String(empty.parsed.html), /Hi reader, from your town\./);
    assert.match(String(empty.parsed.html), /href="https:\/\/acme\.example\/p\?n=you%20%26%20me"/);
    assert.match(String(empty.parsed.html), /href="https:\/\/acme\.example\/"/, 'a default at the start of a link is a safe link');
    assert.match(String(empty.parsed.text), /Hi reader, from your town\./);
    assert.match(empty.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '', /n=a%20b/);
    const given = await compare(mailing, recipient('b@example.test', { firstName: 'Bea', city: 'Delft', site: 'https://bea.example/' }));
    assert.equal(given.parsed.subject, 'Bea, our news');
    assert.match(String(given.parsed.html), /Hi Bea, from Delft\./);
    assert.match(String(given.parsed.html), /href="https:\/\/bea\.example\/"/);
    // A missing column counts as empty too.
    const missing = await compare(mailing, recipient('c@example.test', {}));
    assert.equal(missing.parsed.subject, 'Reader, our news');
  });

  it('local images: inline parts of a multipart/related that mailparser resolves, with and without text and attachments', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    await fs.writeFile(path.join(dir, 'logo.png'), png);
    await fs.mkdir(path.join(dir, 'img'));
    await fs.writeFile(path.join(dir, 'img', 'dot gif.gif'), gif);
    const images: InlineImage[] = [
      { sources: ['logo.png'], path: path.join(dir, 'logo.png'), filename: 'logo.png', size: png.length, sha256: sha256(png), cid: 'img1.0123456789abcdef@mailings' },
      { sources: ['img/dot gif.gif', 'img/dot%20gif.gif'], path: path.join(dir, 'img', 'dot gif.gif'), filename: 'dot gif.gif', size: gif.length, sha256: sha256(gif), cid: 'img2.fedcba9876543210@mailings' },
    ];
    const html =
      '<html><body><img src="logo.png" alt="Logo"><p>Hi {{firstName}}</p>\n' +
      '<img alt="dot" src="img/dot%20gif.gif"> <img src=\' logo.png \' alt="again"> <img src="https://acme.example/remote.png" alt="r"></body></html>\n';
    const who = recipient('ann@example.test', { firstName: 'Ann' });
    const cases: { label: string; options: Omit<FixtureOptions, 'dir'>; related: string[] }[] = [
      { label: 'html + text', options: { mailing: { html: { source: html }, text: { source: TEXT }, images } }, related: ['multipart/alternative', 'text/plain', 'multipart/related'] },
      { label: 'html only (derived text)', options: { mailing: { html: { source: html }, text: undefined, images } }, related: ['multipart/alternative'] },
      { label: 'with attachments', options: { attachments: { 'price list.pdf': Buffer.from('%PDF-1.4 x') }, mailing: { html: { source: html }, text: { source: TEXT }, images } }, related: ['multipart/mixed'] },
    ];
    for (const { label, options, related } of cases) {
      const mailing = await mailingWith(options);
      const { parsed, fast } = await compare(mailing, who);
      const types = structure(fast.raw).filter((line) => line.startsWith('content-type')).map((line) => line.slice('content-type: '.length).split(';')[0]);
      for (const type of [...related, 'multipart/related', 'text/html', 'image/png', 'image/gif']) assert.ok(types.includes(type), `${label}: ${type} in ${types.join(', ')}`);
      const inline = parsed.attachments.filter((a) => a.contentDisposition === 'inline');
      assert.deepEqual(inline.map((a) => [a.contentId, a.filename, a.content.toString('hex')]), [
        ['<img1.0123456789abcdef@mailings>', 'logo.png', png.toString('hex')],
        ['<img2.fedcba9876543210@mailings>', 'dot gif.gif', gif.toString('hex')],
      ], label);
      // mailparser resolves cid: links into the images' bytes: every local src is an embedded image.
      const out = String(parsed.html);
      assert.equal(out.split(`data:image/png;base64,${png.toString('base64')}`).length - 1, 2, `${label}: logo twice`);
      assert.ok(out.includes(`data:image/gif;base64,${gif.toString('base64')}`), label);
      assert.ok(out.includes('src="https://acme.example/remote.png"'), `${label}: a remote image stays`);
      assert.doesNotMatch(fast.raw.toString('latin1'), /src=3D"logo\.png"|src="logo\.png"/, label);
    }
  });

  it('renders to Buffers the SMTP pool takes as they are: envelope and Message-ID per recipient', async () => {
    const mailing = await mailingWith({ mailing: { sending: { transport: 'smtp', connections: 5, attempts: 1, retryDelay: 1, maxRetryDelay: 1, maxConsecutiveErrors: 1, bounceAddress: 'bounces@acme.example' } } });
    const prepared = await prepareMailing(mailing, { messageIdToken: 'tok' });
    const renderer = templateRenderer(prepared);
    const a = await renderer.render(ASSORTED[0], 0);
    const b = await renderer.render(ASSORTED[1], 1);
    assert.deepEqual(a.envelope, { from: 'bounces@acme.example', to: ['ann@example.test'] });
    assert.notEqual(a.messageId, b.messageId);
    const parsed = await simpleParser(b.raw);
    assert.equal((parsed.to as AddressObject).value[0].address, 'zoe@example.test');
    assert.equal(parsed.messageId, b.messageId);
  });
});
