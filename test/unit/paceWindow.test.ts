// The send window on the instant scale: inside or not, next opening and closing, day boundaries,
// `except` dates and both DST transitions in Europe/Amsterdam and America/New_York.
import * as assert from 'node:assert/strict';
import { firstInstantAtOrAfter, SendWindow } from '../../src/core/pace/window';
import type { SendWindowSpec } from '../../src/core/types';

const H = 3600;
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function window(spec: Partial<SendWindowSpec> & { hours?: [number, number][] }, zone = 'Europe/Amsterdam'): SendWindow {
  const ranges = (spec.hours ?? [[0, 24]]).map(([start, end]) => ({ start: start * H, end: end * H }));
  return new SendWindow({ days: spec.days ?? EVERY_DAY, ranges, except: spec.except ?? [] }, zone);
}

describe('send window', () => {
  describe('weekdays and hours (Europe/Amsterdam, mon-fri 18:00-22:00)', () => {
    const w = window({ days: [1, 2, 3, 4, 5], hours: [[18, 22]] });

    it('is open from the start of a range up to, not including, its end', () => {
      // Tuesday 8 December 2026; CET = UTC+1.
      assert.equal(w.contains(t('2026-12-08T16:59:59.999Z')), false);
      assert.equal(w.contains(t('2026-12-08T17:00:00Z')), true);
      assert.equal(w.contains(t('2026-12-08T20:59:59.999Z')), true);
      assert.equal(w.contains(t('2026-12-08T21:00:00Z')), false);
      assert.deepEqual(w.stateAt(t('2026-12-08T19:00:00Z')), { open: true, until: t('2026-12-08T21:00:00Z') });
    });

    it('opens next on Monday after a Friday evening, and says when that stretch closes', () => {
      const fridayLate = t('2026-12-11T22:30:00Z');
      assert.equal(iso(w.nextOpening(fridayLate)), '2026-12-14T17:00:00.000Z');
      assert.equal(iso(w.nextClosing(fridayLate)), '2026-12-14T21:00:00.000Z');
      // Inside: the opening is the instant itself.
      assert.equal(w.nextOpening(t('2026-12-14T18:00:00Z')), t('2026-12-14T18:00:00Z'));
    });

    it('is the same whatever zone the machine is in: New York reads its own wall clock', () => {
      const ny = window({ days: [1, 2, 3, 4, 5], hours: [[18, 22]] }, 'America/New_York');
      // 18:00 EST = 23:00 UTC.
      assert.equal(iso(ny.nextOpening(t('2026-12-08T12:00:00Z'))), '2026-12-08T23:00:00.000Z');
      assert.equal(iso(ny.nextClosing(t('2026-12-08T12:00:00Z'))), '2026-12-09T03:00:00.000Z');
    });
  });

  describe('day boundaries', () => {
    it('a range whose end is before its start runs past midnight and belongs to the day it starts on', () => {
      const w = window({ days: [5], hours: [[22, 2]] }); // Friday 22:00 to Saturday 02:00
      assert.equal(w.contains(t('2026-12-11T20:59:00Z')), false, 'Fri 21:59');
      assert.equal(w.contains(t('2026-12-11T21:00:00Z')), true, 'Fri 22:00');
      assert.equal(w.contains(t('2026-12-12T00:30:00Z')), true, 'Sat 01:30');
      assert.equal(w.contains(t('2026-12-12T01:00:00Z')), false, 'Sat 02:00');
      // Saturday's own 22:00 is not in the window (Saturday is no window day).
      assert.equal(iso(w.nextOpening(t('2026-12-12T02:00:00Z'))), '2026-12-18T21:00:00.000Z');
    });

    it('ranges that touch across midnight are one stretch', () => {
      const w = window({ days: EVERY_DAY, hours: [[0, 2], [18, 24]] });
      assert.deepEqual(w.stateAt(t('2026-12-11T22:00:00Z')), { open: true, until: t('2026-12-12T01:00:00Z') });
      const first = w.intervals(t('2026-12-11T12:00:00Z')).next().value as [number, number];
      assert.deepEqual(first.map((ms) => new Date(ms).toISOString()), ['2026-12-11T17:00:00.000Z', '2026-12-12T01:00:00.000Z']);
    });

    it('an end of 24:00 is midnight of the next day', () => {
      const w = window({ days: [2], hours: [[20, 24]] });
      assert.deepEqual(w.stateAt(t('2026-12-08T22:00:00Z')), { open: true, until: t('2026-12-08T23:00:00Z') });
    });
  });

  describe('except dates', () => {
    it('sends nothing on an excepted date', () => {
      const w = window({ days: EVERY_DAY, hours: [[18, 22]], except: ['2026-12-25'] });
      assert.equal(iso(w.nextOpening(t('2026-12-24T22:00:00Z'))), '2026-12-26T17:00:00.000Z');
      assert.equal(w.contains(t('2026-12-25T18:00:00Z')), false);
    });

    it('a range of the day before that runs past midnight stops when the excepted date begins', () => {
      const w = window({ days: EVERY_DAY, hours: [[22, 2]], except: ['2026-12-25'] });
      assert.deepEqual(w.stateAt(t('2026-12-24T22:00:00Z')), { open: true, until: t('2026-12-24T23:00:00Z') });
      // The excepted date's own range does not open; the 26th's does.
      assert.equal(iso(w.nextOpening(t('2026-12-24T23:00:00Z'))), '2026-12-26T21:00:00.000Z');
    });

    it('reports no opening when the window never opens within the horizon', () => {
      const w = new SendWindow({ days: [1], ranges: [{ start: 2 * H, end: 2.5 * H }], except: [] }, 'Europe/Amsterdam');
      // Every Monday has 02:00; so this one opens. A window with every date excepted does not:
      const dates = Array.from({ length: 500 }, (_, k) => new Date(Date.UTC(2026, 11, 1 + k)).toISOString().slice(0, 10));
      const never = new SendWindow({ days: EVERY_DAY, ranges: [{ start: 18 * H, end: 22 * H }], except: dates }, 'Europe/Amsterdam');
      assert.ok(w.nextOpening(t('2026-12-01T12:00:00Z')) !== undefined);
      assert.deepEqual(never.stateAt(t('2026-12-01T12:00:00Z')), { open: false, next: undefined });
    });
  });

  describe('DST in Europe/Amsterdam', () => {
    // Clocks go forward on Sunday 29 March 2026 at 02:00 CET (01:00 UTC) to 03:00 CEST.
    it('a range that starts in the skipped hour opens at the jump', () => {
      const w = window({ hours: [[2.5, 4]] });
      assert.deepEqual(w.intervals(t('2026-03-28T23:00:00Z')).next().value, [t('2026-03-29T01:00:00Z'), t('2026-03-29T02:00:00Z')]);
    });

    it('a range entirely inside the skipped hour does not open that day', () => {
      const w = window({ hours: [[2, 2.5]] });
      assert.equal(iso(w.nextOpening(t('2026-03-28T23:00:00Z'))), '2026-03-30T00:00:00.000Z');
    });

    it('a range that ends in the skipped hour closes at the jump', () => {
      const w = window({ hours: [[1.5, 2.5]] });
      assert.deepEqual(w.intervals(t('2026-03-28T23:00:00Z')).next().value, [t('2026-03-29T00:30:00Z'), t('2026-03-29T01:00:00Z')]);
    });

    // Clocks go back on Sunday 25 October 2026 at 03:00 CEST (01:00 UTC) to 02:00 CET.
    it('the repeated hour is sent in once: a range closes at the first occurrence of its end', () => {
      const w = window({ hours: [[1, 2.5]] });
      assert.deepEqual(w.intervals(t('2026-10-24T22:00:00Z')).next().value, [t('2026-10-24T23:00:00Z'), t('2026-10-25T00:30:00Z')]);
      assert.equal(w.contains(t('2026-10-25T01:15:00Z')), false, '02:15 CET, the second time the clock shows it');
    });

    it('a range open across the change lasts an hour longer', () => {
      const w = window({ days: [6], hours: [[22, 4]] }); // Saturday 22:00 CEST to Sunday 04:00 CET
      const [open, close] = w.intervals(t('2026-10-24T12:00:00Z')).next().value as [number, number];
      assert.equal(iso(open), '2026-10-24T20:00:00.000Z');
      assert.equal(iso(close), '2026-10-25T03:00:00.000Z');
      assert.equal((close - open) / 3_600_000, 7);
    });
  });

  describe('DST in America/New_York', () => {
    // Forward on Sunday 8 March 2026 at 02:00 EST (07:00 UTC) to 03:00 EDT.
    it('spring forward: 02:30-03:30 opens at 03:00 EDT, the jump', () => {
      const w = window({ hours: [[2.5, 3.5]] }, 'America/New_York');
      assert.deepEqual(w.intervals(t('2026-03-08T05:00:00Z')).next().value, [t('2026-03-08T07:00:00Z'), t('2026-03-08T07:30:00Z')]);
    });

    // Back on Sunday 1 November 2026 at 02:00 EDT (06:00 UTC) to 01:00 EST.
    it('fall back: 01:30-01:45 is its first occurrence only (EDT)', () => {
      const w = window({ hours: [[1.5, 1.75]] }, 'America/New_York');
      assert.deepEqual(w.intervals(t('2026-11-01T04:00:00Z')).next().value, [t('2026-11-01T05:30:00Z'), t('2026-11-01T05:45:00Z')]);
      assert.equal(w.contains(t('2026-11-01T06:35:00Z')), false, '01:35 EST');
    });

    it('the wall-clock time at the instants found reads as asked', () => {
      assert.equal(firstInstantAtOrAfter({ year: 2026, month: 11, day: 1 }, 1.5 * H, 'America/New_York'), t('2026-11-01T05:30:00Z'));
      assert.equal(firstInstantAtOrAfter({ year: 2026, month: 3, day: 8 }, 2.25 * H, 'America/New_York'), t('2026-03-08T07:00:00Z'));
      assert.equal(firstInstantAtOrAfter({ year: 2026, month: 3, day: 8 }, 3 * H, 'America/New_York'), t('2026-03-08T07:00:00Z'));
    });
  });
});
