import * as assert from 'node:assert/strict';
import { whenProblemText } from '../../src/core/facts/diagnostics';
import { Formatter } from '../../src/core/facts/format';
import { describeInstant, isInWorkingHours, resolveWhen } from '../../src/core/time/when';
import { instantFromWallClock, wallClock, zoneOffsetMinutes } from '../../src/core/time/zone';

const AMS = 'Europe/Amsterdam';
const NY = 'America/New_York';
// Thursday 26 November 2026, 13:00 in Amsterdam.
const NOW = new Date('2026-11-26T12:00:00Z');

function at(expression: string, timezone = AMS, now = NOW): string {
  const result = resolveWhen(expression, { timezone, now });
  assert.ok(result.ok, `'${expression}' should resolve: ${result.ok ? '' : JSON.stringify(result.problem)}`);
  return result.at.toISOString();
}

function refusal(expression: string, timezone = AMS): string {
  const result = resolveWhen(expression, { timezone, now: NOW });
  assert.ok(!result.ok, `'${expression}' should not resolve, got ${result.ok ? result.at.toISOString() : ''}`);
  return whenProblemText(result.problem, new Formatter('en', { timezone, now: NOW }));
}

describe('when-expressions (resolveWhen)', () => {
  describe('English', () => {
    it('reads "tomorrow 19:00" as 19:00 tomorrow in the zone', () => {
      assert.equal(at('tomorrow 19:00'), '2026-11-27T18:00:00.000Z');
    });
    it('reads "next friday at 7pm"', () => {
      assert.equal(at('next friday at 7pm'), '2026-12-04T18:00:00.000Z');
    });
    it('reads "1 december 20:00" in the current year when still ahead', () => {
      assert.equal(at('1 december 20:00'), '2026-12-01T19:00:00.000Z');
    });
    it('reads "in 2 hours" as a duration from now', () => {
      assert.equal(at('in 2 hours'), '2026-11-26T14:00:00.000Z');
    });
  });

  describe('Dutch', () => {
    it('reads "morgen om 19:00"', () => {
      assert.equal(at('morgen om 19:00'), '2026-11-27T18:00:00.000Z');
    });
    it('reads "volgende vrijdag 20:00"', () => {
      assert.equal(at('volgende vrijdag 20:00'), '2026-12-04T19:00:00.000Z');
    });
    it('reads "vandaag 21:00"', () => {
      assert.equal(at('vandaag 21:00'), '2026-11-26T20:00:00.000Z');
    });
    it('reads "over 2 uur"', () => {
      assert.equal(at('over 2 uur'), '2026-11-26T14:00:00.000Z');
    });
    it('reads "4 december 2026 19:00"', () => {
      assert.equal(at('4 december 2026 19:00'), '2026-12-04T18:00:00.000Z');
    });
  });

  describe('ISO', () => {
    it('reads a local ISO time as wall-clock time in the zone', () => {
      assert.equal(at('2026-12-04 19:00'), '2026-12-04T18:00:00.000Z');
      assert.equal(at('2026-12-04T19:00', NY), '2026-12-05T00:00:00.000Z');
    });
    it('keeps an explicit offset or Z whatever the zone', () => {
      assert.equal(at('2026-12-04T19:00:00+01:00', NY), '2026-12-04T18:00:00.000Z');
      assert.equal(at('2026-12-04T18:00:00Z'), '2026-12-04T18:00:00.000Z');
    });
    it('keeps seconds', () => {
      assert.equal(at('2026-12-04T19:00:05'), '2026-12-04T18:00:05.000Z');
    });
  });

  describe('what it cannot understand', () => {
    it('refuses garbage with a hint', () => {
      const message = refusal('whenever suits');
      assert.match(message, /cannot understand `whenever suits`/);
      assert.match(message, /try 'tomorrow 19:00', 'next friday 20:00' or '2026-12-04 19:00'/);
    });
    it('refuses an empty expression', () => {
      assert.match(refusal('   '), /no moment given/);
    });
    it('refuses words it would otherwise silently drop', () => {
      assert.match(refusal('tomorrow blah'), /cannot understand `blah` in `tomorrow blah`/);
    });
    it('refuses two moments and periods', () => {
      assert.match(refusal('tomorrow 19:00 and friday 20:00'), /more than one moment/);
      assert.match(refusal('friday 19:00-21:00'), /a period, not a moment/);
    });
    it('refuses an unknown time zone', () => {
      assert.match(refusal('tomorrow 19:00', 'Mars/Olympus'), /unknown time zone `Mars\/Olympus`/);
    });
  });

  describe('forward in time, now injected', () => {
    it('reads a weekday as the coming one', () => {
      // Thursday 26 Nov, 13:00: Friday is tomorrow, Thursday 19:00 is still ahead today, Wednesday is next week.
      assert.equal(at('friday 19:00'), '2026-11-27T18:00:00.000Z');
      assert.equal(at('thursday 19:00'), '2026-11-26T18:00:00.000Z');
      assert.equal(at('wednesday 19:00'), '2026-12-02T18:00:00.000Z');
    });
    it('reads a passed time of day as tomorrow', () => {
      assert.equal(at('10:00'), '2026-11-27T09:00:00.000Z');
    });
    it('reads a passed day of the year as next year', () => {
      assert.equal(at('1 november 20:00'), '2027-11-01T19:00:00.000Z');
    });
    it('depends on the injected now, not the clock', () => {
      assert.equal(at('tomorrow 19:00', AMS, new Date('2030-06-14T10:00:00Z')), '2030-06-15T17:00:00.000Z');
    });
    it('returns an explicit past moment as is (the check reports schedule-past)', () => {
      const result = resolveWhen('2026-01-01 10:00', { timezone: AMS, now: NOW });
      assert.ok(result.ok);
      assert.ok(result.at < NOW);
      assert.match(result.description, /329 days ago$/);
    });
  });

  describe('a date without a time', () => {
    it('gets 19:00 and says so', () => {
      const result = resolveWhen('1 december', { timezone: AMS, now: NOW });
      assert.ok(result.ok);
      assert.equal(result.at.toISOString(), '2026-12-01T18:00:00.000Z');
      assert.equal(result.assumedTime, '19:00');
      assert.match(result.description, /\(no time given: 19:00 assumed\)$/);
      const dutch = resolveWhen('morgen', { timezone: AMS, now: NOW, locale: 'nl' });
      assert.ok(dutch.ok);
      assert.equal(dutch.at.toISOString(), '2026-11-27T18:00:00.000Z');
      assert.match(dutch.description, /\(geen tijd opgegeven: 19:00 aangenomen\)$/);
    });
  });

  describe('time zones across DST changes', () => {
    it('Europe/Amsterdam spring forward (2026-03-29): wall times keep their meaning', () => {
      const saturday = new Date('2026-03-28T12:00:00Z'); // 13:00 CET
      assert.equal(at('tomorrow 19:00', AMS, saturday), '2026-03-29T17:00:00.000Z'); // 19:00 CEST
      assert.equal(at('tomorrow 01:30', AMS, saturday), '2026-03-29T00:30:00.000Z'); // still CET
      // 02:30 does not exist that night: it moves forward by the gap to 03:30 CEST.
      assert.equal(at('2026-03-29 02:30', AMS, saturday), '2026-03-29T01:30:00.000Z');
      // A duration is absolute: 24 hours later the wall clock shows 14:00.
      assert.equal(at('in 24 hours', AMS, saturday), '2026-03-29T12:00:00.000Z');
    });
    it('Europe/Amsterdam fall back (2026-10-25): the repeated hour is the first one', () => {
      const saturday = new Date('2026-10-24T12:00:00Z'); // 14:00 CEST
      assert.equal(at('tomorrow 19:00', AMS, saturday), '2026-10-25T18:00:00.000Z'); // 19:00 CET
      assert.equal(at('2026-10-25 02:30', AMS, saturday), '2026-10-25T00:30:00.000Z'); // 02:30 CEST
      assert.equal(at('2026-10-25 03:30', AMS, saturday), '2026-10-25T02:30:00.000Z'); // 03:30 CET
    });
    it('America/New_York (2026-03-08 and 2026-11-01)', () => {
      assert.equal(at('tomorrow 19:00', NY, new Date('2026-03-07T17:00:00Z')), '2026-03-08T23:00:00.000Z'); // EDT
      assert.equal(at('2026-03-08 02:30', NY, new Date('2026-03-07T17:00:00Z')), '2026-03-08T07:30:00.000Z'); // 03:30 EDT
      assert.equal(at('tomorrow 19:00', NY, new Date('2026-10-31T17:00:00Z')), '2026-11-02T00:00:00.000Z'); // EST
      assert.equal(at('2026-11-01 01:30', NY, new Date('2026-10-31T17:00:00Z')), '2026-11-01T05:30:00.000Z'); // first 01:30, EDT
    });
    it('the zone helpers agree with each other around the transitions', () => {
      assert.equal(zoneOffsetMinutes(new Date('2026-03-29T00:59:59Z'), AMS), 60);
      assert.equal(zoneOffsetMinutes(new Date('2026-03-29T01:00:00Z'), AMS), 120);
      for (let ms = Date.parse('2026-10-24T20:00:00Z'); ms < Date.parse('2026-10-25T06:00:00Z'); ms += 15 * 60000) {
        const instant = new Date(ms);
        const back = instantFromWallClock(wallClock(instant, AMS), AMS);
        // Every instant maps back to itself except the second pass of the repeated hour (to the first).
        const repeated = ms >= Date.parse('2026-10-25T01:00:00Z') && ms < Date.parse('2026-10-25T02:00:00Z');
        assert.equal(back.getTime(), repeated ? ms - 3600000 : ms, instant.toISOString());
      }
    });
  });
});

