// The pace keys of the format: read into SendingOptions, valid against the schema, and every bad
// value a located diagnostic (window-invalid, quota-invalid, per-domain-invalid, invalid zones in
// the target list, window-too-short); Confirm's pace preview and summary lines.
import * as assert from 'node:assert/strict';
import { paceLines } from '../../src/cli/paceText';
import { cliWords } from '../../src/cli/words';
import { Formatter } from '../../src/core/facts/format';
import { renderRefusal } from '../../src/core/facts/refusals';
import { summaryLine } from '../../src/core/facts/render';
import { statusWord } from '../../src/core/facts/summaries';
import type { Statistics } from '../../src/core/types';
import { at, CLEAN, codes, edit, en, summaryLines, TempDir, withCode } from '../fixtures/core/mailingFixture';

const SENDING = `sending:
  rate: 60/minute
  window:
    days: mon-fri
    hours: ["08:00-09:00:30", "18:00-22:00"]
    except: [2026-12-25]
  quota: [2000/hour, 50000/day]
  perDomain:
    gmail.com: 100/minute
    "*": 20/minute
  warmup: { start: 500, growth: 1.5 }
`;

/** `line:from-line:to` of a range on the `line`-th line after CLEAN (1-based), for text appended to it. */
const afterClean = (line: number, from: number, to: number): string => {
  const n = CLEAN.split('\n').length - 1 + line;
  return `${n}:${from}-${n}:${to}`;
};

