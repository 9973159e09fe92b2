// Journal checkpoints (state/journalCheckpoint.ts): a fold read from a checkpoint plus the journal's
// tail is the fold of the whole journal, for any history and any place of the checkpoint; and a
// checkpoint that does not describe the journal now there (replaced, cut, rewritten, damaged, of
// another shape) is never used.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { readCheckpoint, writeCheckpoint } from '../../src/core/state/journalCheckpoint';
import { encodeEvent, type JournalEvent } from '../../src/core/state/journalEvents';
import { OWNER, SKIPPED, eventArbitrary, lines, plain, reference } from '../support/journalHistories';
import { JournalFold } from '../../src/core/state/journalFold';
import { checkpointJournal, clearJournalCache, foldJournal, readJournalFold, readJournalFrom } from '../../src/core/state/journalReader';
import { CHECKPOINT_FILE, JOURNAL_FILE } from '../../src/core/state/paths';

describe('journal checkpoints', function () {
  this.timeout(60_000);
  let dir: string;
  let journal: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-checkpoint-'));
    journal = path.join(dir, JOURNAL_FILE);
    clearJournalCache();
  });
  afterEach(async () => {
    clearJournalCache();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Writes `events` as the journal, and a checkpoint of its first `at` events. */
  async function journalWithCheckpoint(events: JournalEvent[], at: number): Promise<void> {
    await fs.writeFile(journal, lines(events.slice(0, at)));
    const fold = new JournalFold();
    const place = await readJournalFrom(journal, 0, (event) => fold.apply(event));
    await writeCheckpoint(dir, fold, place!);
    await fs.appendFile(journal, lines(events.slice(at)));
  }

  it('a checkpoint plus the tail folds to the whole journal, wherever the checkpoint is', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArbitrary(), { minLength: 1, maxLength: 80 }), fc.nat(), async (events, cut) => {
        await fs.rm(path.join(dir, CHECKPOINT_FILE), { force: true });
        const at = events.length === 0 ? 0 : cut % (events.length + 1);
        await journalWithCheckpoint(events, at);
        const expected = plain(reference(events));
        const loaded = await readCheckpoint(dir);
        assert.ok(loaded, 'the checkpoint just written is read back');
        assert.deepEqual(plain(await foldJournal(dir)), expected);
        clearJournalCache();
        assert.deepEqual(plain(await readJournalFold(dir)), expected);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps every field of the fold: a fold from a checkpoint alone equals the fold it was made of', async () => {
    const events: JournalEvent[] = [
      { e: 'confirmed', t: 1, hash: 'h', total: 4, skipped: SKIPPED },
      { e: 'scheduled', t: 2, at: '2026-12-03T10:00:00.000Z', first: '2026-12-03T09:00:00.000Z' },
      { e: 'started', t: 3, ...OWNER, destination: { transport: 'outbox', dir: '/tmp/o' } },
      { e: 'rate', t: 4, k: 'example.com', r: 2.5 },
      { e: 'sending', t: 5, i: 0 },
      { e: 'sending', t: 6, i: 1 },
      { e: 'sent', t: 7, i: 0, r: '250 ok' },
      { e: 'sending', t: 8, i: 2 },
      { e: 'deferred', t: 9, i: 2, r: '451 later', a: 1, at: 99, th: 1 },
      { e: 'bounced', t: 10, i: 0, k: 'soft', r: '4.2.2 full', via: 'verp' },
      { e: 'complained', t: 11, i: 0, r: 'abuse', via: 'verp' },
      { e: 'withdrawn', t: 12, i: 3, r: 'suppressed' },
    ];
    await journalWithCheckpoint(events, events.length);
    const loaded = await readCheckpoint(dir);
    const expected = reference(events);
    assert.deepEqual(plain(loaded!.fold), plain(expected));
    // Fields of every kind came back as what they were, not merely as equal data.
    assert.ok(loaded!.fold.retryAt instanceof Map && loaded!.fold.inFlight instanceof Set && loaded!.fold.recipientAt instanceof Float64Array);
    assert.deepEqual([...loaded!.fold.inFlight], [1]);
    assert.equal(loaded!.fold.firstDueAt, '2026-12-03T09:00:00.000Z');
    assert.deepEqual(loaded!.fold.runDestination, { transport: 'outbox', dir: '/tmp/o' });
    assert.equal(loaded!.place.offset, (await fs.stat(journal)).size);
  });

  const events: JournalEvent[] = [
    { e: 'confirmed', t: 100, hash: 'h', total: 3, skipped: SKIPPED },
    { e: 'started', t: 101, ...OWNER },
    { e: 'sending', t: 102, i: 0 },
    { e: 'sent', t: 103, i: 0, r: '250 ok' },
  ];
  const other: JournalEvent[] = [
    { e: 'confirmed', t: 200, hash: 'x', total: 2, skipped: SKIPPED },
    { e: 'started', t: 201, ...OWNER },
    { e: 'sending', t: 202, i: 1 },
    { e: 'failed', t: 203, i: 1, r: '550 no' },
  ];

  it('ignores the checkpoint of a journal that was replaced by another file', async () => {
    await journalWithCheckpoint(events, events.length);
    const replacement = `${journal}.new`;
    await fs.writeFile(replacement, lines(other) + lines(other));
    await fs.rename(replacement, journal);
    assert.equal(await readCheckpoint(dir), undefined);
    assert.deepEqual(plain(await foldJournal(dir)), plain(reference([...other, ...other])));
  });

  it('ignores the checkpoint of a journal rewritten in place (same file, other bytes before the offset)', async () => {
    await journalWithCheckpoint(events, events.length);
    await fs.writeFile(journal, lines(other) + lines(other)); // truncates and writes the same inode
    assert.ok((await fs.stat(journal)).size >= Buffer.byteLength(lines(events)), 'the new journal is at least as long');
    assert.equal(await readCheckpoint(dir), undefined);
    assert.deepEqual(plain(await foldJournal(dir)), plain(reference([...other, ...other])));
  });

  it('ignores the checkpoint of a journal now shorter than the checkpoint', async () => {
    await journalWithCheckpoint(events, events.length);
    await fs.truncate(journal, Buffer.byteLength(lines(events.slice(0, 2))));
    assert.equal(await readCheckpoint(dir), undefined);
    assert.deepEqual(plain(await foldJournal(dir)), plain(reference(events.slice(0, 2))));
  });

  it('ignores a damaged checkpoint: any byte changed, cut short, or not a checkpoint at all', async () => {
    await journalWithCheckpoint(events, 3);
    const file = path.join(dir, CHECKPOINT_FILE);
    const good = await fs.readFile(file);
    const expected = plain(reference(events));
    for (let at = 0; at < good.length; at += Math.max(1, Math.floor(good.length / 97))) {
      const bad = Buffer.from(good);
      bad[at] ^= 0x5a;
      await fs.writeFile(file, bad);
      assert.equal(await readCheckpoint(dir), undefined, `byte ${at} changed and the checkpoint was used`);
      assert.deepEqual(plain(await foldJournal(dir)), expected, `byte ${at} changed`);
    }
    for (const bad of [good.subarray(0, good.length - 1), good.subarray(0, 20), Buffer.alloc(0), Buffer.from('{"not":"a checkpoint"}')]) {
      await fs.writeFile(file, bad);
      assert.equal(await readCheckpoint(dir), undefined);
      assert.deepEqual(plain(await foldJournal(dir)), expected);
    }
  });

  it('ignores a checkpoint of another shape of fold (another version of the extension)', async () => {
    await journalWithCheckpoint(events, events.length);
    const file = path.join(dir, CHECKPOINT_FILE);
    const whole = await fs.readFile(file);
    const data = whole.subarray(0, whole.length - 32);
    const length = data.readUInt32LE(8);
    const header = data.toString('utf8', 12, 12 + length).replace('"shape":"', '"shape":"extra:value,');
    const head = Buffer.from(header);
    const lengthBytes = Buffer.alloc(4);
    lengthBytes.writeUInt32LE(head.length);
    const start = Buffer.concat([data.subarray(0, 8), lengthBytes, head]);
    const bodyAt = (12 + length + 7) & ~7;
    const changed = Buffer.concat([start, Buffer.alloc(((start.length + 7) & ~7) - start.length), data.subarray(bodyAt)]);
    // A well-formed checkpoint (its digest recomputed) that only differs in its shape.
    await fs.writeFile(file, Buffer.concat([changed, createHash('sha256').update(changed).digest()]));
    assert.equal(await readCheckpoint(dir), undefined);
    assert.deepEqual(plain(await foldJournal(dir)), plain(reference(events)));
  });

  it('a checkpoint is not used once its journal is gone', async () => {
    await journalWithCheckpoint(events, events.length);
    await fs.rm(journal);
    assert.equal((await foldJournal(dir)).status, 'draft');
    assert.equal((await readJournalFold(dir)).status, 'draft');
  });

  it('a reader that folds more than a few MB past the checkpoint writes one, and the next reader starts from it', async () => {
    const total = 50_000;
    const big: JournalEvent[] = [{ e: 'confirmed', t: 1, hash: 'h', total, skipped: SKIPPED }, { e: 'started', t: 2, ...OWNER }];
    for (let i = 0; i < total; i++) big.push({ e: 'sending', t: 3 + i, i }, { e: 'sent', t: 3 + i, i, r: '250 2.0.0 Ok: queued as 0123456789AB' });
    await fs.writeFile(journal, lines(big));
    assert.ok((await fs.stat(journal)).size > 4 << 20, 'the journal is larger than the checkpoint interval');
    const first = await readJournalFold(dir);
    assert.equal(first.sent, total);
    const loaded = await readCheckpoint(dir);
    assert.equal(loaded?.place.offset, (await fs.stat(journal)).size, 'the reader checkpointed the whole journal');
    // One more event: the next reader folds it on top of the checkpoint.
    await fs.appendFile(journal, encodeEvent({ e: 'completed', t: 99_999 }));
    clearJournalCache();
    const next = await foldJournal(dir);
    assert.equal(next.status, 'completed');
    assert.deepEqual(plain(next), plain(reference([...big, { e: 'completed', t: 99_999 }])));
  });

  it('checkpointJournal writes the checkpoint of the journal as it is now, and nothing when there is no journal', async () => {
    await checkpointJournal(dir);
    await assert.rejects(fs.stat(path.join(dir, CHECKPOINT_FILE)), { code: 'ENOENT' });
    await fs.writeFile(journal, lines(events));
    await checkpointJournal(dir);
    const loaded = await readCheckpoint(dir);
    assert.equal(loaded?.place.offset, Buffer.byteLength(lines(events)));
    assert.deepEqual(plain(loaded!.fold), plain(reference(events)));
    assert.deepEqual((await fs.readdir(dir)).sort(), [CHECKPOINT_FILE, JOURNAL_FILE].sort(), 'no temp file is left');
  });
});