describe('describeInstant', () => {
  it('says the instant in words, in the zone, relative to now', () => {
    assert.equal(describeInstant(new Date('2026-12-04T18:00:00Z'), AMS, NOW), 'Fri 4 Dec 2026 19:00 CET, in 8 days');
    assert.equal(describeInstant(new Date('2026-12-04T18:00:00Z'), AMS, NOW, 'nl'), 'vr 4 dec 2026 19:00 CET, over 8 dagen');
    assert.equal(describeInstant(new Date('2027-07-02T17:00:00Z'), AMS, NOW), 'Fri 2 Jul 2027 19:00 CEST, in 218 days');
    assert.equal(describeInstant(new Date('2026-12-05T00:00:00Z'), NY, NOW), 'Fri 4 Dec 2026 19:00 EST, in 9 days');
  });
  it('uses hours, minutes and seconds when near, and the past tense when past', () => {
    assert.equal(describeInstant(new Date('2026-11-26T15:00:00Z'), AMS, NOW), 'Thu 26 Nov 2026 16:00 CET, in 3 hours');
    assert.equal(describeInstant(new Date('2026-11-26T12:25:00Z'), AMS, NOW, 'nl'), 'do 26 nov 2026 13:25 CET, over 25 minuten');
    assert.equal(describeInstant(new Date('2026-11-26T12:00:02Z'), AMS, NOW), 'Thu 26 Nov 2026 13:00:02 CET, in 2 seconds');
    assert.equal(describeInstant(new Date('2026-11-26T07:00:00Z'), AMS, NOW), 'Thu 26 Nov 2026 08:00 CET, 5 hours ago');
    assert.equal(describeInstant(new Date('2026-11-26T07:00:00Z'), AMS, NOW, 'nl'), 'do 26 nov 2026 08:00 CET, 5 uur geleden');
  });
});

