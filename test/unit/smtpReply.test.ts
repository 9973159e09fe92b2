import * as assert from 'node:assert/strict';
import { classifySmtpReply, finalOutcome, parseSmtpReply, type ReplyClass } from '../../src/core/bounces/smtpReply';

// Replies as the big providers and the common MTAs write them (one-lined as a DeliveryError keeps
// them, or as received over the wire with their continuation lines), and what they mean.
const REPLIES: [source: string, reply: string, expected: ReplyClass][] = [
  // Gmail
  ['Gmail: no such user', '550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient\'s email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser 41be03b00d2f7-7f1d1c12e4bsi1234567a12.45 - gsmtp', 'hard-bounce'],
  ['Gmail: no such user, over the wire', '550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550-5.1.1 double-checking the recipient\'s email address for typos or\r\n550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser - gsmtp', 'hard-bounce'],
  ['Gmail: account disabled', '550-5.2.1 The email account that you tried to reach is disabled. Learn more at 550 5.2.1  https://support.google.com/mail/?p=DisabledUser d2e1a72fcca58-7259a1b2c3dsi123 - gsmtp', 'hard-bounce'],
  ['Gmail: over quota (permanent)', '552-5.2.2 The email account that you tried to reach is over quota. Please direct 552-5.2.2 the recipient to 552 5.2.2  https://support.google.com/mail/?p=OverQuotaPerm - gsmtp', 'soft-bounce'],
  ['Gmail: over quota (temporary)', '452-4.2.2 The email account that you tried to reach is over quota. Please direct 452-4.2.2 the recipient to 452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp - gsmtp', 'soft-bounce'],
  ['Gmail: recipient receiving too fast', '450-4.2.1 The user you are trying to contact is receiving mail at a rate that 450-4.2.1 prevents additional messages from being delivered. Please resend your 450-4.2.1 message at a later point. - gsmtp', 'throttled'],
  ['Gmail: sender rate limited', '421-4.7.0 [192.0.2.11] Our system has detected an unusual rate of 421-4.7.0 unsolicited mail originating from your IP address. To protect our 421-4.7.0 users from spam, mail sent from your IP address has been temporarily 421 4.7.0 rate limited. - gsmtp', 'throttled'],
  ['Gmail: try again later', '421-4.7.0 Try again later, closing connection. (EHLO) - gsmtp', 'throttled'],
  ['Gmail: spam block', '550-5.7.1 [192.0.2.11] Our system has detected that this message is likely unsolicited mail. To reduce the amount of spam sent to Gmail, this message has been blocked. - gsmtp', 'policy'],
  ['Gmail: DMARC', '550-5.7.26 Unauthenticated email from northwind.example is not accepted due to domain\'s DMARC policy. - gsmtp', 'policy'],
  ['Gmail: message too large', '552-5.3.4 Your message exceeded Google\'s message size limits. - gsmtp', 'failed'],
  ['Gmail: greylisted', '450-4.2.1 The user you are trying to contact is greylisted; please try again later - gsmtp', 'temporary'],
  // Outlook.com / Hotmail / Office 365 / Exchange
  ['Outlook.com: mailbox unavailable', '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [AM6EUR05FT021.eop-eur05.prod.protection.outlook.com]', 'hard-bounce'],
  ['Office 365: recipient not found', '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', 'hard-bounce'],
  ['Exchange: ExRecipNotFound', '550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found', 'hard-bounce'],
  ['Office 365: directory-based edge blocking', '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5PEPF00014B8D.eurprd02.prod.outlook.com 2026-12-03T18:04:05.123Z 08DCF1A2B3C4D5E6]', 'hard-bounce'],
  ['Exchange: mailbox full', '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded', 'soft-bounce'],
  ['Office 365: banned sending IP', '550 5.7.606 Access denied, banned sending IP [192.0.2.11]. To request removal from this list please visit https://sender.office.com/ (AS16012609)', 'policy'],
  ['Office 365: DMARC reject', '550 5.7.509 Access denied, sending domain northwind.example does not pass DMARC verification and has a DMARC policy of reject.', 'policy'],
  ['Office 365: not authorized', '550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized', 'policy'],
  ['Office 365: server busy', '451 4.7.500 Server busy. Please try again later from [192.0.2.11]. (S77714) [AM4PEPF00025F9B.EURPRD83.prod.outlook.com]', 'throttled'],
  ['Office 365: rate limited', '451 4.7.650 The mail server [192.0.2.11] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775)', 'throttled'],
  ['Office 365: hop count', '554 5.4.14 Hop count exceeded - possible mail loop ATTR34', 'failed'],
  ['Office 365: bad outbound sender', '550 5.1.8 Access denied, bad outbound sender. AS(42004)', 'policy'],
  ['Exchange: insufficient resources', '452 4.3.1 Insufficient system resources', 'temporary'],
  // Yahoo / AOL
  ['Yahoo: no account', "554 delivery error: dd This user doesn't have a yahoo.com account (klaas.dekker@yahoo.com) [0] - mta1234.mail.ne1.yahoo.com", 'hard-bounce'],
  ['Yahoo: no account, colon form', "554: delivery error: dd This user doesn't have a yahoo.com account (klaas.dekker@yahoo.com) [-5] - mta1010.mail.ne1.yahoo.com", 'hard-bounce'],
  ['Yahoo: mailbox disabled', '554 30 Sorry, your message to x@yahoo.com cannot be delivered. This mailbox is disabled (554.30).', 'hard-bounce'],
  ['Yahoo: mailbox not found', '552 1 Requested mail action aborted, mailbox not found', 'hard-bounce'],
  ['Yahoo: deferred for volume', '421 4.7.0 [TSS04] Messages from 192.0.2.11 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes', 'throttled'],
  ['Yahoo: Spamhaus listing', "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.11, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes", 'policy'],
  ['Yahoo: policy', '554 5.7.9 Message not accepted for policy reasons.  See https://postmaster.yahooinc.com/error-codes', 'policy'],
  // Postfix
  ['Postfix: local recipient table', '550 5.1.1 <piet@klant.example>: Recipient address rejected: User unknown in local recipient table', 'hard-bounce'],
  ['Postfix: virtual mailbox table', '550 5.1.1 <carol@old-shop.example>: Recipient address rejected: User unknown in virtual mailbox table', 'hard-bounce'],
  ['Postfix: unverified (temporary)', '450 4.1.1 <a@b.example>: Recipient address rejected: unverified address: host mx.b.example[192.0.2.5] said: 550 5.1.1 <a@b.example>: User unknown', 'temporary'],
  ['Postfix: access denied', '554 5.7.1 <a@b.example>: Recipient address rejected: Access denied', 'policy'],
  ['Postfix: relay access denied', '554 5.7.1 <a@b.example>: Relay access denied', 'policy'],
  ['Postfix: greylisted', '450 4.2.0 <a@b.example>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/b.example.html', 'temporary'],
  ['Postfix: too many connections', '421 4.7.0 mail.b.example Error: too many connections from 192.0.2.11', 'throttled'],
  ['Postfix: too much mail (anvil)', '450 4.7.1 Error: too much mail from 192.0.2.11', 'throttled'],
  ['Postfix: sender domain', '550 5.1.0 <news@northwind.example>: Sender address rejected: Domain not found', 'policy'],
  ['Postfix: mailbox full', '552 5.2.2 <a@b.example>: Recipient address rejected: Mailbox is full', 'soft-bounce'],
  ['Postfix: message size', '552 5.3.4 Message size exceeds fixed limit', 'failed'],
  ['Postfix: Spamhaus', '554 5.7.1 Service unavailable; Client host [192.0.2.11] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.11', 'policy'],
  ['Postfix: too many recipients', '452 4.5.3 Error: too many recipients', 'temporary'],
  // Exim (cPanel and plain)
  ['Exim/cPanel: no such user', '550 No Such User Here', 'hard-bounce'],
  ['Exim: unrouteable', '550 Unrouteable address', 'hard-bounce'],
  ['Exim: sender verify', '550-Verification failed for <news@northwind.example> 550-Unrouteable address 550 Sender verify failed', 'policy'],
  ['Exim: quota', '552 Mailbox quota exceeded', 'soft-bounce'],
  ['Exim: rate limit', '451 4.7.1 Rate limit exceeded', 'throttled'],
  ['Exim: try later', '451 Temporary local problem - please try later', 'throttled'],
  ['Exim: administrative prohibition', '550 Administrative prohibition', 'failed'],
  // Others
  ['Amazon SES: throttling', '454 Throttling failure: Maximum sending rate exceeded.', 'throttled'],
  ['Amazon SES: daily quota', '454 Throttling failure: Daily message quota exceeded.', 'throttled'],
  ['iCloud: does not exist', '550 5.1.1 <x@icloud.com>: user does not exist', 'hard-bounce'],
  ['Zoho: does not exist', '550 5.1.1 User does not exist - <x@zoho.example>', 'hard-bounce'],
  ['GMX/web.de: mailbox unavailable', '550 Requested action not taken: mailbox unavailable', 'hard-bounce'],
  ['Mimecast: invalid recipient', '550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [aBcDeFgHiJk.uk123]', 'hard-bounce'],
  ['mail.ru: user not found', '550 Message was not accepted -- invalid mailbox.  Local mailbox x@mail.ru is unavailable: user not found', 'hard-bounce'],
  ['Comcast: not our customer', '550 5.1.1 Not our Customer', 'hard-bounce'],
  ['Postfix 5.7.1 that says the user is unknown', '554 5.7.1 <a@b.example>: Recipient address rejected: user unknown', 'hard-bounce'],
  ['qmail: no mailbox here', 'Sorry, no mailbox here by that name. (#5.1.1)', 'hard-bounce'],
  ['smtp-server test fault', '550 5.1.1 No such user here', 'hard-bounce'],
  ['smtp-server test defer', '451 4.3.0 Try again later', 'throttled'],
];

