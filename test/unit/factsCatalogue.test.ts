// The catalogue speaks both languages for every code and uses every arg: a sample of every code's
// every variant is rendered in English and Dutch, then each arg in it is changed in turn, and the
// text must change with it. Also the Formatter's shared forms.
import * as assert from 'node:assert/strict';
import { DIAGNOSTIC_CATALOGUE, DIAGNOSTIC_CODES, type DiagnosticArgs, type DiagnosticCode } from '../../src/core/facts/diagnostics';
import { Formatter, quoteValue } from '../../src/core/facts/format';
import { langFromEnv, langOf, LANGS } from '../../src/core/facts/lang';
import { renderDiagnostic, renderSummary, type DiagnosticFact } from '../../src/core/facts/render';
import { SUMMARY_CODES, type SummaryArgs, type SummaryCode, type SummaryFact } from '../../src/core/facts/summaries';

const AT = '2026-12-04T18:00:00.000Z';
const NOW = new Date('2026-12-01T12:00:00Z');
const skipped = { excluded: 3, invalid: 4, duplicate: 5 };

/** At least one sample of each variant of each code's args. */
export const DIAGNOSTIC_SAMPLES: { [C in DiagnosticCode]: DiagnosticArgs[C][] } = {
  'yaml-syntax': [
    { kind: 'parser', problem: 'BAD_INDENT', text: 'Bad indentation of a sequence entry' },
    { kind: 'parser', problem: 'SOME_NEW_CODE', text: 'Something the parser says' },
    { kind: 'unreadable', text: 'stack overflow' },
    { kind: 'second-document' },
    { kind: 'unknown-alias', alias: 'anchorx' },
    { kind: 'more', count: 17 },
    { kind: 'too-deep', max: 64 },
    { kind: 'too-large', size: 31457280, max: 20971520 },
  ],
  schema: [
    { kind: 'root-empty' },
    { kind: 'root-not-mapping', value: { kind: 'list' } },
    { kind: 'root-not-mapping', value: { kind: 'number', value: 42 } },
    { kind: 'missing', key: 'versionx' },
    { kind: 'missing', key: 'version', hint: 'version' },
    { kind: 'unknown-key', key: 'subjcet', suggestion: 'subject', allowed: [] },
    { kind: 'unknown-key', key: 'colour', where: 'sending', allowed: ['rate', 'transport'] },
    { kind: 'unknown-key', key: 'name', where: 'targetList.include[0]', allowed: [], fileEntry: true },
    { kind: 'type', where: 'sending.connections', expected: ['integer', 'string'], value: { kind: 'text', text: 'five' } },
    { kind: 'target-entry', value: { kind: 'text', text: 'people.csv' }, write: '- file: people.csv' },
    { kind: 'address', where: 'from', value: { kind: 'boolean', value: true } },
    { kind: 'entry-both' },
    { kind: 'entry-neither' },
    { kind: 'enum', where: 'sending.transport', allowed: ['outbox', 'smtp'], value: 'smpt', suggestion: 'smtp' },
    { kind: 'const', where: 'version', allowed: '1' },
    { kind: 'minimum', where: 'sending.connections', limit: 3 },
    { kind: 'maximum', where: 'sending.connections', limit: 77 },
    { kind: 'empty', where: 'name' },
    { kind: 'pattern', where: 'sending.rate' },
    { kind: 'other', where: 'sending', text: 'is odd' },
    { kind: 'subject-multiline' },
    { kind: 'bounce-address', address: 'not-an-address' },
  ],
  'name-missing': [{}],
  'subject-missing': [{}],
  'from-missing': [{}],
  'from-invalid': [
    { kind: 'empty', role: 'from' },
    { kind: 'not-an-address', role: 'from', written: 'Shop' },
    { kind: 'unclosed', role: 'from', written: 'Shop <a@b.example' },
    { kind: 'several', role: 'from', written: 'a@b.example, c@d.example' },
    { kind: 'invalid', role: 'from', email: 'a@b' },
    { kind: 'no-email', role: 'from' },
  ],
  'from-name-is-address': [{ name: 'news@shop.example', email: 'news@shop.example' }],
  'reply-to-invalid': [{ kind: 'invalid', role: 'replyTo', email: 'x@y' }],
  'subject-too-long': [{ length: 91 }],
  'content-missing': [{ kind: 'absent' }, { kind: 'empty-file', file: 'empty.html' }, { kind: 'no-part' }],
  'file-missing': [{ file: 'missing.html' }, { file: 'gone.mailing.yaml', mailing: true }],
  'file-unreadable': [
    { file: 'dir.html', reason: 'folder' },
    { file: 'locked.csv', reason: 'permission' },
    { file: 'odd.txt', reason: 'other', detail: 'EIO' },
    { file: 'x.mailing.yaml', reason: 'folder', mailing: true },
  ],
  'path-outside': [{ file: '../../secret.txt', workspace: '/work/ws' }, { file: 'link.pdf', workspace: '/work/ws', leadsTo: '/etc/passwd' }],
  'merge-field-unknown': [{ field: 'frstName', fields: ['email', 'firstName'], suggestion: 'firstName' }, { field: 'zzz', fields: ['email'] }],
  'merge-syntax': [
    { kind: 'unclosed', written: '{{city' },
    { kind: 'empty' },
    { kind: 'braces', written: '{{{x}}}' },
    { kind: 'default', written: '{{a | b}}', reason: 'unquoted' },
    { kind: 'default', written: '{{a | "b}}', reason: 'unclosed-quote' },
    { kind: 'default', written: '{{a | "b" c}}', reason: 'after-quote' },
    { kind: 'default', written: '{{ | "b"}}', reason: 'empty-name' },
  ],
  'merge-link-unsafe': [{ field: 'website', count: 3, places: [{ file: 'people.csv', rows: [4, 9] }, { contacts: ['ann@example.com'] }] }],
  'unsubscribe-missing': [{}],
  'unsubscribe-invalid': [{ kind: 'url', written: 'ftp://x' }, { kind: 'mailto', written: 'mailto:nobody' }],
  'unsubscribe-not-https': [{}],
  'text-part-missing': [{}],
  'attachment-large': [{ size: 12582912 }],
  'target-list-empty': [{ kind: 'absent' }, { kind: 'no-include' }, { kind: 'no-recipients' }, { kind: 'all-skipped', total: 12, skipped }],
  'csv-email-column-missing': [{ kind: 'empty', file: 'empty.csv' }, { kind: 'no-email', file: 'people.csv', columns: ['mail', 'name'], likely: 'mail' }, { kind: 'no-email', file: 'p.csv', columns: [] }],
  'csv-invalid': [
    { kind: 'broken', file: 'people.csv', row: 7, text: 'Quote not closed' },
    { kind: 'ragged', file: 'people.csv', rows: [3, 8], count: 2, delimiter: ';' },
    { kind: 'ragged', file: 'people.csv', rows: [3], count: 1, delimiter: '\t' },
    { kind: 'duplicate-column', file: 'people.csv', column: 'city' },
    { kind: 'record-too-large', file: 'people.csv', rows: [12], max: 1048576 },
    { kind: 'too-many-columns', file: 'people.csv', rows: [1], max: 1000 },
  ],
  'csv-encoding': [
    { kind: 'invalid-utf8', file: 'latin1.csv', rows: [5] },
    { kind: 'control-characters', file: 'nul.csv', rows: [6, 11] },
  ],
  'recipient-invalid': [
    { kind: 'rows', file: 'people.csv', count: 8, rows: [{ row: 4, value: 'a@b' }, { row: 6, value: '' }] },
    { kind: 'contact', email: 'bad@' },
    { kind: 'contact', email: '' },
    { kind: 'test', email: 'qa@' },
  ],
  'recipient-duplicate': [{ kind: 'rows', file: 'people.csv', count: 2, rows: [14, 15] }, { kind: 'contact', email: 'ann@example.com' }],
  'test-not-sent': [{}],
  'test-outdated': [{ at: AT, to: ['qa@shop.example', 'me@shop.example'] }, { at: AT, to: [] }],
  'test-recipients-missing': [{}],
  'schedule-invalid': [
    { kind: 'zone', zone: 'Mars/Olympus' },
    { kind: 'empty' },
    { kind: 'not-understood', text: 'blorp' },
    { kind: 'several', text: 'monday and tuesday', moments: ['monday', 'tuesday'] },
    { kind: 'leftover', text: 'friday blorp', leftover: 'blorp' },
    { kind: 'period', text: 'next week' },
  ],
  'schedule-past': [{ expression: 'yesterday 19:00', at: AT }],
  'schedule-working-hours': [{ at: AT }],
  'timezone-invalid': [{ zone: 'Europe/Amsterdm', suggestion: 'Europe/Amsterdam' }, { zone: 'Nowhere' }],
  'transport-unconfigured': [{}],
  'rate-invalid': [{ kind: 'form', written: 'fast' }, { kind: 'zero', written: '0/minute' }],
  'changed-since-confirm': [{ status: 'scheduled' }, { status: 'sending' }, { status: 'stopped' }, { status: 'completed' }],
  'already-sent': [
    { status: 'completed', file: 'old.mailing.yaml', stateDir: '/w/.mailings/mailings/old-1', confirmedAt: AT, overlap: 37, total: 37 },
    { status: 'scheduled', file: 'old.mailing.yaml', stateDir: '/w/.mailings/mailings/old-1', confirmedAt: AT, scheduledAt: '2026-12-09T18:00:00.000Z', overlap: 3, total: 40 },
    { status: 'stopped', file: 'old.mailing.yaml', stateDir: '/w/.mailings/mailings/old-1', confirmedAt: AT, overlap: 3, total: 40 },
  ],
};

