// Property-based tests of the journal (fast-check): a random history of a mailing — confirm, schedule,
// runs that send, defer, fail, release, stop or die mid-message — is written as journal.jsonl and cut
// at any byte (a crash or power cut mid-write). From what is left, Start loses nobody: every
// recipient is either recorded sent/failed or is sent again (pending, deferred, uncertain), and the
// real Start (startMailing with the outbox transport) then hands off exactly those, once each.
// fast-check prints the seed and the shrunk counterexample of a failure; replay with `seed`.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { startMailing } from '../../src/core/actions';
import { DEFAULT_SENDING } from '../../src/core/load/schema';
import { newMessageIdToken } from '../../src/core/render/messageId';
import { encodeEvent, type JournalEvent } from '../../src/core/state/journalEvents';
import { Progress } from '../../src/core/state/journalFold';
import { foldJournal } from '../../src/core/state/journalReader';
import { JOURNAL_FILE, mailingStateDir } from '../../src/core/state/paths';
import { writeSnapshot } from '../../src/core/state/snapshot';
import type { ResolvedMailing } from '../../src/core/types';
import { PropertyRuns } from '../fixtures/core/propertyRuns';

const OWNER = { owner: 'property', pid: 1, host: 'here' };
const REPLIES = ['250 2.0.0 Ok', '451 4.7.1 try later', '550 5.1.1 no such user', 'connection reset', 'Zoë’s server said “no” 😀'];

/**
 * A history as the engine could write it, driven by a tape of choices (so fast-check can shrink it):
 * a few runs, each claiming recipients (`sending`) and recording outcomes for some of them, ending in
 * `stopped`, `completed` (only when everyone has an outcome) or nothing (a crash).
 */
function history(total: number, tape: number[], scheduled: boolean): (JournalEvent | string)[] {
  let cursor = 0;
  const next = (n: number) => (n <= 1 ? 0 : (tape[cursor++ % Math.max(1, tape.length)] ?? 0) % n);
  let t = Date.now() - 3_600_000;
  const tick = () => (t += 1 + next(1000));
  const confirmed: JournalEvent = { e: 'confirmed', t: tick(), hash: 'h', total, skipped: { invalid: 0, duplicate: 0, excluded: 0 } };
  const events: (JournalEvent | string)[] = [];
  // An earlier confirmation, scheduled and then unscheduled (Stop on a scheduled mailing).
  if (next(4) === 0) events.push({ ...confirmed, total: total + 1 }, { e: 'scheduled', t: tick(), at: new Date(t).toISOString() }, { e: 'unscheduled', t: tick() });
  events.push(confirmed);
  if (scheduled) {
    events.push({ e: 'scheduled', t: tick(), at: new Date(t + 60_000).toISOString() });
    if (next(3) === 0) events.push({ e: 'missed', t: tick() });
  }
  const state: ('pending' | 'flight' | 'deferred' | 'done')[] = Array.from({ length: total }, () => 'pending');
  const runs = 1 + next(4);
  for (let run = 0; run < runs && cursor < tape.length + 8; run++) {
    // A process that died mid-write left a torn line; the next writer ended it with a newline.
    if (run > 0 && next(3) === 0) events.push('{"e":"sent","t":17');
    events.push({ e: run === 0 ? 'started' : 'resumed', t: tick(), ...OWNER });
    for (let i = 0; i < total; i++) if (state[i] === 'flight') state[i] = 'pending'; // uncertain: sent again
    const steps = next(3 * total + 2);
    for (let step = 0; step < steps; step++) {
      const flying = state.flatMap((s, i) => (s === 'flight' ? [i] : []));
      const open = state.flatMap((s, i) => (s === 'pending' || s === 'deferred' ? [i] : []));
      if (flying.length > 0 && (open.length === 0 || flying.length >= 2 || next(2) === 0)) {
        const i = flying[next(flying.length)];
        const r = REPLIES[next(REPLIES.length)];
        switch (next(4)) {
          case 0:
            events.push({ e: 'sent', t: tick(), i, r });
            state[i] = 'done';
            break;
          case 1:
            events.push({ e: 'deferred', t: tick(), i, r, a: 1, at: t + next(1000) });
            state[i] = 'deferred';
            break;
          case 2:
            events.push({ e: 'failed', t: tick(), i, r });
            state[i] = 'done';
            break;
          default:
            events.push({ e: 'released', t: tick(), i, r: 'not handed off: the mailing stopped' });
            state[i] = 'pending';
        }
      } else if (open.length > 0) {
        const i = open[next(open.length)];
        events.push({ e: 'sending', t: tick(), i });
        state[i] = 'flight';
      }
    }
    const finished = state.every((s) => s === 'done');
    const end = next(3);
    if (finished && end !== 2) {
      events.push({ e: 'completed', t: tick() });
      break;
    }
    if (end === 0) events.push({ e: 'stopped', t: tick(), reason: 'stopped by property', by: 'user' });
    // else: the process died here
  }
  return events;
}

