import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { simpleParser } from 'mailparser';
import { attributeReport, type LookupKey } from '../../src/core/bounces/attribution';
import { parseBounceMessage } from '../../src/core/bounces/bounceReport';
import { parseDeliveryStatus } from '../../src/core/bounces/deliveryStatus';
import { HeaderFields, parseFieldGroups } from '../../src/core/bounces/headerFields';
import { parsePlainBounce } from '../../src/core/bounces/plainBounce';
import { FIXTURES, makeLookup, MAILINGS, readSample, SAMPLES } from '../support/bounceFixtures';

describe('bounce reports: the saved samples', () => {
  it('has a sample for every file in the fixtures folder, and the other way round', async () => {
    const files = (await fs.readdir(FIXTURES)).filter((file) => file.endsWith('.eml')).sort();
    assert.deepEqual(files, SAMPLES.map((sample) => sample.file).sort());
  });

  for (const sample of SAMPLES) {
    it(`${sample.file}: ${sample.kind}, ${sample.via ? `attributed by ${sample.via}` : 'unattributed'}`, async () => {
      const report = await parseBounceMessage(await readSample(sample.file));
      assert.equal(report.kind, sample.kind);
      assert.equal(report.format, sample.format);
      assert.deepEqual(
        report.recipients.map((r) => ({ address: r.address, outcome: r.outcome, ...(sample.recipients.find((e) => e.address === r.address)?.status ? { status: r.status } : {}) })),
        sample.recipients,
      );
      const attribution = await attributeReport(report, makeLookup());
      assert.equal(attribution.via, sample.via);
      assert.deepEqual(
        attribution.events.map((e) => ({ mailing: e.recipient.mailing, index: e.recipient.index, outcome: e.outcome })),
        sample.events,
      );
      for (const event of attribution.events) {
        assert.ok(event.detail.length > 0 && event.detail.length <= 300 && !/[\r\n]/.test(event.detail), event.detail);
        const mailing = MAILINGS.find((m) => m.id === event.recipient.mailing)!;
        assert.equal(event.recipient.email, mailing.recipients[event.recipient.index]);
      }
    });
  }

  it('prefers the VERP address, and falls back to the Message-ID when the tag is unknown', async () => {
    const report = await parseBounceMessage(await readSample('postfix-user-unknown-verp.eml'));
    const asked: LookupKey[] = [];
    assert.equal((await attributeReport(report, makeLookup(MAILINGS, asked))).via, 'verp');
    assert.equal(asked[0].index, 17);
    assert.equal(asked[0].token, undefined, 'VERP carries the tag only');
    // The same report with the VERP addresses gone: the returned message's Message-ID still names it.
    const withoutVerp = { ...report, returnPaths: [] };
    const byId = await attributeReport(withoutVerp, makeLookup());
    assert.equal(byId.via, 'message-id');
    assert.deepEqual(byId.events.map((e) => [e.recipient.index, e.outcome]), [[17, 'hard-bounce']]);
  });

  it('leaves a report unattributed when no mailing of the workspace knows it', async () => {
    const report = await parseBounceMessage(await readSample('gmail-address-not-found.eml'));
    const attribution = await attributeReport(report, makeLookup(MAILINGS.filter((m) => m.id !== 'december-offers')));
    assert.deepEqual(attribution.events, []);
    assert.equal(attribution.via, undefined);
    assert.deepEqual(attribution.unattributed.map((r) => r.address), ['piet.jansen@gmail.com']);
  });

  it('gives each entry of a report about several recipients of one mailing to its own recipient', async () => {
    // A relay that reported three of our recipients in one DSN (one RCPT TO per message is our way,
    // not every tool's): each entry is looked up by its address within the mailing of the report.
    const dsn = await parseBounceMessage(await readSample('postfix-alias-several-recipients.eml'));
    // The same DSN as such a relay writes it: no Original-Recipient pointing at one alias.
    const report = { ...dsn, recipients: dsn.recipients.map(({ originalRecipient: _alias, ...entry }) => entry) };
    const mailings = MAILINGS.map((m) => (m.id === 'november-newsletter' ? { ...m, recipients: { ...m.recipients, 500: 'anna@shop.example', 501: 'bob@shop.example' } } : m));
    const attribution = await attributeReport(report, makeLookup(mailings));
    assert.deepEqual(
      attribution.events.map((e) => [e.recipient.index, e.recipient.email, e.outcome]),
      [
        [500, 'anna@shop.example', 'hard-bounce'],
        [501, 'bob@shop.example', 'soft-bounce'],
      ],
    );
    // carol@ is no recipient of the mailing, and not the only entry: it belongs to nobody.
    assert.deepEqual(attribution.unattributed.map((r) => r.address), ['carol@old-shop.example']);
  });

  it('keeps the per-message fields, the Message-IDs and the complaint of the reports', async () => {
    const gmail = await parseBounceMessage(await readSample('gmail-address-not-found.eml'));
    assert.equal(gmail.messageId, '<6750f2a5.050a0220.2b7e3c.1f4dGMR@mx.google.com>');
    assert.equal(gmail.original?.messageId, '<mi5c0q7d.91b2e6f04a3c.2s@northwind.example>');
    assert.equal(gmail.original?.returnPath, 'news@northwind.example');
    assert.equal(gmail.from, 'mailer-daemon@googlemail.com');
    assert.equal(gmail.date, '2026-12-04T09:02:13.000Z');
    const arf = await parseBounceMessage(await readSample('arf-abuse-yahoo.eml'));
    assert.deepEqual(arf.complaint, {
      feedbackType: 'abuse',
      userAgent: 'Yahoo!-Mail-Feedback/2.0',
      originalMailFrom: 'bounces+q76szfvmqyvj-61@northwind.example',
      originalRcptTo: ['klaas.dekker@yahoo.com'],
      arrivalDate: 'Thu, 03 Dec 2026 18:14:05 +0000',
      reportedDomain: 'northwind.example',
    });
    const attribution = await attributeReport(arf, makeLookup());
    assert.equal(attribution.events[0].detail, 'Feedback-Type: abuse; User-Agent: Yahoo!-Mail-Feedback/2.0');
  });

  it('reads a DSN whose Status is generic by its diagnostic (Exim writes 5.0.0 for everything)', async () => {
    const report = await parseBounceMessage(await readSample('exim-dsn-status-5.0.0.eml'));
    assert.equal(report.recipients[0].status, '5.0.0');
    assert.equal(report.recipients[0].classification?.rule, 'text "no such user"');
  });

  it('is not fooled by an automatic reply: the address exists', async () => {
    const report = await parseBounceMessage(await readSample('out-of-office-exchange.eml'));
    assert.equal(report.kind, 'auto-reply');
    assert.deepEqual(report.recipients, []);
  });
});

