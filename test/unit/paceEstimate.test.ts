// The finish estimate (rate inside the window, quotas, warm-up, waves) and the pacer's choice of
// the next recipient (lanes per zone and limited domain, windows in each zone, waves, retries).
import * as assert from 'node:assert/strict';
import { DAY_MS } from '../../src/core/pace/handoffLog';
import { estimateFinish } from '../../src/core/pace/estimate';
import { Pacer } from '../../src/core/pace/pacer';
import type { Recipient, SendingOptions } from '../../src/core/types';

const H = 3600;
const HOUR = 3_600_000;
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const T0 = Date.parse('2026-12-07T12:00:00Z'); // Monday, 13:00 in Amsterdam
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const one = (count: number) => [{ count, zone: 'Europe/Amsterdam', dueAt: 0 }];

describe('finish estimate', () => {
  it('at the configured rate, only inside the window', () => {
    const estimate = estimateFinish({ start: T0, groups: one(100), ratePerSecond: 1, window: { days: EVERY_DAY, ranges: [{ start: 18 * H, end: 18 * H + 60 }], except: [] } });
    // 60 in Monday's minute (18:00 CET = 17:00 UTC), the other 40 on Tuesday.
    assert.equal(iso(estimate.firstAt), '2026-12-07T17:00:00.000Z');
    assert.equal(iso(estimate.finishAt), '2026-12-08T17:00:39.000Z');
  });

  it('within a sliding quota', () => {
    const estimate = estimateFinish({ start: T0, groups: one(25), ratePerSecond: Infinity, quotas: [{ count: 10, periodMs: HOUR, text: '10/hour' }] });
    assert.equal(estimate.finishAt, T0 + 2 * HOUR);
  });

  it('counts what the server already handed off', () => {
    const ledger = { times: [1, 2, 3, 4, 5].map((k) => T0 - 10 * 60_000 + k) };
    const estimate = estimateFinish({ start: T0, groups: one(1), ratePerSecond: Infinity, quotas: [{ count: 5, periodMs: HOUR, text: '5/hour' }], ledger });
    assert.equal(estimate.finishAt, T0 + 50 * 60_000 + 1);
  });

  it('under warm-up: the day the mailing completes', () => {
    const estimate = estimateFinish({ start: T0, groups: one(35), ratePerSecond: Infinity, warmup: { start: 10, growth: 2 } });
    // Day 0: 10, day 1: 20, day 2: the last 5.
    assert.equal(estimate.finishAt, T0 + 2 * DAY_MS);
  });

  it('says when it cannot finish within the horizon', () => {
    const estimate = estimateFinish({ start: T0, groups: one(100), ratePerSecond: Infinity, quotas: [{ count: 1, periodMs: DAY_MS, text: '1/day' }], horizonMs: 30 * DAY_MS });
    assert.equal(estimate.finishAt, undefined);
  });

  it('waits for each local-time wave', () => {
    const tokyo = Date.parse('2026-12-07T10:00:00Z');
    const newYork = Date.parse('2026-12-08T00:00:00Z');
    const estimate = estimateFinish({
      start: Date.parse('2026-12-07T09:00:00Z'),
      groups: [
        { count: 3, zone: 'Asia/Tokyo', dueAt: tokyo },
        { count: 3, zone: 'America/New_York', dueAt: newYork },
      ],
      ratePerSecond: 1,
    });
    assert.equal(estimate.firstAt, tokyo);
    assert.equal(estimate.finishAt, newYork + 2_000);
  });
});

function people(list: [string, string?][]): Recipient[] {
  return list.map(([email, timezone]) => ({ email, fields: { email, ...(timezone ? { timezone } : {}) } }));
}

const SENDING: SendingOptions = { transport: 'outbox', connections: 1, attempts: 3, retryDelay: 10, maxRetryDelay: 100, maxConsecutiveErrors: 10 };

/** Picks until the pacer says wait (or done); returns the recipients picked and the last answer. */
function drain(pacer: Pacer, now: number, progress: Uint8Array): { picked: number[]; last: ReturnType<Pacer['pick']> } {
  const picked: number[] = [];
  for (;;) {
    const pick = pacer.pick(now);
    if (pick.kind !== 'recipient') return { picked, last: pick };
    picked.push(pick.i);
    progress[pick.i] = 2; // sent
  }
}