describe('isInWorkingHours', () => {
  it('is Monday to Friday 09:00–17:00 in the zone by default', () => {
    assert.equal(isInWorkingHours(new Date('2026-11-26T08:00:00Z'), AMS), true); // Thu 09:00
    assert.equal(isInWorkingHours(new Date('2026-11-26T07:59:00Z'), AMS), false); // Thu 08:59
    assert.equal(isInWorkingHours(new Date('2026-11-26T15:59:00Z'), AMS), true); // Thu 16:59
    assert.equal(isInWorkingHours(new Date('2026-11-26T16:00:00Z'), AMS), false); // Thu 17:00
    assert.equal(isInWorkingHours(new Date('2026-11-28T10:00:00Z'), AMS), false); // Sat 11:00
    assert.equal(isInWorkingHours(new Date('2026-11-26T13:30:00Z'), NY), false); // 08:30 EST
  });
  it('takes a configured window', () => {
    const window = { days: [0, 6], start: '10:00', end: '12:30' };
    assert.equal(isInWorkingHours(new Date('2026-11-28T11:00:00Z'), AMS, window), true); // Sat 12:00
    assert.equal(isInWorkingHours(new Date('2026-11-28T11:30:00Z'), AMS, window), false); // Sat 12:30
    assert.equal(isInWorkingHours(new Date('2026-11-26T10:00:00Z'), AMS, window), false); // Thu
    assert.throws(() => isInWorkingHours(NOW, AMS, { days: [1], start: 'nine', end: '17:00' }), /'nine' is not a time of day/);
  });
});