describe('bounce reports: the text for people, when the machine part is missing', () => {
  // Each DSN sample's own human-readable text, read without its delivery-status part, must name the
  // same recipients with the same outcome: the plain-text readers of Postfix, Exim, Gmail and
  // Microsoft's NDRs on their real wording.
  for (const sample of SAMPLES.filter((s) => s.format === 'rfc3464')) {
    it(`${sample.file}`, async () => {
      const parsed = await simpleParser(await readSample(sample.file), { keepDeliveryStatus: true, ignoreEmbedded: true });
      const plain = parsePlainBounce(parsed.text ?? '', []);
      assert.ok(plain, 'the text names the recipients');
      assert.deepEqual(
        plain.recipients.map((r) => [r.address, r.outcome]),
        sample.recipients.map((r) => [r.address, r.outcome]),
      );
    });
  }

  it('knows the delay words of each MTA', () => {
    assert.equal(parsePlainBounce('This is the mail system at host a.example.\n\n# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n\n<x@y.example>: connect to mx.y.example[192.0.2.1]:25: Connection timed out\n')?.recipients[0].outcome, 'delayed');
    const exim =
      'This message was created automatically by mail delivery software.\nA message that you sent has not yet been delivered to one or more of its\nrecipients after more than 24 hours on the queue on mx.a.example.\n\nThe address to which the message has not yet been delivered is:\n\n  x@y.example\n    Delay reason: SMTP error from remote mail server after RCPT TO:<x@y.example>:\n    host mx.y.example [192.0.2.1]: 451 4.3.0 Temporary failure\n\nNo action is required on your part.\n';
    assert.deepEqual(parsePlainBounce(exim)?.recipients.map((r) => [r.address, r.outcome]), [['x@y.example', 'delayed']]);
  });

  it('reads Exchange on-premises NDRs and X-Failed-Recipients with a quoted reply', () => {
    const exchange =
      'Delivery has failed to these recipients or groups:\n\nk.jansen@contoso.example\nThe e-mail address you entered couldn\'t be found.\n\nDiagnostic information for administrators:\n\nGenerating server: EX01.contoso.local\n\nk.jansen@contoso.example\n#550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found ##\n\nOriginal message headers:\n\nMessage-ID: <mi4x8k2p.3f9a1c7e2b4d.5@northwind.example>\nSubject: x\n';
    const plain = parsePlainBounce(exchange);
    assert.equal(plain?.format, 'exchange');
    assert.deepEqual(plain?.recipients.map((r) => [r.address, r.status, r.outcome]), [['k.jansen@contoso.example', '5.1.1', 'hard-bounce']]);
    assert.match(plain?.quotedHeaders ?? '', /^Message-ID: <mi4x8k2p\.3f9a1c7e2b4d\.5@northwind\.example>/);
    const other = parsePlainBounce('Your mail could not be sent.\n\nThe server said:\n550 5.1.1 mailbox does not exist\n', ['a@b.example']);
    assert.deepEqual(other?.recipients.map((r) => [r.address, r.outcome]), [['a@b.example', 'hard-bounce']]);
  });

  it('returns nothing for a text that reports no recipient', () => {
    assert.equal(parsePlainBounce('Hello, thanks for the newsletter!'), undefined);
  });
});

describe('report fields', () => {
  it('unfolds fields, skips broken lines and splits groups at blank lines', () => {
    const groups = parseFieldGroups('Reporting-MTA: dns; a.example\n\nFinal-Recipient: rfc822; x@y.example\nDiagnostic-Code: smtp; 550 5.1.1\n  folded  text\nthis line is broken\nAction: failed\n   \t\nFinal-Recipient: rfc822; z@y.example\n');
    assert.equal(groups.length, 3);
    assert.equal(groups[1].get('diagnostic-code'), 'smtp; 550 5.1.1 folded text');
    assert.equal(groups[1].get('ACTION'), 'failed');
    assert.deepEqual(HeaderFields.parse('Received: a\nReceived: b\n\nBody: no').all('received'), ['a', 'b']);
  });

  it('reads a careless delivery-status: no Action, comments, angle brackets', () => {
    const status = parseDeliveryStatus('Reporting-MTA: dns;mx.a.example\n\nFinal-Recipient: RFC822; <X@Y.example> (the user)\nStatus: 5.1.1 (bad destination mailbox address)\n\nFinal-Recipient: rfc822;ok@y.example\nAction: delivered\nStatus: 2.0.0\n');
    assert.deepEqual(
      status.recipients.map((r) => [r.address, r.action, r.status, r.outcome]),
      [
        ['X@Y.example', 'failed', '5.1.1', 'hard-bounce'],
        ['ok@y.example', 'delivered', '2.0.0', 'delivered'],
      ],
    );
  });
});