describe('format: the pace of a send', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await TempDir.create();
  });
  afterEach(async () => dir.remove());

  it('reads window, quotas, per-domain rates and warm-up, with no diagnostic beyond test-not-sent', async () => {
    const model = await dir.model(CLEAN + SENDING);
    assert.deepEqual(codes(model), ['test-not-sent']);
    const { sending } = model.mailing;
    assert.deepEqual(sending.window, { days: [1, 2, 3, 4, 5], ranges: [{ start: 8 * 3600, end: 9 * 3600 + 30 }, { start: 18 * 3600, end: 22 * 3600 }], except: ['2026-12-25'] });
    assert.deepEqual(sending.quotas, [
      { count: 2000, periodMs: 3_600_000, text: '2000/hour' },
      { count: 50000, periodMs: 86_400_000, text: '50000/day' },
    ]);
    assert.deepEqual(sending.perDomain, [
      { domain: 'gmail.com', rate: { count: 100, per: 'minute' } },
      { domain: '*', rate: { count: 20, per: 'minute' } },
    ]);
    assert.deepEqual(sending.warmup, { start: 500, growth: 1.5 });
    const transport = summaryLines(model, 'transport');
    assert.ok(transport.includes('Quota: at most 2,000 per hour, 50,000 per day (shared by every mailing sent through the SMTP server)'), transport.join('\n'));
    assert.ok(transport.includes('Per domain: gmail.com 100 per minute, every other domain 20 per minute'));
    const schedule = summaryLines(model, 'schedule');
    assert.ok(schedule.includes('Send window: Mon–Fri 08:00–09:00:30, 18:00–22:00, except 2026-12-25 (Europe/Amsterdam)'), schedule.join('\n'));
    // Wednesday 10 June 2026 12:00 UTC is 14:00 in Amsterdam: the window opens at 18:00.
    assert.equal(model.pace?.nextOpening, '2026-06-10T16:00:00.000Z');
    assert.equal(model.pace?.finishAt, '2026-06-10T16:00:01.000Z', 'two recipients at one a second');
    assert.ok(schedule.includes('The window opens: Wed 10 Jun 2026 18:00 CEST, in 4 hours'), schedule.join('\n'));
  });

  it('the mapping form of schedule with localTime; the plain string still works', async () => {
    const text = edit(CLEAN, '    - email: bob@example.com\n', '    - email: bob@example.com\n      timezone: America/New_York\n') + 'schedule: { at: "2026-06-12 20:00", localTime: true }\n';
    const model = await dir.model(text);
    assert.deepEqual(codes(model), ['test-not-sent']);
    assert.equal(model.mailing.schedule, '2026-06-12 20:00');
    assert.equal(model.mailing.sending.localTime, true);
    assert.deepEqual(model.pace?.waves, [
      { zone: 'Europe/Amsterdam', count: 1, dueAt: '2026-06-12T18:00:00.000Z' },
      { zone: 'America/New_York', count: 1, dueAt: '2026-06-13T00:00:00.000Z' },
    ]);
    assert.equal(model.pace?.withoutZone, 1);
    const schedule = summaryLines(model, 'schedule');
    assert.ok(schedule.includes('Without a valid time zone: 1 without a time zone: sent at the local time of Europe/Amsterdam'), schedule.join('\n'));
    const plain = await dir.model(CLEAN + 'schedule: "2026-06-12 20:00"\n');
    assert.equal(plain.mailing.schedule, '2026-06-12 20:00');
    assert.equal(plain.mailing.sending.localTime, undefined);
  });

  it('schedule-invalid of the mapping form is on its `at`', async () => {
    const model = await dir.model(CLEAN + 'schedule:\n  at: "whenever"\n  localTime: true\n');
    const [d] = withCode(model, 'schedule-invalid');
    assert.equal(at(d), afterClean(2, 7, 17));
  });

  it('window-invalid on each bad value: a day, hours, a date', async () => {
    const model = await dir.model(CLEAN + 'sending:\n  window:\n    days: [mon, funday]\n    hours: "25:00-26:00"\n    except: [2026-02-30]\n');
    const found = withCode(model, 'window-invalid');
    assert.deepEqual(
      found.map((d) => [at(d), d.step, en(d)]),
      [
        [afterClean(3, 17, 23), 'schedule', '`funday` is not a day or a range of days: write e.g. `mon-fri`, `sat` or `weekend`'],
        [afterClean(4, 12, 25), 'schedule', 'Hours `25:00-26:00` are not understood: write a range of times of day, e.g. `"18:00-22:00"` (HH:MM, to 24:00)'],
        [afterClean(5, 14, 24), 'schedule', '`2026-02-30` is not a date: write it as YYYY-MM-DD, e.g. `2026-12-25`'],
      ],
    );
    assert.equal(model.mailing.sending.window, undefined, 'a window that cannot be read is not used');
    assert.ok(model.hasErrors);
  });

  it('an empty range and a range with its end before its start', async () => {
    const empty = await dir.model(CLEAN + 'sending:\n  window:\n    hours: "18:00-18:00"\n');
    assert.match(en(withCode(empty, 'window-invalid')[0]), /start and end at the same time/);
    const overnight = await dir.model(CLEAN + 'sending:\n  window:\n    days: fri-mon\n    hours: "22:00-02:00"\n');
    assert.deepEqual(codes(overnight), ['test-not-sent']);
    assert.deepEqual(overnight.mailing.sending.window?.days, [0, 1, 5, 6]);
  });

  it('quota-invalid and per-domain-invalid, located', async () => {
    const model = await dir.model(CLEAN + 'sending:\n  quota: [2000/hour, 5/week]\n  perDomain:\n    "not a domain": 10/minute\n    gmail.com: fast\n');
    const [quota] = withCode(model, 'quota-invalid');
    assert.equal(at(quota), afterClean(2, 22, 28));
    assert.equal(quota.step, 'transport');
    assert.equal(en(quota), 'Quota `5/week` is not understood: write `N/day`, `N/hour`, `N/minute` or `N/second` (or a number of them, `300/15min`), e.g. `50000/day`');
    const domains = withCode(model, 'per-domain-invalid');
    assert.deepEqual(
      domains.map((d) => [at(d), en(d)]),
      [
        [afterClean(4, 5, 19), '`not a domain` is not a domain name: write one such as `gmail.com`, or `"*"` for every other domain'],
        [afterClean(5, 16, 20), 'gmail.com: rate `fast` is not understood: write `N/second`, `N/minute` or `N/hour`, e.g. `100/minute`'],
      ],
    );
    assert.deepEqual(model.mailing.sending.quotas, [{ count: 2000, periodMs: 3_600_000, text: '2000/hour' }]);
  });

  it('a quota over a number of units, up to a day', async () => {
    const model = await dir.model(CLEAN + 'sending:\n  quota: [300/15min, 6/5 seconds, 14/s, 10/2days]\n');
    assert.deepEqual(model.mailing.sending.quotas, [
      { count: 300, periodMs: 900_000, text: '300/15 minutes' },
      { count: 6, periodMs: 5_000, text: '6/5 seconds' },
      { count: 14, periodMs: 1_000, text: '14/second' },
    ]);
    assert.match(en(withCode(model, 'quota-invalid')[0]), /looks back more than a day/);
  });

  it('warm-up bounds are the schema’s', async () => {
    const model = await dir.model(CLEAN + 'sending:\n  warmup: { start: 0, growth: 20 }\n');
    assert.deepEqual(codes(model).filter((c) => c === 'schema').length, 2);
    assert.equal(model.mailing.sending.warmup, undefined);
  });

  it('recipient-timezone-invalid: a warning per source, with the CSV rows; only with localTime', async () => {
    const csv = 'email,firstName,city,timezone\nann@example.com,Ann,Delft,Europe/Amsterdm\nbob@example.com,Bob,Breda,\ncid@example.com,Cid,Ede,Asia/Tokyo\ndan@example.com,Dan,Ede,Nowhere\n';
    const text = edit(CLEAN, '    - email: ann@example.com\n      firstName: Ann\n      city: Delft\n', '    - file: people.csv\n    - email: eve@example.com\n      firstName: Eve\n      city: Ede\n      timezone: Europe/Amsterdm\n');
    const withoutLocal = await dir.model(text, { 'people.csv': csv });
    assert.deepEqual(withCode(withoutLocal, 'recipient-timezone-invalid'), []);
    const model = await dir.model(text + 'schedule: { at: "2026-06-12 20:00", localTime: true }\n', { 'people.csv': csv });
    const found = withCode(model, 'recipient-timezone-invalid');
    assert.deepEqual(
      found.map((d) => [d.severity, d.step, at(d), en(d)]),
      [
        ['warning', 'targetList', '12:13-12:23', 'people.csv: 2 rows have a time zone that is not an IANA zone (row 2 `Europe/Amsterdm`, row 5 `Nowhere`); they are sent at the local time of Europe/Amsterdam'],
        ['warning', 'targetList', '16:17-16:32', 'Time zone `Europe/Amsterdm` is not an IANA zone: this contact is sent at the local time of Europe/Amsterdam; did you mean Europe/Amsterdam?'],
      ],
    );
    assert.equal(found[1].data?.suggestion, 'Europe/Amsterdam');
    assert.equal(model.pace?.invalidZone, 3);
    assert.equal(model.pace?.withoutZone, 1, 'bob; the inline bob is a duplicate');
  });

  it('window-too-short when the window leaves too little time within the days allowed', async () => {
    const text = CLEAN + 'sending:\n  rate: 1/hour\n  window:\n    hours: "18:00-18:30"\n';
    const model = await dir.model(text, {}, { finishWithinDays: 1 });
    const [d] = withCode(model, 'window-too-short');
    assert.equal(d.severity, 'warning');
    assert.equal(d.step, 'schedule');
    assert.equal(at(d), afterClean(3, 3, 9));
    assert.equal(en(d), 'At the configured pace the send window keeps the send of 2 recipients from finishing within 1 day: it would take until about Thu 11 Jun 2026 18:00 CEST, in 1 day');
    assert.deepEqual(withCode(await dir.model(text, {}, { finishWithinDays: 2 }), 'window-too-short'), []);
  });

  it('window-too-short on the quota when a quota is what holds it up', async () => {
    const rows = Array.from({ length: 8 }, (_, k) => `p${k}@example.com,P${k},Ede`).join('\n');
    const files = { 'more.csv': `email,firstName,city\n${rows}\n` };
    const text = edit(CLEAN, '  include:\n', '  include:\n    - file: more.csv\n');
    const model = await dir.model(text + 'sending:\n  quota: 1/day\n', files);
    const [d] = withCode(model, 'window-too-short');
    assert.equal(d.step, 'transport');
    assert.equal(at(d), afterClean(3, 3, 8));
    assert.equal(en(d), 'At the configured pace the quota keeps the send of 10 recipients from finishing within 7 days: it would take until about Fri 19 Jun 2026 14:00 CEST, in 9 days');
    assert.deepEqual(withCode(await dir.model(text + 'sending:\n  quota: 2/day\n', files), 'window-too-short'), []);
  });
});

