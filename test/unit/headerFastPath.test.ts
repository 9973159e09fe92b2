// The template renderer's fast path for a recipient's To, Subject and Message-ID (plainHeaderLine):
// whenever it gives a line, that line is exactly what nodemailer's encoder and foldLines give — on
// random addresses, subjects and msg-ids built to sit on both sides of its conditions (case, punycode,
// hyphens, dots, quoting, specials, control characters, non-ASCII, long values that fold).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { foldLines } from 'nodemailer/lib/mime-funcs';
import MimeNode from 'nodemailer/lib/mime-node';
import { isPlainAddress, plainHeaderLine } from '../../src/core/render/templateRenderer';

const encoder = new MimeNode(false);
const viaEncoder = (key: string, value: string | { name: string; address: string }) => foldLines(`${key}: ${encoder.encodeHeaderValue(key, value)}`, 76);

const chars = (alphabet: string, min: number, max: number) => fc.array(fc.constantFrom(...alphabet), { minLength: min, maxLength: max }).map((a) => a.join(''));
const LOCAL = "abcXYZ019.!#$%&'*+/=?^_`{|}~-\"(),:;<>[]\\ @é";
const DOMAIN = 'abcxyzABC019-.é';
const label = fc.oneof(chars(DOMAIN, 1, 12), fc.constant('xn--jgeva-dua'), fc.constant('xn--zz'), fc.constant('a'.repeat(63)), fc.constant('b'.repeat(64)), fc.constant('ab--cd'));
const address = fc.tuple(fc.oneof(chars(LOCAL, 0, 20), fc.constant('reader12'), fc.constant('first.last')), fc.array(label, { minLength: 1, maxLength: 4 })).map(([local, labels]) => `${local}@${labels.join('.')}`);
const subject = fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 40 }), chars('abc XYZ,;:"=?_-\t\r\n\x01é', 0, 150), fc.constant('Reader1, your November list'));
const msgId = fc.oneof(chars('abc.019@-_=+<>"\x01 é', 0, 60).map((v) => `<${v}>`), chars('abc.019@', 1, 40), fc.constant('<0123abcd.42@northwind.example>'));

describe('the template renderer’s plain header lines', () => {
  const cases: [key: 'To' | 'Subject' | 'Message-ID', values: fc.Arbitrary<string>, encoderInput: (value: string) => string | { name: string; address: string }][] = [
    ['To', address, (value) => ({ name: '', address: value })],
    ['Subject', subject, (value) => value],
    ['Message-ID', msgId, (value) => value],
  ];
  for (const [key, values, encoderInput] of cases) {
    it(`a ${key} line from the fast path is the encoder’s, folded alike`, () => {
      fc.assert(
        fc.property(values, (value) => {
          const fast = plainHeaderLine(key, value);
          if (fast !== undefined) assert.equal(fast, viaEncoder(key, encoderInput(value)), JSON.stringify(value));
        }),
        { numRuns: 3000 },
      );
    });
  }

  it('takes the fast path for the common values, and leaves the rest to the encoder', () => {
    for (const plain of ['reader12@example.com', 'first.last+tag@mail.example.co.uk', "o'brien@ab--cd.example"]) assert.ok(isPlainAddress(plain), plain);
    for (const other of ['Reader@Example.COM', 'a@xn--jgeva-dua.ee', 'zoë@example.com', 'a@jõgeva.ee', '"quoted"@example.com', 'a..b@example.com', 'a@localhost', `a@${'b'.repeat(64)}.com`]) assert.ok(!isPlainAddress(other), other);
    assert.equal(plainHeaderLine('Subject', 'Reader1, your November list'), 'Subject: Reader1, your November list');
    assert.equal(plainHeaderLine('Subject', 'Zoë, your list'), undefined);
    assert.equal(plainHeaderLine('Subject', 'tab\there'), undefined);
    assert.equal(plainHeaderLine('Message-ID', '<1.2@northwind.example>'), 'Message-ID: <1.2@northwind.example>');
    assert.equal(plainHeaderLine('Message-ID', '1.2@northwind.example'), undefined);
  });
});