/** Where the journal is cut: at any byte, or just before a newline (a crash lost only that). */
const cut = fc.tuple(fc.boolean(), fc.nat());

/** The journal's bytes cut at `at`: any byte in [0, length], or the byte before the nth newline. */
function cutJournal(events: (JournalEvent | string)[], [beforeNewline, at]: [boolean, number]): Buffer {
  const bytes = Buffer.from(events.map((event) => (typeof event === 'string' ? `${event}\n` : encodeEvent(event))).join(''), 'utf8');
  if (!beforeNewline) return bytes.subarray(0, at % (bytes.length + 1));
  const newlines = [...bytes.keys()].filter((i) => bytes[i] === 0x0a);
  return bytes.subarray(0, newlines[at % newlines.length]);
}

type Expected = 'sent' | 'failed' | 'again';

/** What the cut journal says of each recipient, read independently of the fold: its last event. */
function expectedAfterCut(bytes: Buffer): { status: 'draft' | 'completed' | 'resumable'; total: number; recipients: Expected[]; sentEvents: number } {
  // Every line that is a whole event counts; so does the part after the last newline when it is one
  // (a crash lost only the newline); anything else is torn.
  const lines = bytes.toString('utf8').split('\n');
  let total = 0;
  let recipients: Expected[] = [];
  let status: 'draft' | 'completed' | 'resumable' = 'draft';
  let sentEvents = 0;
  for (const line of lines) {
    let event: JournalEvent;
    try {
      event = JSON.parse(line) as JournalEvent;
    } catch {
      continue; // a torn line
    }
    if (event.e === 'confirmed') {
      total = event.total;
      recipients = Array.from({ length: total }, () => 'again');
      status = 'resumable';
    } else if (event.e === 'unscheduled') {
      status = 'draft';
      recipients = [];
      total = 0;
    } else if (event.e === 'completed') status = 'completed';
    else if ('i' in event) {
      recipients[event.i] = event.e === 'sent' ? 'sent' : event.e === 'failed' ? 'failed' : 'again';
      if (event.e === 'sent') sentEvents++;
    }
  }
  return { status, total, recipients, sentEvents };
}

const recipientCount = fc.integer({ min: 1, max: 6 });
const tape = fc.array(fc.nat({ max: 10_000 }), { maxLength: 60 });

