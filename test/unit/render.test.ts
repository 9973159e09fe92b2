import * as assert from 'node:assert/strict';
import { mailingTag } from '../../src/core/render/verp';
import { promises as fs } from 'node:fs';
import { simpleParser } from 'mailparser';
import { compileTemplate, fillTemplate } from '../../src/core/render/merge';
import { headerText, cleanAddress } from '../../src/core/render/headerText';
import { nodemailerRenderer } from '../../src/core/render/nodemailerRenderer';
import { personalize, prepareMailing } from '../../src/core/render/prepared';
import { htmlToTextTemplate } from '../../src/core/render/textPart';
import type { Recipient } from '../../src/core/types';
import { makeMailing, tempDir } from '../support/resolvedMailings';

function headersOf(raw: Buffer): string {
  const text = raw.toString('latin1');
  return text.slice(0, text.indexOf('\r\n\r\n') + 2);
}

describe('render', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('mailings-render-');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe('merge fields', () => {
    it('fills fields with the escaping of their place, leaving what is no field alone', () => {
      const template = compileTemplate('Hi {{ firstName }}, {{email}} {{}} {{unclosed');
      assert.deepEqual(template.fields.map((f) => f.name), ['firstName', 'email']);
      assert.equal(fillTemplate(template, { firstName: 'A&B', email: 'x@y' }, (v) => v.toUpperCase()), 'Hi A&B, X@Y {{}} {{unclosed');
      assert.equal(fillTemplate(template, {}), 'Hi ,  {{}} {{unclosed');
    });

    it('derives the text part once, keeping fields (case, links) as fields', () => {
      const text = htmlToTextTemplate('<h1>Dear {{name}}</h1><p>Visit <a href="https://x.test/p?e={{email}}">your page</a>.</p><img src="a.png" alt="logo">');
      const filled = fillTemplate(text.template, { name: 'Zoë', email: 'a+b@c.test' }, (v, k) => (text.urlFields.has(k) ? encodeURIComponent(v) : v));
      assert.match(filled, /^Dear Zoë\n/);
      assert.ok(filled.includes('your page [https://x.test/p?e=a%2Bb%40c.test]'), filled);
      assert.doesNotMatch(filled, /logo|a\.png/);
    });
  });

  describe('header text', () => {
    it('never lets a value end a header line', () => {
      assert.equal(headerText('Zoë\r\nBcc: x@y\n\tX-Evil:\u0000 1'), 'Zoë Bcc: x@y X-Evil: 1');
      assert.equal(cleanAddress('a@b.test\r\nBcc: c@d'), 'a@b.testBcc:c@d');
      // No comma, bracket or space survives, so a value can never become a second address.
      assert.equal(cleanAddress('<a@b.test>, c@d.test'), 'a@b.testc@d.test');
      assert.equal(cleanAddress('no-at-sign'), undefined);
    });
  });

  describe('messages', () => {
    const hostile: Recipient = {
      email: 'o.brien+list@example.test',
      fields: { email: 'o.brien+list@example.test', firstName: 'Zoë "Z" <script>\r\nBcc: evil@attacker.test\r\n\r\nbody', city: 'Zürich & Genève' },
    };

    it('composes a complete message: headers, both parts, escaping, unsubscribe headers', async () => {
      const mailing = await makeMailing({
        dir,
        recipients: [hostile],
        attachments: { 'notes.txt': 'attached text' },
        mailing: {
          from: { name: 'Acme Nieuws – Zürich', email: 'news@acme.example' },
          subject: 'Hallo {{firstName}} in {{city}}',
          html: { source: '<p>Hello {{firstName}} from {{city}}</p><a href="https://acme.example/u?e={{email}}&c={{city}}">u</a>' },
          unsubscribe: { url: 'https://acme.example/u?e={{email}}', mailto: 'leave@acme.example' },
        },
        sending: { bounceAddress: 'bounce@acme.example' },
      });
      const prepared = await prepareMailing(mailing, { messageIdToken: 'tok' });
      const message = await nodemailerRenderer(prepared).render(hostile, 7, { date: new Date('2026-01-02T03:04:05Z') });
      assert.equal(message.messageId, '<tok.7@acme.example>');
      // The VERP form of the bounce address: the mailing's tag and the recipient's index.
      assert.deepEqual(message.envelope, { from: `bounce+${mailingTag('tok')}-7@acme.example`, to: ['o.brien+list@example.test'] });
      const headers = headersOf(message.raw);
      // Every header line is printable ASCII (non-ASCII is encoded) and no value made a line of its own.
      for (const line of headers.split('\r\n')) assert.match(line, /^[\x20-\x7e]*$/, line);
      assert.doesNotMatch(headers, /^Bcc:/im);
      assert.match(headers, /^List-Unsubscribe: <https:\/\/acme\.example\/u\?e=o\.brien%2Blist%40example\.test>,\r\n <mailto:leave@acme\.example\?subject=unsubscribe>\r\n/m);
      assert.match(headers, /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n/m);
      assert.match(headers, /^Date: Fri, 02 Jan 2026 03:04:05 \+0000\r\n/m);
      assert.match(headers, /^Precedence: bulk\r\n/m);
      const parsed = await simpleParser(message.raw);
      assert.equal(parsed.subject, 'Hallo Zoë "Z" <script> Bcc: evil@attacker.test body in Zürich & Genève');
      assert.equal((parsed.from as { value: { name: string }[] }).value[0].name, 'Acme Nieuws – Zürich');
      const html = String(parsed.html);
      assert.ok(html.includes('Hello Zoë &quot;Z&quot; &lt;script&gt;'), html);
      assert.ok(html.includes('from Zürich &amp; Genève'));
      assert.ok(html.includes('href="https://acme.example/u?e=o.brien%2Blist%40example.test&c=Z%C3%BCrich%20%26%20Gen%C3%A8ve"'), html);
      assert.ok(parsed.text?.includes('Hello Zoë "Z" <script>'), parsed.text);
      assert.equal(parsed.attachments[0].content.toString(), 'attached text');
    });

    it('gives no One-Click header for an http URL, and only mailto when that is all there is', async () => {
      const mailing = await makeMailing({ dir, recipients: [hostile], mailing: { unsubscribe: { mailto: 'mailto:leave@acme.example?subject=stop' } } });
      const message = await nodemailerRenderer(await prepareMailing(mailing, { messageIdToken: 't' })).render(hostile, 0);
      const headers = headersOf(message.raw);
      assert.match(headers, /^List-Unsubscribe: <mailto:leave@acme\.example\?subject=stop>\r\n/m);
      assert.doesNotMatch(headers, /List-Unsubscribe-Post/);
      const http = await makeMailing({ dir, recipients: [hostile], mailing: { unsubscribe: { url: 'http://acme.example/u' } } });
      const plain = personalize(await prepareMailing(http, { messageIdToken: 't' }), hostile, 0);
      assert.equal(plain.listUnsubscribe, '<http://acme.example/u>');
      assert.equal(plain.oneClick, false);
    });

    it('uses the given text part and URL-encodes values inside its links', async () => {
      const mailing = await makeMailing({
        dir,
        recipients: [hostile],
        mailing: { text: { source: 'Hi {{firstName}}\nLeave: https://acme.example/u?e={{email}}\n' } },
      });
      const parts = personalize(await prepareMailing(mailing, { messageIdToken: 't' }), hostile, 0, { to: 'me@acme.example', subjectPrefix: '[TEST] ' });
      assert.ok(parts.text.startsWith(`Hi ${hostile.fields.firstName}\n`));
      assert.ok(parts.text.includes('u?e=o.brien%2Blist%40example.test'));
      assert.equal(parts.to.email, 'me@acme.example');
      assert.match(parts.subject, /^\[TEST\] /);
    });
  });
});