const SUMMARY_SAMPLES: { [C in SummaryCode]: SummaryArgs[C][] } = {
  'summary-file': [{ file: 'news.mailing.yaml' }],
  'summary-name': [{ name: 'November newsletter' }, {}],
  'summary-from': [{ address: 'Shop <news@shop.example>' }, { written: 'Shop <news' }, {}],
  'summary-reply-to': [{ address: 'help@shop.example' }, { written: 'help@' }],
  'summary-subject': [{ subject: 'Our news' }, {}],
  'summary-html': [{ file: 'news.html' }, {}, { none: true }],
  'summary-text': [{ file: 'news.txt' }, { derived: true }, { none: true }],
  'summary-attachments': [{ items: [{ filename: 'prices.pdf', size: 204800 }] }, { items: [] }],
  'summary-merge-fields': [{ fields: ['firstName', 'city'] }, { fields: [] }],
  'summary-unsubscribe': [{ targets: ['https://shop.example/u', 'mailto:u@shop.example'] }, { targets: [] }],
  'summary-recipients': [{ count: 37, skipped }],
  'summary-sources': [{ files: [{ file: 'customers.csv', rows: 40 }, { file: 'broken.csv' }], contacts: 2 }, { files: [], contacts: 0 }],
  'summary-excluded': [{ files: [{ file: 'unsubscribed.csv', rows: 3 }], contacts: 0 }],
  'summary-fields': [{ fields: ['email', 'firstName'] }],
  'summary-last-test': [{ kind: 'none' }, { kind: 'last', at: AT, to: ['qa@shop.example'], outdated: true }],
  'summary-test-recipients': [{ recipients: ['qa@shop.example'] }, { recipients: [] }],
  'summary-scheduled': [{ at: AT }],
  'summary-proposed': [{ expression: 'next friday 19:00', at: AT }, { expression: 'blorp' }],
  'summary-no-schedule': [{}],
  'summary-timezone': [{ zone: 'Europe/Amsterdam' }],
  'summary-transport': [{ kind: 'outbox', dir: '.mailings/outbox/news-1' }, { kind: 'smtp', server: 'smtp.shop.example:587' }, { kind: 'smtp' }],
  'summary-rate': [{ rate: { count: 600, per: 'minute' } }, { rate: { count: 7, per: 'second' } }, { rate: { count: 9, per: 'hour' } }, {}],
  'summary-connections': [{ count: 5 }],
  'summary-status': [{ status: 'draft' }, { status: 'completed' }],
  'summary-progress': [{ sent: 12, total: 40, failed: 2 }, { sent: 12, total: 40, failed: 0 }],
};