describe('journal properties: a journal cut at any byte, then Start', function () {
  this.timeout(30_000);
  let root: string;
  const runs = new PropertyRuns();
  beforeEach(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-journal-property-'))));
  afterEach(async () => {
    await runs.settled();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('folds to a state from which a resume sends everyone without an outcome, and nobody with one', async () => {
    const stateDir = path.join(root, 'state');
    await fs.mkdir(stateDir, { recursive: true });
    await fc.assert(
      fc.asyncProperty(recipientCount, tape, fc.boolean(), cut, runs.track(async (total, choices, scheduled, at) => {
        const bytes = cutJournal(history(total, choices, scheduled), at);
        await fs.writeFile(path.join(stateDir, JOURNAL_FILE), bytes);
        const fold = await foldJournal(stateDir);
        const expected = expectedAfterCut(bytes);
        if (expected.status === 'draft') {
          assert.equal(fold.status, 'draft');
          return;
        }
        assert.equal(fold.total, expected.total);
        if (fold.status === 'completed') {
          assert.ok(expected.recipients.every((r) => r !== 'again'), 'completed with recipients left');
          return;
        }
        // What run.ts does first on Start: journal `resumed` and fold it.
        fold.apply({ e: 'resumed', t: Date.now(), ...OWNER });
        for (let i = 0; i < fold.total; i++) {
          const progress = fold.progress[i];
          if (expected.recipients[i] === 'sent') assert.equal(progress, Progress.Sent, `recipient ${i}`);
          else if (expected.recipients[i] === 'failed') assert.equal(progress, Progress.Failed, `recipient ${i}`);
          else {
            // Sent again: pending (the engine's cursor takes it), or deferred with a retry time (its retry heap does).
            assert.ok(progress === Progress.Pending || (progress === Progress.Deferred && fold.retryAt.has(i)), `recipient ${i} would be lost: progress ${progress}`);
          }
        }
        assert.equal(fold.inFlight.size, 0);
        assert.equal(fold.sent, expected.recipients.filter((r) => r === 'sent').length);
      })),
      { numRuns: 200, timeout: 10_000, interruptAfterTimeLimit: 600 },
    );
  });

  it('the real Start hands off exactly the recipients without a recorded outcome, once each', async () => {
    await fc.assert(
      fc.asyncProperty(recipientCount, tape, fc.boolean(), cut, runs.track(async (total, choices, scheduled, at) => {
        const dir = await fs.mkdtemp(path.join(root, 'run-'));
        const stateRoot = path.join(dir, '.mailings');
        const file = path.join(dir, 'm.mailing.yaml');
        const stateDir = mailingStateDir(stateRoot, file);
        await fs.mkdir(stateDir, { recursive: true });
        const bytes = cutJournal(history(total, choices, scheduled), at);
        const expected = expectedAfterCut(bytes);
        // The snapshot on disk is that of the last confirmation the journal kept: a confirmation writes
        // its snapshot before its `confirmed` event, and the `unscheduled` before it is synced.
        const recipients = expected.status === 'draft' ? total : expected.total;
        await writeSnapshot(stateDir, { version: 1, file, confirmedAt: new Date().toISOString(), hash: 'h', messageIdToken: newMessageIdToken(), mailing: mailingOf(file, recipients) });
        await fs.writeFile(path.join(stateDir, JOURNAL_FILE), bytes);
        const before = bytes.length;

        let statistics;
        try {
          statistics = await startMailing(file, { stateRoot, owner: 'property' });
        } catch (error) {
          // Start refuses only a mailing with nobody left to send: never confirmed, or completed.
          assert.ok(expected.status === 'draft' || expected.status === 'completed', `Start refused a resumable mailing: ${String(error)}`);
          if (expected.status === 'draft') assert.equal(expected.sentEvents, 0);
          else assert.ok(expected.recipients.every((r) => r !== 'again'));
          return;
        }
        assert.equal(expected.status, 'resumable');
        assert.equal(statistics.status, 'completed');
        assert.equal(statistics.sent + statistics.failed, recipients);
        // The events this Start wrote, after the cut.
        const after = (await fs.readFile(path.join(stateDir, JOURNAL_FILE))).subarray(before).toString('utf8');
        const handedOff = new Map<number, number>();
        for (const line of after.split('\n')) {
          if (!line.startsWith('{')) continue;
          const event = JSON.parse(line) as JournalEvent;
          if (event.e === 'sending') handedOff.set(event.i, (handedOff.get(event.i) ?? 0) + 1);
        }
        for (let i = 0; i < recipients; i++) {
          const times = handedOff.get(i) ?? 0;
          assert.equal(times, expected.recipients[i] === 'again' ? 1 : 0, `recipient ${i} (${expected.recipients[i]}) handed off ${times} times`);
        }
        await fs.rm(dir, { recursive: true, force: true });
      })),
      { numRuns: 25, timeout: 10_000, interruptAfterTimeLimit: 1_200 },
    );
  });

  it('Start refuses a mailing unscheduled by a last event that lost only its newline (it was sent to nobody)', async () => {
    // Found by the property above: the status check ignored the event, the run (after the writer
    // ended its line) folded it, and the mailing became `completed` with no one mailed.
    const stateRoot = path.join(root, '.mailings');
    const file = path.join(root, 'm.mailing.yaml');
    const stateDir = mailingStateDir(stateRoot, file);
    await fs.mkdir(stateDir, { recursive: true });
    await writeSnapshot(stateDir, { version: 1, file, confirmedAt: new Date().toISOString(), hash: 'h', messageIdToken: newMessageIdToken(), mailing: mailingOf(file, 3) });
    const events: JournalEvent[] = [
      { e: 'confirmed', t: 1, hash: 'h', total: 3, skipped: { invalid: 0, duplicate: 0, excluded: 0 } },
      { e: 'scheduled', t: 2, at: new Date(Date.now() + 3_600_000).toISOString() },
      { e: 'unscheduled', t: 3 },
    ];
    await fs.writeFile(path.join(stateDir, JOURNAL_FILE), events.map(encodeEvent).join('').slice(0, -1));
    await assert.rejects(startMailing(file, { stateRoot, owner: 'property' }), /cannot start: the mailing is draft/);
  });
});

function mailingOf(file: string, total: number): ResolvedMailing {
  const recipients = Array.from({ length: total }, (_, i) => ({ email: `r${i}@example.com`, fields: { email: `r${i}@example.com`, firstName: `R${i}` } }));
  return {
    file,
    name: 'Journal property',
    from: { name: 'Shop', email: 'news@shop.example' },
    subject: 'Hello {{firstName}}',
    text: { source: 'Hi {{firstName}}' },
    attachments: [],
    targetList: { recipients, fields: ['email', 'firstName'], skipped: { invalid: 0, duplicate: 0, excluded: 0 }, sources: [], excludeSources: [] },
    unsubscribe: { url: 'https://shop.example/u' },
    test: { recipients: [] },
    timezone: 'UTC',
    sending: { ...DEFAULT_SENDING, transport: 'outbox', connections: 2 },
  };
}
