import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JournalWriter, appendJournal } from '../../src/core/state/journal';
import { readJournalFold, foldJournal, clearJournalCache } from '../../src/core/state/journalReader';
import { readSendStateSummary, readStatistics } from '../../src/core/state/summary';
import { acquireLease } from '../../src/core/state/lease';
import type { JournalEvent } from '../../src/core/state/journalEvents';
import { JOURNAL_FILE } from '../../src/core/state/paths';

const owner = { owner: 'test', pid: process.pid, host: os.hostname() };
const skipped = { invalid: 1, duplicate: 2, excluded: 3 };

describe('journal', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-journal-'));
    clearJournalCache();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('is a draft when there is no journal', async () => {
    assert.deepEqual(await readSendStateSummary(dir), { status: 'draft' });
    const stats = await readStatistics(dir);
    assert.equal(stats.status, 'draft');
    assert.equal(stats.total, 0);
  });

  it('folds confirmed + scheduled, then unscheduled back to draft', async () => {
    await appendJournal(dir, { e: 'confirmed', t: 1000, hash: 'h1', total: 3, skipped }, { e: 'scheduled', t: 1000, at: '2030-01-01T10:00:00.000Z' });
    assert.deepEqual(await readSendStateSummary(dir), {
      status: 'scheduled',
      scheduledAt: '2030-01-01T10:00:00.000Z',
      confirmedHash: 'h1',
      total: 3,
      sent: 0,
      failed: 0,
    });
    await appendJournal(dir, { e: 'missed', t: 2000 });
    assert.equal((await readSendStateSummary(dir)).status, 'missed');
    await appendJournal(dir, { e: 'unscheduled', t: 3000 });
    assert.deepEqual(await readSendStateSummary(dir), { status: 'draft' });
  });

  it('counts outcomes per recipient, the last outcome winning', async () => {
    const lease = await acquireLease(dir, 'test');
    try {
      await appendJournal(
        dir,
        { e: 'confirmed', t: 0, hash: 'h', total: 4, skipped },
        { e: 'started', t: 60_000, ...owner },
        { e: 'sending', t: 60_001, i: 0 },
        { e: 'sent', t: 60_002, i: 0, r: '250 ok' },
        { e: 'sending', t: 60_003, i: 1 },
        { e: 'deferred', t: 60_004, i: 1, r: '451 later', a: 1, at: 70_000 },
        { e: 'sending', t: 60_005, i: 2 },
        { e: 'failed', t: 60_006, i: 2, r: '550 no' },
        { e: 'sending', t: 70_001, i: 1 },
      );
      const stats = await readStatistics(dir, 120_000);
      assert.equal(stats.status, 'sending');
      assert.deepEqual(
        { total: stats.total, sent: stats.sent, failed: stats.failed, deferred: stats.deferred, pending: stats.pending, skipped: stats.skipped, uncertain: stats.uncertain },
        { total: 4, sent: 1, failed: 1, deferred: 0, pending: 2, skipped: 6, uncertain: 0 },
      );
      assert.equal(stats.durationMs, 60_000);
      assert.equal(stats.ratePerMinute, 1);
      assert.deepEqual(stats.perMinute, [{ minute: new Date(60_000).toISOString(), sent: 1, failed: 1 }]);
      assert.equal(stats.sender?.pid, process.pid);
    } finally {
      await lease.release();
    }
    // Nobody holds the lease while the journal says sending: a crash. Recipient 1 is uncertain.
    const crashed = await readStatistics(dir);
    assert.equal(crashed.status, 'stopped');
    assert.match(crashed.stoppedReason ?? '', /crash/);
    assert.equal(crashed.uncertain, 1);
    assert.equal(crashed.durationMs, 10_001);
    await appendJournal(dir, { e: 'resumed', t: 200_000, ...owner }, { e: 'sending', t: 200_001, i: 1 }, { e: 'sent', t: 200_002, i: 1, r: '250' });
    const fold = await foldJournal(dir);
    assert.equal(fold.uncertain, 1);
    assert.equal(fold.sent, 2);
    assert.equal(fold.attempts[1], 3);
  });

  it('ignores a torn last line, and a writer reopening it keeps the torn part on its own line', async () => {
    await appendJournal(dir, { e: 'confirmed', t: 0, hash: 'h', total: 2, skipped }, { e: 'started', t: 1, ...owner }, { e: 'sending', t: 2, i: 0 });
    await fs.appendFile(path.join(dir, JOURNAL_FILE), '{"e":"sent","t":3,"i":0,"r":"25');
    let fold = await readJournalFold(dir);
    assert.equal(fold.sent, 0);
    assert.equal(fold.inFlight.size, 1);
    await appendJournal(dir, { e: 'resumed', t: 4, ...owner }, { e: 'sending', t: 5, i: 0 }, { e: 'sent', t: 6, i: 0, r: '250' });
    fold = await readJournalFold(dir);
    assert.equal(fold.ignoredLines, 1);
    assert.equal(fold.sent, 1);
    assert.equal(fold.uncertain, 1);
    const fresh = await foldJournal(dir);
    assert.equal(fresh.sent, 1);
    assert.equal(fresh.ignoredLines, 1);
  });

  it('counts a last event that lost only its newline, the same before and after a writer ends its line', async () => {
    await appendJournal(dir, { e: 'confirmed', t: 0, hash: 'h', total: 2, skipped }, { e: 'scheduled', t: 1, at: '2030-01-01T10:00:00.000Z' });
    await fs.appendFile(path.join(dir, JOURNAL_FILE), '{"e":"unscheduled","t":2}');
    const cached = await readJournalFold(dir);
    assert.equal(cached.status, 'draft');
    assert.equal((await foldJournal(dir)).status, 'draft');
    await (await JournalWriter.open(dir)).close();
    assert.equal((await foldJournal(dir)).status, 'draft');
    // The cached fold goes on after it, over the newline the writer added.
    await appendJournal(dir, { e: 'confirmed', t: 3, hash: 'h2', total: 1, skipped }, { e: 'scheduled', t: 4, at: '2030-01-01T10:00:00.000Z' });
    const advanced = await readJournalFold(dir);
    assert.equal(advanced, cached);
    assert.deepEqual([advanced.status, advanced.confirmedHash, advanced.ignoredLines], ['scheduled', 'h2', 0]);
  });

  it('advances the cached fold over appended bytes only, across chunk boundaries', async () => {
    const total = 30_000;
    const writer = await JournalWriter.open(dir, { sync: false });
    await writer.append({ e: 'confirmed', t: 0, hash: 'h', total, skipped }, { e: 'started', t: 1, ...owner });
    const events: JournalEvent[] = [];
    for (let i = 0; i < total / 2; i++) events.push({ e: 'sending', t: 10, i }, { e: 'sent', t: 11, i, r: '250 2.0.0 Ok: queued as ABCDEF' });
    await writer.append(...events);
    const first = await readJournalFold(dir);
    assert.equal(first.sent, total / 2);
    const size1 = (await fs.stat(path.join(dir, JOURNAL_FILE))).size;
    assert.ok(size1 > 1 << 20, 'the journal spans more than one read chunk');
    events.length = 0;
    for (let i = total / 2; i < total; i++) events.push({ e: 'sending', t: 20, i }, { e: 'failed', t: 21, i, r: '550 no' });
    await writer.append(...events, { e: 'completed', t: 30 });
    await writer.close();
    const second = await readJournalFold(dir);
    assert.equal(second, first, 'the same cached fold, advanced');
    assert.equal(second.events, 2 + total * 2 + 1);
    assert.equal(second.failed, total / 2);
    assert.equal(second.status, 'completed');
    const fresh = await foldJournal(dir);
    assert.deepEqual([fresh.sent, fresh.failed, fresh.events], [second.sent, second.failed, second.events]);
  });

  it('appends from callbacks of the same turn of the event loop share one write (as the replies of several connections do)', async () => {
    const writer = await JournalWriter.open(dir);
    await writer.append({ e: 'confirmed', t: 0, hash: 'h', total: 3, skipped });
    const before = writer.batches;
    // Three immediates queued together run in one check phase, each callback followed by its
    // microtasks, as the replies of several connections read in one poll phase are; an immediate
    // queued while they run (the flush) waits for the next turn, so this is deterministic. (Three
    // timers were not: each takes the loop's time when it is set, and on a loaded machine the
    // millisecond can change between them, putting them in different turns.)
    const appended = await new Promise<Promise<void>[]>((resolve) => {
      const pending: Promise<void>[] = [];
      for (let i = 0; i < 3; i++)
        setImmediate(() => {
          pending.push(writer.write({ e: 'sending', t: 1, i }));
          if (pending.length === 3) resolve(pending);
        });
    });
    await Promise.all(appended);
    assert.equal(writer.batches - before, 1, 'one write for the three');
    await writer.close();
    assert.equal((await foldJournal(dir)).inFlight.size, 3);
  });

  it('an append of no events resolves once what came before it is written and durable', async () => {
    const writer = await JournalWriter.open(dir);
    await writer.append();
    await writer.write();
    const before = writer.append({ e: 'confirmed', t: 0, hash: 'h', total: 1, skipped });
    await writer.append();
    await before;
    assert.equal(writer.written, 1);
    await writer.close();
    assert.equal((await foldJournal(dir)).status, 'confirmed');
  });

  it('group-commits appends made while a sync is under way', async () => {
    const writer = await JournalWriter.open(dir);
    await writer.append({ e: 'confirmed', t: 0, hash: 'h', total: 200, skipped });
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) pending.push(writer.append({ e: 'sending', t: 1, i }));
    await Promise.all(pending);
    await writer.close();
    assert.equal(writer.written, 201);
    assert.ok(writer.batches < 201 / 2, `batches: ${writer.batches}`);
    assert.equal((await foldJournal(dir)).inFlight.size, 200);
  });
});