describe('SMTP reply classification', () => {
  for (const [source, reply, expected] of REPLIES) {
    it(`${source}: ${expected}`, () => {
      const result = classifySmtpReply(reply);
      assert.equal(result.class, expected, `${reply}\n  -> ${result.class} by ${result.rule}`);
      assert.equal(result.retry, result.class === 'throttled' || result.class === 'temporary' || (result.class === 'soft-bounce' && String(result.code ?? result.enhanced)[0] === '4'));
    });
  }

  it('reads the code, the enhanced status and the text of one-lined multi-line replies', () => {
    const gmail = parseSmtpReply(REPLIES[0][1]);
    assert.equal(gmail.code, 550);
    assert.equal(gmail.enhanced, '5.1.1');
    assert.ok(!/\b550[- ]/.test(gmail.text), gmail.text);
    assert.match(gmail.text, /^The email account that you tried to reach does not exist\. Please try double-checking/);
  });

  it('reads DSN diagnostics and replies quoted in prose', () => {
    assert.deepEqual(parseSmtpReply('smtp; 550 5.1.1 <a@b.example>: User unknown'), { code: 550, enhanced: '5.1.1', text: '<a@b.example>: User unknown' });
    assert.deepEqual(parseSmtpReply('X-Postfix; unknown user: "anna"'), { text: 'unknown user: "anna"' });
    assert.deepEqual(parseSmtpReply('host mx.b.example [192.0.2.25]: 550 No Such User Here'), { code: 550, text: 'host mx.b.example [192.0.2.25]: 550 No Such User Here' });
    assert.equal(parseSmtpReply('Remote Server returned \'550 5.1.10 RESOLVER.ADR.RecipientNotFound\'').enhanced, '5.1.10');
    assert.equal(parseSmtpReply('#550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found ##').code, 550);
  });

  it('takes no address or number in the text for a code', () => {
    // 4.16.55.1 is Yahoo's error reference, 192.0.2.11 an address, 450 a limit.
    assert.equal(parseSmtpReply('421 4.7.0 [TSS04] deferred - 4.16.55.1').enhanced, '4.7.0');
    assert.equal(parseSmtpReply('Too many connections from 4.5.6.7').enhanced, undefined);
    assert.equal(parseSmtpReply('mailbox over quota, limit 450 messages').code, undefined);
  });

  it('needs a severity for a reply with no code at all', () => {
    assert.equal(classifySmtpReply('Connection closed').class, 'temporary');
    assert.equal(classifySmtpReply('unknown user: "anna"', { severity: 'permanent' }).class, 'hard-bounce');
    assert.equal(classifySmtpReply('unknown user: "anna"', { severity: 'temporary' }).class, 'temporary');
  });

  it('says what a failure amounts to once nothing more is tried', () => {
    const outcome = (reply: string) => finalOutcome(classifySmtpReply(reply));
    assert.equal(outcome('550 5.1.1 User unknown'), 'hard-bounce');
    assert.equal(outcome('552 5.2.2 Mailbox full'), 'soft-bounce');
    // 4xx retried until the attempts ran out: a soft bounce of the address …
    assert.equal(outcome('451 4.3.0 Temporary local problem'), 'soft-bounce');
    assert.equal(outcome('450 4.1.1 Recipient address rejected: unverified address'), 'soft-bounce');
    // … unless it was about us or never reached a server.
    assert.equal(outcome('454 Throttling failure: Maximum sending rate exceeded.'), 'failed');
    assert.equal(outcome('451 4.7.1 Service unavailable, client host blocked'), 'failed');
    assert.equal(outcome('Connection closed'), 'failed');
    assert.equal(outcome('554 5.7.1 Relay access denied'), 'failed');
  });

  it('names the rule that decided', () => {
    assert.equal(classifySmtpReply('550 5.1.1 whatever').rule, 'status 5.1.1');
    assert.equal(classifySmtpReply('550 No Such User Here').rule, 'text "no such user"');
  });
});
