// Journal histories for the properties of checkpoints and compaction: any event of any kind, the
// fold as plain data, and the reference fold (the events applied one by one).
import fc from 'fast-check';
import { encodeEvent, type JournalEvent } from '../../src/core/state/journalEvents';
import { JournalFold } from '../../src/core/state/journalFold';

export const OWNER = { owner: 'checkpoint', pid: 1, host: 'here' };
export const SKIPPED = { invalid: 1, duplicate: 2, excluded: 0 };

/** Any event of any kind, recipients in and beyond the mailing's range: the fold must agree on all of them. */
export function eventArbitrary(): fc.Arbitrary<JournalEvent> {
  const t = fc.integer({ min: 1_700_000_000_000, max: 1_700_000_900_000 });
  const i = fc.nat({ max: 12 });
  const r = fc.constantFrom('250 2.0.0 Ok', '451 4.7.1 slow down', '550 5.1.1 no such user', 'Zoë “no” 😀');
  return fc.oneof(
    fc.record({ e: fc.constant('confirmed' as const), t, hash: fc.constantFrom('a', 'b'), total: fc.integer({ min: 1, max: 10 }), skipped: fc.constant(SKIPPED) }),
    fc.record({ e: fc.constant('scheduled' as const), t, at: fc.constant('2026-12-03T10:00:00.000Z') }),
    fc.record({ e: fc.constant('unscheduled' as const), t }),
    fc.record({ e: fc.constantFrom('started' as const, 'resumed' as const), t, ...{ owner: fc.constant(OWNER.owner), pid: fc.constant(OWNER.pid), host: fc.constant(OWNER.host) }, destination: fc.constant({ transport: 'smtp' as const, host: '127.0.0.1', port: 2525 }) }),
    { arbitrary: fc.record({ e: fc.constant('sending' as const), t, i }), weight: 4 },
    { arbitrary: fc.record({ e: fc.constant('sent' as const), t, i, r }), weight: 3 },
    fc.record({ e: fc.constant('deferred' as const), t, i, r, a: fc.nat({ max: 3 }), at: t, th: fc.constantFrom(undefined, 1 as const) }),
    fc.record({ e: fc.constant('failed' as const), t, i, r }),
    fc.record({ e: fc.constant('released' as const), t, i, r }),
    fc.record({ e: fc.constant('withdrawn' as const), t, i, r }),
    fc.record({ e: fc.constant('bounced' as const), t, i, r, k: fc.constantFrom('hard' as const, 'soft' as const, 'failed' as const), via: fc.constant('verp' as const) }),
    fc.record({ e: fc.constant('complained' as const), t, i, r, via: fc.constant('message-id' as const) }),
    fc.record({ e: fc.constant('waiting' as const), t, until: t, why: fc.constant('window' as const) }),
    fc.record({ e: fc.constant('rate' as const), t, k: fc.constantFrom('', 'example.com'), r: fc.double({ min: 0.1, max: 50, noNaN: true }) }),
    fc.record({ e: fc.constant('stopped' as const), t, reason: fc.constant('stopped by the user'), by: fc.constantFrom('user' as const, 'fault' as const) }),
    fc.record({ e: fc.constant('completed' as const), t }),
    fc.record({ e: fc.constant('resend' as const), t, run: fc.integer({ min: 2, max: 5 }), total: fc.integer({ min: 1, max: 14 }), added: fc.nat({ max: 4 }), sha256: fc.constant('00ff'), retry: fc.array(i, { maxLength: 4 }), suppressed: fc.nat({ max: 2 }) }),
  ) as fc.Arbitrary<JournalEvent>;
}

/** A fold as plain data (typed arrays, maps and sets as arrays): what deepEqual compares. */
export function plain(fold: JournalFold): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fold)) {
    if (value instanceof Map) out[key] = [...value].sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    else if (value instanceof Set) out[key] = [...value].sort();
    else if (ArrayBuffer.isView(value)) out[key] = [value.constructor.name, ...(value as Uint8Array)];
    else out[key] = value;
  }
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown>;
}

export function lines(events: JournalEvent[]): string {
  return events.map(encodeEvent).join('');
}

/** The fold of a journal's text, by applying its events one by one: the reference. */
export function reference(events: JournalEvent[]): JournalFold {
  const fold = new JournalFold();
  for (const event of JSON.parse(`[${lines(events).trim().split('\n').join(',')}]`) as JournalEvent[]) fold.apply(event);
  return fold;
}

