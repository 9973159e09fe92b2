// What a diagnostic quotes from the user's files is short and one line (cut, control characters
// escaped), and "did you mean" is bounded by length whatever the input.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { clipValue as cutValue, nameList, quoteValue } from '../../src/core/facts/format';
import { closest, editDistance, MAX_SUGGESTED_LENGTH } from '../../src/core/load/similar';
import type { ConfirmModel } from '../../src/core/types';
import { CLEAN, edit, TempDir, withCode, en } from '../fixtures/core/mailingFixture';

describe('diagnostics: quoted values', () => {
  it('cuts a value to 60 characters with an ellipsis and escapes line breaks and control characters', () => {
    assert.equal(quoteValue('ann@example'), '`ann@example`');
    assert.equal(quoteValue('x'.repeat(60)), `\`${'x'.repeat(60)}\``);
    assert.equal(quoteValue('x'.repeat(61)), `\`${'x'.repeat(60)}…\``);
    assert.equal(quoteValue('x'.repeat(10_000_000)), `\`${'x'.repeat(60)}…\``);
    assert.equal(cutValue('a\r\nb\tc\u0000d\u0007e\u007ff\u0085g\u2028h'), 'a\\r\\nb\\tc\\0d\\x07e\\x7ff\\x85g\\u2028h');
    // Characters, not UTF-16 units: an emoji is never cut in half.
    assert.equal(cutValue('😀'.repeat(61)), `${'😀'.repeat(60)}…`);
  });

  it('lists the first 12 names, each cut, and says how many there are', () => {
    assert.equal(nameList(['a', 'b']), 'a, b');
    const many = Array.from({ length: 1000 }, (_, i) => `column${i}`);
    assert.equal(nameList(many), `${many.slice(0, 12).join(', ')}, … (1,000 in all)`);
    assert.equal(nameList(['x'.repeat(100)]), `${'x'.repeat(40)}…`);
  });

  it('no message quotes more than a short line of what a file holds', async () => {
    const dir = await TempDir.create();
    try {
      const long = `${'v'.repeat(5000)}\r\n${'w'.repeat(5000)}`;
      const columns = Array.from({ length: 1000 }, (_, i) => `col${i}-${'c'.repeat(900)}`);
      await dir.write({
        'list.csv': `email,firstName,city\n"${long}",Ann,Delft\n`,
        'wide.csv': `${columns.join(',')}\nann@example.com\n`,
      });
      const text = edit(
        edit(CLEAN, '    - email: ann@example.com', `    - file: list.csv\n    - file: wide.csv\n    - email: "${long.replace(/\r\n/g, '\\r\\n')}"\n    - email: ann@example.com`),
        'subject: Hello {{firstName}}',
        `subject: Hello {{${'f'.repeat(5000)}}}\n"${'k'.repeat(5000)}\\n": 1\nreplyTo: "${'r'.repeat(5000)}\\n"`,
      );
      const model: ConfirmModel = await dir.model(text);
      const quoting = ['recipient-invalid', 'csv-email-column-missing', 'merge-field-unknown', 'schema', 'reply-to-invalid'] as const;
      for (const code of quoting) assert.ok(withCode(model, code).length > 0, `no ${code}`);
      for (const d of model.diagnostics) {
        assert.ok(en(d).length < 800, `${d.code}: ${en(d).length} characters`);
        assert.ok(!/[\r\n]/.test(en(d)), `${d.code} prints a raw line break`);
      }
      assert.match(en(withCode(model, 'csv-email-column-missing')[0]), /, … \(1,000 in all\)\)$/);
    } finally {
      await dir.remove();
    }
  });
});

describe('did you mean: bounded by length', () => {
  it('gives no suggestion for a word longer than the limit, and never compares a long candidate', () => {
    const huge = 'e'.repeat(10_000_000);
    assert.equal(closest(huge, ['email']), undefined);
    assert.equal(closest('emial', [huge, 'x'.repeat(MAX_SUGGESTED_LENGTH + 1), 'email']), 'email');
    assert.equal(closest('e'.repeat(MAX_SUGGESTED_LENGTH), ['e'.repeat(MAX_SUGGESTED_LENGTH - 1)]), 'e'.repeat(MAX_SUGGESTED_LENGTH - 1));
  });

  it('a bounded edit distance is exact up to its bound and above it past the bound', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A'), maxLength: 9 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 6 }), (a, b, max) => {
        const exact = editDistance(a, b);
        const bounded = editDistance(a, b, max);
        if (exact <= max) assert.equal(bounded, exact);
        else assert.ok(bounded > max, `${a} ${b} max ${max}: ${bounded} (exact ${exact})`);
      }),
      { numRuns: 500 },
    );
  });
});