/** Args of a code that one language may ignore on purpose (it has words of its own for them). */
const UNUSED_IN: Record<string, ('en' | 'nl')[]> = {
  // The yaml parser speaks English: English shows its words; Dutch has its own text per finding code
  // (and the parser's words for a code it has none for).
  'yaml-syntax.parser.text': ['nl'],
  'yaml-syntax.parser.problem': ['en', 'nl'],
};

/** Args that choose among a fixed set of words. */
const CHOICES = new Set(['kind', 'role', 'reason', 'status']);

/** Every leaf of an args value (a string, number or boolean, by its path), with a changed copy of the args. */
function* variations(value: unknown, path: string[] = []): Generator<{ path: string; changed: unknown }> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      for (const inner of variations(value[i], [...path, String(i)])) {
        const copy = [...value];
        copy[i] = inner.changed;
        yield { path: inner.path, changed: copy };
      }
    }
    return;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      // Choices among a few words are covered by a sample of each, not by a made-up value.
      if (CHOICES.has(key)) continue;
      for (const v of variations(inner, [...path, key])) yield { path: v.path, changed: { ...value, [key]: v.changed } };
    }
    return;
  }
  const name = path.filter((p) => !/^\d+$/.test(p)).join('.');
  if (typeof value === 'string') yield { path: name, changed: /^\d{4}-\d\d-\d\dT/.test(value) ? '2027-03-15T09:30:00.000Z' : `${value}ZQX` };
  else if (typeof value === 'number') yield { path: name, changed: value * 3 + 7 };
  else if (typeof value === 'boolean') yield { path: name, changed: !value };
}

