// Local-time waves: recipients grouped by their `timezone`, each zone due at the scheduled wall-clock
// time there — zones ahead of the mailing's earlier, behind it later — and DST in each zone.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { getStatistics, listMailingStates, scheduleMailing } from '../../src/core/actions';
import { canonicalZone, groupByZone, waveMoment, waveMoments } from '../../src/core/pace/waves';
import type { Recipient } from '../../src/core/types';
import { makeMailing, modelFor, tempDir } from '../support/resolvedMailings';

const person = (email: string, timezone?: string): Recipient => ({ email, fields: { email, ...(timezone === undefined ? {} : { timezone }) } });
const iso = (ms: number) => new Date(ms).toISOString();

describe('local-time waves', () => {
  it('groups recipients by zone; rows without one or with an invalid one join the mailing zone and are counted', () => {
    const groups = groupByZone(
      [person('a@x.test', 'America/New_York'), person('b@x.test'), person('c@x.test', 'asia/tokyo'), person('d@x.test', 'Mars/Olympus'), person('e@x.test', ' '), person('f@x.test', 'America/New_York')],
      'Europe/Amsterdam',
    );
    assert.deepEqual(groups.zones, ['Europe/Amsterdam', 'America/New_York', 'Asia/Tokyo']);
    assert.deepEqual(groups.counts, [3, 2, 1]);
    assert.deepEqual([...groups.zoneOf], [1, 0, 2, 0, 0, 1]);
    assert.equal(groups.withoutZone, 2);
    assert.equal(groups.invalid, 1);
  });

  it('canonicalises zone names and refuses unknown ones', () => {
    assert.equal(canonicalZone('europe/amsterdam'), 'Europe/Amsterdam');
    assert.equal(canonicalZone('UTC'), 'UTC');
    assert.equal(canonicalZone('Europe/Amsterdm'), undefined);
    assert.equal(canonicalZone(''), undefined);
  });

  it('each zone is due at the scheduled wall-clock time in its own zone: ahead earlier, behind later', () => {
    // Friday 4 December 2026 19:00 in Amsterdam (CET, UTC+1) = 18:00 UTC.
    const scheduled = Date.parse('2026-12-04T18:00:00Z');
    const [home, tokyo, newYork, kolkata] = waveMoments(scheduled, 'Europe/Amsterdam', ['Europe/Amsterdam', 'Asia/Tokyo', 'America/New_York', 'Asia/Kolkata']);
    assert.equal(iso(home), '2026-12-04T18:00:00.000Z');
    assert.equal(iso(tokyo), '2026-12-04T10:00:00.000Z', '19:00 JST (UTC+9) is 8 hours earlier');
    assert.equal(iso(newYork), '2026-12-05T00:00:00.000Z', '19:00 EST (UTC-5) is 6 hours later');
    assert.equal(iso(kolkata), '2026-12-04T13:30:00.000Z', 'half-hour zones too');
  });

  it('keeps the date of the schedule as read in the mailing zone, not the UTC date', () => {
    // 00:30 on Saturday 5 December in Amsterdam is still Friday in UTC.
    const scheduled = Date.parse('2026-12-04T23:30:00Z');
    assert.equal(iso(waveMoment(scheduled, 'Europe/Amsterdam', 'America/Los_Angeles')), '2026-12-05T08:30:00.000Z');
  });

  it('a wall-clock time that does not exist in a zone moves forward by the jump; a repeated one is its first occurrence', () => {
    // 02:30 on Sunday 8 March 2026: in New York the clocks jump from 02:00 to 03:00.
    const springAmsterdam = Date.parse('2026-03-08T01:30:00Z'); // 02:30 CET
    assert.equal(iso(waveMoment(springAmsterdam, 'Europe/Amsterdam', 'America/New_York')), '2026-03-08T07:30:00.000Z', '03:30 EDT');
    // 01:30 on Sunday 1 November 2026 happens twice in New York; the first is EDT (UTC-4).
    const fallAmsterdam = Date.parse('2026-11-01T00:30:00Z'); // 01:30 CET
    assert.equal(iso(waveMoment(fallAmsterdam, 'Europe/Amsterdam', 'America/New_York')), '2026-11-01T05:30:00.000Z');
  });

  it('scheduling starts the mailing at its first wave; the statistics show every wave', async () => {
    const dir = await tempDir('mailings-waves-');
    try {
      const list = [person('ny@x.test', 'America/New_York'), person('tokyo@x.test', 'Asia/Tokyo'), person('home@x.test'), person('ny2@x.test', 'America/New_York')];
      const mailing = await makeMailing({ dir, recipients: list, sending: { localTime: true } });
      const stateRoot = path.join(dir, '.mailings');
      const at = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 2 * 86_400_000);
      await scheduleMailing(modelFor(mailing), { stateRoot }, at);
      const tokyo = waveMoment(at.getTime(), 'Europe/Amsterdam', 'Asia/Tokyo');
      const [state] = await listMailingStates(stateRoot);
      assert.equal(state.scheduledAt, at.toISOString());
      assert.equal(state.dueAt, new Date(tokyo).toISOString(), 'Tokyo is ahead: its wave comes first');
      const stats = await getStatistics(mailing.file, stateRoot);
      assert.deepEqual(stats.waves, [
        { zone: 'Asia/Tokyo', dueAt: new Date(tokyo).toISOString(), total: 1, sent: 0, failed: 0 },
        { zone: 'Europe/Amsterdam', dueAt: at.toISOString(), total: 1, sent: 0, failed: 0 },
        { zone: 'America/New_York', dueAt: new Date(waveMoment(at.getTime(), 'Europe/Amsterdam', 'America/New_York')).toISOString(), total: 2, sent: 0, failed: 0 },
      ]);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