describe('format: the pace in Dutch, and the waiting status in the faces', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await TempDir.create();
  });
  afterEach(async () => dir.remove());

  it('a pace diagnostic and the pace summary read in Dutch', async () => {
    const model = await dir.model(CLEAN + 'sending:\n  quota: 5/week\n  window:\n    days: mon-fri\n    hours: "18:00-22:00"\n');
    assert.match(en(withCode(model, 'quota-invalid')[0], 'nl'), /^Quotum `5\/week` is niet te begrijpen/);
    const f = new Formatter('nl', { timezone: 'Europe/Amsterdam', now: new Date('2026-06-10T12:00:00Z') });
    const schedule = model.steps.find((s) => s.step === 'schedule')!.facts.map((fact) => summaryLine(fact, f));
    assert.ok(schedule.includes('Verzendvenster: ma–vr 18:00–22:00 (Europe/Amsterdam)'), schedule.join('\n'));
  });

  it('a waiting mailing: its status word, the refusal hint and the CLI status lines', () => {
    const nl = new Formatter('nl', { timezone: 'Europe/Amsterdam', now: new Date('2026-06-10T12:00:00Z') });
    assert.equal(statusWord('waiting', nl), 'wachtend');
    assert.match(renderRefusal({ code: 'wrong-state', action: 'schedule', status: 'waiting' }, nl), /^kan niet plannen: de mailing is wachtend; zij gaat vanzelf verder/);
    const stats: Statistics = {
      status: 'waiting', total: 40, sent: 12, failed: 0, deferred: 0, pending: 28, skipped: 0, uncertain: 0, ratePerMinute: 0, perMinute: [],
      waiting: { reason: 'window', until: '2026-06-10T16:00:00.000Z' },
      pace: { configuredPerMinute: 60, currentPerMinute: 30, throttledAt: '2026-06-10T11:00:00.000Z', domains: [] },
      waves: [{ zone: 'America/New_York', dueAt: '2026-06-13T00:00:00.000Z', total: 40, sent: 12, failed: 0 }],
    };
    const lines = paceLines(stats);
    assert.match(lines[0], /^waiting for its send window: goes on \w{3} 10 Jun 2026 \d\d:00/);
    assert.match(lines[1], /^rate: configured 60\/minute, current 30\/minute \(lowered after a "too fast" reply at /);
    assert.match(lines[3], /^ {2}America\/New_York: due Fri 12 Jun 2026 20:00 EDT, .+; 12 of 40 sent$/, 'a wave in its own zone');

    // In Dutch, as `mailings status --lang nl` prints them.
    const dutch = paceLines(stats, cliWords('nl'));
    assert.match(dutch[0], /^wacht op het verzendvenster: gaat verder \w+ 10 jun 2026 \d\d:00/);
    assert.match(dutch[1], /^tempo: ingesteld 60\/minuut, huidig 30\/minuut \(verlaagd na een antwoord "te snel" om /);
    assert.equal(dutch[2], 'golven (lokale tijd):');
    assert.match(dutch[3], /^ {2}America\/New_York: gepland .+; 12 van 40 verzonden$/);
  });
});
