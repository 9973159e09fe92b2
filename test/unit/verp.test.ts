import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { mailingTag, parseVerpAddress, verpAddress, VerpError, VERP_TAG_LENGTH } from '../../src/core/bounces/verp';
import { messageIdFor, newMessageIdToken, parseMessageId } from '../../src/core/render/messageId';

const TOKEN = 'mi4x8k2p.3f9a1c7e2b4d';

describe('VERP', () => {
  it('puts the mailing tag and the recipient index into the return path', () => {
    const address = verpAddress('bounces@northwind.example', TOKEN, 17);
    assert.equal(address, `bounces+${mailingTag(TOKEN)}-17@northwind.example`);
    assert.match(mailingTag(TOKEN), new RegExp(`^[a-z2-7]{${VERP_TAG_LENGTH}}$`));
    assert.deepEqual(parseVerpAddress(address), { tag: mailingTag(TOKEN), index: 17, base: 'bounces@northwind.example' });
  });

  it('gives every mailing its own tag, the same for all its messages', () => {
    const tags = new Set(Array.from({ length: 2000 }, () => mailingTag(newMessageIdToken())));
    assert.equal(tags.size, 2000);
    assert.equal(mailingTag(TOKEN), mailingTag(TOKEN));
  });

  it('round-trips any token and index, whatever an MTA does to the address on the way back', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.nat({ max: 10_000_000 }), fc.constantFrom('bounces@northwind.example', 'me+list@gmail.com', 'b@x.co'), (token, index, base) => {
        const address = verpAddress(base, token, index);
        const expected = { tag: mailingTag(token), index, base: base.toLowerCase() };
        const [local, domain] = [address.slice(0, address.lastIndexOf('@')), address.slice(address.lastIndexOf('@') + 1)];
        for (const seen of [
          address,
          address.toUpperCase(), // lowercased or uppercased by an MTA
          `<${address}>`,
          `rfc822; ${address}`, // a DSN field
          `Northwind Books <${address}>`,
          `mailto:${address}`,
          `"${local}"@${domain}`, // quoted local part
          `prvs=0123456789=${address}`, // BATV signed
          `SRS0=HHH=TT=${domain}=${local}@forwarder.example`, // SRS forwarded
          `SRS1=HHH=forwarder.example==HHH=TT=${domain}=${local}@second.example`,
        ]) {
          assert.deepEqual(parseVerpAddress(seen), expected, seen);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects what is no VERP address of ours', () => {
    for (const text of ['bounces@northwind.example', 'bounces+abc-17@northwind.example', `bounces+${mailingTag(TOKEN)}@northwind.example`, `bounces+${mailingTag(TOKEN)}-x1@northwind.example`, 'not an address', '']) {
      assert.equal(parseVerpAddress(text), undefined, text);
    }
    // 8 and 9 are no base32 digits.
    assert.equal(parseVerpAddress('bounces+x2p4r6t8v2b4-7@northwind.example'), undefined);
  });

  it('uses another delimiter when the inbox wants it', () => {
    const address = verpAddress('bounces@northwind.example', TOKEN, 5, { delimiter: '-' });
    assert.equal(address, `bounces-${mailingTag(TOKEN)}-5@northwind.example`);
    assert.equal(parseVerpAddress(address, { delimiter: '-' })?.index, 5);
    assert.equal(parseVerpAddress(address), undefined);
  });

  it('refuses a return path that would make a local part over 64 characters, or no address', () => {
    assert.throws(() => verpAddress(`${'a'.repeat(50)}@northwind.example`, TOKEN, 1), (error: unknown) => error instanceof VerpError && /at most 64/.test(error.message));
    assert.throws(() => verpAddress('northwind.example', TOKEN, 1), VerpError);
    assert.throws(() => verpAddress('bounces@northwind.example', TOKEN, -1), VerpError);
  });
});

describe('Message-ID inverse', () => {
  it('reads the token, index and domain back from what messageIdFor made', () => {
    fc.assert(
      fc.property(fc.nat({ max: 5_000_000 }), (index) => {
        const token = newMessageIdToken();
        const id = messageIdFor(token, index, 'northwind.example');
        assert.deepEqual(parseMessageId(id), { token, index, domain: 'northwind.example' });
        assert.deepEqual(parseMessageId(` ${id.slice(1, -1)} `), { token, index, domain: 'northwind.example' });
      }),
      { numRuns: 200 },
    );
  });

  it('reads test-send Message-IDs too, and refuses other shapes', () => {
    assert.deepEqual(parseMessageId('<test.mi4x8k2p.0a1b2c3d.2@northwind.example>'), { token: 'test.mi4x8k2p.0a1b2c3d', index: 2, domain: 'northwind.example' });
    for (const id of ['<20261203180412.7D3E21C2A4F@mail.northwind.example>', '<noindex@x.example>', '<a.@x.example>', 'a.b', '<a.b@c@d>', '']) {
      const parts = parseMessageId(id);
      // A foreign id may parse into a token no mailing has; it must not parse into nonsense.
      if (parts) assert.ok(parts.token.length > 0 && Number.isSafeInteger(parts.index), id);
    }
    assert.equal(parseMessageId('<noindex@x.example>'), undefined);
    assert.equal(parseMessageId('<a.@x.example>'), undefined);
    assert.equal(parseMessageId('a.b'), undefined);
  });
});