describe('facts: the catalogue in English and Dutch', () => {
  const formatters = LANGS.map((lang) => new Formatter(lang, { timezone: 'Europe/Amsterdam', now: NOW }));

  it('every diagnostic code has both languages, a sample of every variant, and uses every arg', () => {
    for (const code of DIAGNOSTIC_CODES) {
      const samples = DIAGNOSTIC_SAMPLES[code] as unknown[];
      assert.ok(samples.length > 0, `${code}: a sample`);
      const entry = DIAGNOSTIC_CATALOGUE[code];
      assert.ok(entry.when && entry.step && entry.severity, `${code}: its table entry`);
      for (const args of samples) {
        const kind = (args as { kind?: string }).kind;
        for (const f of formatters) {
          const text = renderDiagnostic({ code, args } as DiagnosticFact, f);
          assert.ok(text.length > 10, `${code} ${f.lang}: ${text}`);
          assert.doesNotMatch(text, /undefined|\[object|NaN/, `${code} ${f.lang}: ${text}`);
          for (const { path, changed } of variations(args)) {
            if (UNUSED_IN[`${code}.${kind}.${path}`]?.includes(f.lang)) continue;
            const other = renderDiagnostic({ code, args: changed } as DiagnosticFact, f);
            assert.notEqual(other, text, `${code}${kind ? ` (${kind})` : ''}: the ${f.lang} text does not use ${path}`);
          }
        }
        const [en, nl] = formatters.map((f) => renderDiagnostic({ code, args } as DiagnosticFact, f));
        if (!/^[`{]/.test(en)) assert.notEqual(en, nl, `${code}: Dutch differs from English: ${nl}`);
      }
    }
  });

  it('every summary fact has a label and a value in both languages, and uses every arg', () => {
    for (const code of SUMMARY_CODES) {
      const samples = SUMMARY_SAMPLES[code] as unknown[];
      assert.ok(samples.length > 0, code);
      for (const args of samples) {
        for (const f of formatters) {
          const { label, value } = renderSummary({ code, args } as SummaryFact, f);
          assert.ok(label && value, `${code} ${f.lang}`);
          assert.doesNotMatch(`${label} ${value}`, /undefined|\[object|NaN/, `${code} ${f.lang}: ${value}`);
          for (const { path, changed } of variations(args)) {
            assert.notEqual(renderSummary({ code, args: changed } as SummaryFact, f).value, value, `${code} ${f.lang}: value does not use ${path}`);
          }
        }
      }
    }
  });

  it('Dutch has its own words for the yaml parser’s findings', () => {
    const nl = formatters[1];
    assert.equal(renderDiagnostic({ code: 'yaml-syntax', args: { kind: 'parser', problem: 'BAD_INDENT', text: 'x' } }, nl), 'De inspringing klopt niet');
  });

  it('uses the seed’s own words in Dutch', () => {
    const nl = formatters[1];
    assert.match(renderDiagnostic({ code: 'test-not-sent', args: {} }, nl), /Nu verzenden of Plannen/);
    assert.match(renderSummary({ code: 'summary-scheduled', args: { at: AT } }, nl).label, /^Gepland voor verzenden om$/);
    assert.match(renderDiagnostic({ code: 'target-list-empty', args: { kind: 'absent' } }, nl), /doellijst/);
  });
});

describe('facts: the Formatter', () => {
  const en = new Formatter('en', { timezone: 'Europe/Amsterdam', now: NOW });
  const nl = new Formatter('nl', { timezone: 'Europe/Amsterdam', now: NOW });

  it('counts, lists, sizes and rows in each language', () => {
    assert.equal(en.count(1234, 'recipient', 'recipients'), '1,234 recipients');
    assert.equal(nl.count(1234, 'ontvanger', 'ontvangers'), '1.234 ontvangers');
    assert.equal(en.count(1, 'row', 'rows'), '1 row');
    assert.equal(en.list(['a', 'b', 'c']), 'a, b, and c');
    assert.equal(nl.list(['a', 'b', 'c']), 'a, b en c');
    assert.equal(en.size(1572864), '1.5 MB');
    assert.equal(nl.size(1572864), '1,5 MB');
    assert.equal(en.rows([4, 9, 12]), 'rows 4, 9, and 12');
    assert.equal(nl.rows([4, 9, 12, 15, 20, 22, 30]), 'rijen 4, 9, 12, 15, 20 en nog 2');
    assert.equal(en.rows([7]), 'row 7');
  });

  it('one date-time form per language, in the mailing’s zone', () => {
    assert.equal(en.moment(AT), 'Fri 4 Dec 2026 19:00 CET, in 3 days');
    assert.equal(nl.moment(AT), 'vr 4 dec 2026 19:00 CET, over 3 dagen');
    assert.equal(en.instant('2026-12-01T19:28:04Z'), 'Tue 1 Dec 2026 20:28:04 CET');
    assert.equal(nl.instant('not a date'), 'not a date');
  });

  it('quotes values from files cut short, with control characters escaped', () => {
    assert.equal(quoteValue('city'), '`city`');
    assert.equal(quoteValue('a\r\nb\u0000c\td'), '`a\\r\\nb\\u0000c\\td`');
    const long = quoteValue('x'.repeat(2_000_000));
    assert.ok(long.length <= 62, `${long.length}`);
    assert.ok(long.endsWith('…`'));
    assert.equal(quoteValue('🎉'.repeat(100)).length < 140, true, 'cut by characters, never inside a surrogate pair');
  });

  it('chooses the CLI language from LC_ALL, LC_MESSAGES and LANG, as command-line tools do', () => {
    assert.equal(langFromEnv({ LANG: 'nl_NL.UTF-8' }), 'nl');
    assert.equal(langFromEnv({ LC_ALL: 'en_US.UTF-8', LANG: 'nl_NL.UTF-8' }), 'en');
    assert.equal(langFromEnv({ LC_MESSAGES: 'nl_BE', LANG: 'en_GB' }), 'nl');
    assert.equal(langFromEnv({ LANG: 'de_DE.UTF-8' }), 'en');
    assert.equal(langFromEnv({}), 'en');
    assert.equal(langOf('nl'), 'nl');
    assert.equal(langOf('nl-BE'), 'nl');
    assert.equal(langOf('C'), 'en');
    assert.equal(langOf('fr'), undefined);
  });
});
