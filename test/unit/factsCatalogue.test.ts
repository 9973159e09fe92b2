// The catalogue speaks both languages for every code and uses every arg: a sample of every code's
// every variant is rendered in English and Dutch, then each arg in it is changed in turn, and the
// text must change with it. Also the Formatter's shared forms.
import * as assert from 'node:assert/strict';
import { DIAGNOSTIC_CATALOGUE, DIAGNOSTIC_CODES } from '../../src/core/facts/diagnostics';
import { Formatter, quoteValue } from '../../src/core/facts/format';
import { langFromEnv, langOf, LANGS } from '../../src/core/facts/lang';
import { renderDiagnostic, renderSummary, type DiagnosticFact } from '../../src/core/facts/render';
import { SUMMARY_CODES, type SummaryArgs, type SummaryCode, type SummaryFact } from '../../src/core/facts/summaries';

import { AT, DIAGNOSTIC_SAMPLES, skipped } from '../support/diagnosticSamples';

const NOW = new Date('2026-12-01T12:00:00Z');

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
  'summary-links': [{ links: 12, images: 3, embedded: 1 }, { links: 0, images: 0, embedded: 0 }],
  'summary-message-size': [{ size: 18432, limit: 104448 }],
  'summary-clients': [{ clients: ['Gmail', 'Outlook'] }, { clients: [] }],
  'summary-spam': [{ kind: 'unknown' }, { kind: 'scored', score: -1, warning: 3, error: 5 }, { kind: 'unavailable' }, { kind: 'failed' }, { kind: 'unrendered' }],
  'summary-reachability': [{ addresses: 9, broken: 2, redirected: 1 }],
  'summary-recipients': [{ count: 37, skipped }, { count: 37, skipped: { ...skipped, suppressed: 6 } }],
  'summary-sources': [{ files: [{ file: 'customers.csv', rows: 40 }, { file: 'broken.csv' }], contacts: 2 }, { files: [], contacts: 0 }],
  'summary-excluded': [
    { files: [{ file: 'unsubscribed.csv', rows: 3 }], contacts: 0 },
    { files: [], contacts: 0, mailings: [{ file: 'october.mailing.yaml', status: 'sent', recipients: 120 }, { file: 'september.mailing.yaml', status: 'failed' }] },
  ],
  'summary-suppression': [
    { kind: 'read', listed: 12, leftOut: 3 },
    { kind: 'unreadable', detail: 'EACCES: permission denied' },
  ],
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
  'summary-window': [
    { window: { days: [1, 2, 3, 4, 5], ranges: [{ start: 18 * 3600, end: 22 * 3600 }], except: ['2026-12-25'] }, zone: 'Europe/Amsterdam' },
    { window: { days: [2], ranges: [{ start: 0, end: 86_400 }], except: [] } },
    { window: { days: [0, 6], ranges: [{ start: 7 * 3600, end: 8 * 3600 + 30 * 60 }, { start: 22 * 3600, end: 2 * 3600 }], except: [] }, zone: 'America/New_York' },
  ],
  'summary-window-opens': [{ at: AT }],
  'summary-waves': [{ waves: [{ zone: 'Asia/Tokyo', count: 3, dueAt: AT }, { zone: 'Europe/Amsterdam', count: 40 }] }],
  'summary-home-zone': [{ zone: 'Europe/Amsterdam', withoutZone: 3, invalidZone: 1 }],
  'summary-finish': [{ finishAt: AT }, { horizonDays: 60 }],
  'summary-quota': [{ quotas: [{ count: 2000, periodMs: 3_600_000 }, { count: 300, periodMs: 900_000 }] }],
  'summary-per-domain': [{ domains: [{ domain: 'gmail.com', perMinute: 100 }, { domain: '*', perMinute: 20 }] }],
  'summary-warmup': [{ start: 500, growth: 1.5 }],
  'summary-status': [{ status: 'draft' }, { status: 'completed' }, { status: 'waiting' }],
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
    assert.equal(en.rows([4, 9, 12]), 'rows 4, 9, 12');
    assert.equal(nl.rows([4, 9, 12, 15, 20, 22, 30]), 'rijen 4, 9, 12, 15, 20 en nog 2');
    assert.equal(en.rows([25009]), 'row 25009', 'row numbers as line numbers, not grouped');
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
    assert.equal(quoteValue('a\r\nb\u0000c\td'), '`a\\r\\nb\\0c\\td`');
    const long = quoteValue('x'.repeat(2_000_000));
    assert.ok(long.length <= 63, `${long.length}`);
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
