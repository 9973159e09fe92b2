import * as assert from 'node:assert/strict';
import type { ConfirmModel, Diagnostic, SendStateSummary } from '../../src/core/types';
import { describeWorkingHours, planSchedule } from '../../src/core/schedule/plan';

// Thursday 26 November 2026, 13:00 in Amsterdam.
const NOW = new Date('2026-11-26T12:00:00Z');

function model(state: SendStateSummary, options: { schedule?: string; diagnostics?: Diagnostic[] } = {}): ConfirmModel {
  const diagnostics = options.diagnostics ?? [];
  return {
    file: '/tmp/news.mailing.yaml',
    mailing: {
      file: '/tmp/news.mailing.yaml',
      timezone: 'Europe/Amsterdam',
      schedule: options.schedule,
      sending: { transport: 'outbox', connections: 1, attempts: 3, retryDelay: 1000, maxRetryDelay: 60000, maxConsecutiveErrors: 10 },
    },
    steps: [],
    diagnostics,
    hasErrors: diagnostics.some((d) => d.severity === 'error'),
    state,
    referencedFiles: [],
    references: [],
  };
}

const range = { start: { line: 0, column: 0 }, end: { line: 0, column: 1 } };

describe('planSchedule', () => {
  it('resolves the time in words, in the mailing zone', () => {
    const plan = planSchedule(model({ status: 'draft' }), 'next friday 19:00', { now: NOW });
    assert.ok(plan.ok);
    assert.equal(plan.at.toISOString(), '2026-12-04T18:00:00.000Z');
    assert.equal(plan.description, 'Fri 4 Dec 2026 19:00 CET, in 8 days');
    assert.deepEqual(plan.warnings, []);
  });

  it('takes the file\'s schedule when no time is given', () => {
    const plan = planSchedule(model({ status: 'draft' }, { schedule: 'volgende vrijdag 20:00' }), undefined, { now: NOW, locale: 'nl' });
    assert.ok(plan.ok);
    assert.equal(plan.description, 'vr 4 dec 2026 20:00 CET, over 8 dagen');
  });

  it('refuses without any time', () => {
    const plan = planSchedule(model({ status: 'draft' }), '  ', { now: NOW });
    assert.ok(!plan.ok);
    assert.equal(plan.reason, 'no-time');
  });

  it('warns gently inside working hours (default Mon–Fri 09:00–17:00, configurable)', () => {
    const plan = planSchedule(model({ status: 'draft' }), 'tomorrow 10:00', { now: NOW });
    assert.ok(plan.ok);
    assert.deepEqual(plan.warnings.map((w) => w.code), ['schedule-working-hours']);
    assert.match(plan.warnings[0].message, /inside working hours \(Mon–Fri 09:00–17:00\)/);
    const dutch = planSchedule(model({ status: 'draft' }), 'morgen om 10:00', { now: NOW, locale: 'nl' });
    assert.ok(dutch.ok);
    assert.match(dutch.warnings[0].message, /binnen werkuren \(ma–vr 09:00–17:00\)/);
    const evening = planSchedule(model({ status: 'draft' }), 'tomorrow 10:00', { now: NOW, workingHours: { days: [1, 2, 3, 4, 5], start: '11:00', end: '17:00' } });
    assert.ok(evening.ok);
    assert.deepEqual(evening.warnings, []);
  });

  it('refuses every state but draft, naming the state', () => {
    const cases: [SendStateSummary, RegExp][] = [
      [{ status: 'sending' }, /^cannot schedule: the mailing is sending; Stop stops it$/],
      [{ status: 'stopped' }, /the mailing is stopped/],
      [{ status: 'completed' }, /the mailing is completed/],
      [{ status: 'missed' }, /the mailing is missed; Start sends it now, Stop unschedules it/],
      [{ status: 'scheduled', scheduledAt: '2026-12-04T18:00:00.000Z' }, /the mailing is scheduled; Start sends it now, Stop unschedules it \(Fri 4 Dec 2026 19:00 CET, in 8 days\)/],
    ];
    for (const [state, message] of cases) {
      const plan = planSchedule(model(state), 'tomorrow 19:00', { now: NOW });
      assert.ok(!plan.ok, state.status);
      assert.equal(plan.reason, 'state');
      assert.equal(plan.status, state.status);
      assert.match(plan.message, message);
    }
  });

  it('refuses a mailing with errors, naming the first', () => {
    const diagnostics: Diagnostic[] = [
      { code: 'subject-missing', args: {}, severity: 'error', step: 'setup', range },
      { code: 'recipient-duplicate', args: { kind: 'contact', email: 'a@b.example' }, severity: 'warning', step: 'targetList', range },
      { code: 'test-not-sent', args: {}, severity: 'error', step: 'test', range },
    ];
    const plan = planSchedule(model({ status: 'draft' }, { diagnostics }), 'tomorrow 19:00', { now: NOW });
    assert.ok(!plan.ok);
    assert.equal(plan.reason, 'errors');
    assert.equal(plan.message, 'cannot schedule: the mailing has 2 errors: subject-missing: Subject is missing (and 1 more)');
  });

  it('lets a time given here replace a bad `schedule:` in the file', () => {
    const diagnostics: Diagnostic[] = [{ code: 'schedule-past', args: { expression: '2020-01-01 10:00', at: '2020-01-01T09:00:00.000Z' }, severity: 'error', step: 'schedule', range }];
    const m = model({ status: 'draft' }, { schedule: '2020-01-01 10:00', diagnostics });
    assert.ok(planSchedule(m, 'tomorrow 19:00', { now: NOW }).ok);
    const fromFile = planSchedule(m, undefined, { now: NOW });
    assert.ok(!fromFile.ok);
    assert.equal(fromFile.reason, 'errors');
  });

  it('refuses what it cannot understand and the past, but accepts "now"', () => {
    const garbage = planSchedule(model({ status: 'draft' }), 'soonish', { now: NOW });
    assert.ok(!garbage.ok);
    assert.equal(garbage.reason, 'schedule-invalid');
    assert.match(garbage.message, /try 'tomorrow 19:00'/);
    const past = planSchedule(model({ status: 'draft' }), '2026-11-26 12:00', { now: NOW });
    assert.ok(!past.ok);
    assert.equal(past.reason, 'schedule-past');
    assert.equal(past.message, 'cannot schedule: Thu 26 Nov 2026 12:00 CET, 1 hour ago is in the past');
    const now = planSchedule(model({ status: 'draft' }), 'now', { now: NOW });
    assert.ok(now.ok);
    assert.equal(now.at.getTime(), NOW.getTime());
  });

  it('places the moment in the mailing zone across a DST change', () => {
    // Saturday 28 March 2026, 13:00 CET in Amsterdam; the clocks go forward that night.
    const saturday = new Date('2026-03-28T12:00:00Z');
    const amsterdam = planSchedule(model({ status: 'draft' }), 'morgen om 19:00', { now: saturday, locale: 'nl' });
    assert.ok(amsterdam.ok);
    assert.equal(amsterdam.at.toISOString(), '2026-03-29T17:00:00.000Z');
    assert.equal(amsterdam.description, 'zo 29 mrt 2026 19:00 CEST, over 1 dag');
    const ny = model({ status: 'draft' });
    ny.mailing.timezone = 'America/New_York';
    const newYork = planSchedule(ny, 'tomorrow 19:00', { now: saturday });
    assert.ok(newYork.ok);
    assert.equal(newYork.at.toISOString(), '2026-03-29T23:00:00.000Z');
    assert.equal(newYork.description, 'Sun 29 Mar 2026 19:00 EDT, in 1 day');
  });

  it('describes working-hour windows', () => {
    assert.equal(describeWorkingHours({ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }), 'Mon–Fri 09:00–17:00');
    assert.equal(describeWorkingHours({ days: [6, 0], start: '10:00', end: '12:00' }), 'Sun, Sat 10:00–12:00');
    assert.equal(describeWorkingHours({ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }, 'nl'), 'ma–vr 09:00–17:00');
  });
});