describe('pacer', () => {
  it('a domain at its rate holds up only its own recipients', () => {
    const recipients = people([['a@gmail.com'], ['b@gmail.com'], ['c@other.test'], ['d@gmail.com'], ['e@third.test'], ['f@other.test']]);
    const progress = new Uint8Array(recipients.length);
    const pacer = new Pacer({ recipients, sending: { ...SENDING, perDomain: [{ domain: 'gmail.com', rate: { count: 1, per: 'second' } }] }, zone: 'UTC', progress, now: T0 });
    const { picked, last } = drain(pacer, T0, progress);
    assert.deepEqual(picked.map((i) => recipients[i].email).sort(), ['a@gmail.com', 'c@other.test', 'e@third.test', 'f@other.test']);
    assert.deepEqual(last, { kind: 'wait', until: T0 + 1_000 });
    assert.deepEqual(drain(pacer, T0 + 1_000, progress).picked.map((i) => recipients[i].email), ['b@gmail.com']);
  });

  it('"*" gives every other domain a rate of its own', () => {
    const recipients = people([['a@one.test'], ['b@one.test'], ['c@two.test'], ['d@two.test']]);
    const progress = new Uint8Array(recipients.length);
    const pacer = new Pacer({ recipients, sending: { ...SENDING, perDomain: [{ domain: '*', rate: { count: 1, per: 'minute' } }] }, zone: 'UTC', progress, now: T0 });
    assert.deepEqual(drain(pacer, T0, progress).picked.map((i) => recipients[i].email).sort(), ['a@one.test', 'c@two.test']);
  });

  it('with localTime, the window opens in each recipient zone', () => {
    const recipients = people([['t1@x.test', 'Asia/Tokyo'], ['n1@x.test', 'America/New_York'], ['t2@x.test', 'Asia/Tokyo']]);
    const progress = new Uint8Array(recipients.length);
    const sending: SendingOptions = { ...SENDING, localTime: true, window: { days: EVERY_DAY, ranges: [{ start: 18 * H, end: 22 * H }], except: [] } };
    const now = Date.parse('2026-12-07T10:00:00Z'); // 19:00 in Tokyo, 05:00 in New York
    const pacer = new Pacer({ recipients, sending, zone: 'Europe/Amsterdam', progress, now });
    const { picked, last } = drain(pacer, now, progress);
    assert.deepEqual(picked.map((i) => recipients[i].email), ['t1@x.test', 't2@x.test']);
    assert.deepEqual(last, { kind: 'wait', until: Date.parse('2026-12-07T23:00:00Z'), gate: 'window' });
    assert.equal(pacer.inWindow(1, now), false);
    assert.equal(pacer.inWindow(1, Date.parse('2026-12-07T23:00:00Z')), true);
  });

  it('each wave is due at the scheduled wall-clock time in its zone', () => {
    const recipients = people([['home@x.test'], ['t@x.test', 'Asia/Tokyo']]);
    const progress = new Uint8Array(recipients.length);
    const scheduledAt = Date.parse('2026-12-07T18:00:00Z'); // 19:00 in Amsterdam
    const pacer = new Pacer({ recipients, sending: { ...SENDING, localTime: true }, zone: 'Europe/Amsterdam', scheduledAt, progress, now: T0 });
    const early = Date.parse('2026-12-07T09:00:00Z');
    assert.deepEqual(pacer.pick(early), { kind: 'wait', until: Date.parse('2026-12-07T10:00:00Z'), gate: 'wave' });
    assert.deepEqual(drain(pacer, Date.parse('2026-12-07T10:00:00Z'), progress).picked, [1]);
    assert.deepEqual(pacer.pick(Date.parse('2026-12-07T11:00:00Z')), { kind: 'wait', until: scheduledAt, gate: 'wave' });
    assert.deepEqual(drain(pacer, scheduledAt, progress).picked, [0]);
    assert.deepEqual(pacer.pick(scheduledAt), { kind: 'done' });
  });

  it('a retry that falls due outside the window waits for it; a recipient given back goes first', () => {
    const recipients = people([['a@x.test'], ['b@x.test'], ['c@x.test']]);
    const progress = new Uint8Array(recipients.length);
    const window = { days: EVERY_DAY, ranges: [{ start: 12 * H, end: 13 * H }], except: [] };
    const pacer = new Pacer({ recipients, sending: { ...SENDING, window }, zone: 'UTC', progress, now: T0 });
    assert.deepEqual(pacer.pick(T0), { kind: 'recipient', i: 0 });
    pacer.giveBack(0);
    assert.deepEqual(pacer.pick(T0), { kind: 'recipient', i: 0 });
    progress[0] = 3; // deferred
    pacer.defer(0, T0 + 2 * HOUR);
    progress[1] = progress[2] = 2;
    assert.deepEqual(pacer.pick(T0 + 2 * HOUR), { kind: 'wait', until: T0 + DAY_MS, gate: 'window' });
    assert.deepEqual(pacer.pick(T0 + DAY_MS), { kind: 'recipient', i: 0 });
  });
});
