// Journal compaction (state/journalCompaction.ts, state/journalArchive.ts): a compacted journal is one
// line naming its archive, and every reader — the fold with or without a checkpoint, the cached fold,
// the stream of events the per-recipient log is made of — sees the history it had, whatever was
// appended after and however often it was compacted again. An archive that is missing, damaged or
// another one is a located error, never a shorter history; one nobody names is removed.
import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { appendJournalBeside, JournalWriter } from '../../src/core/state/journal';
import { JournalArchiveError } from '../../src/core/state/journalArchive';
import { readCheckpoint } from '../../src/core/state/journalCheckpoint';
import { compactJournal } from '../../src/core/state/journalCompaction';
import { parseEventLine, type ArchivedEvent, type JournalEvent } from '../../src/core/state/journalEvents';
import { clearJournalCache, foldJournal, forEachJournalEvent, readJournalFold } from '../../src/core/state/journalReader';
import { CHECKPOINT_FILE, JOURNAL_FILE, JOURNAL_LOCK_DIR, LEASE_FILE } from '../../src/core/state/paths';
import { OWNER, SKIPPED, eventArbitrary, lines, plain, reference } from '../support/journalHistories';

/** The fold as plain data, without the count of events read (the `archived` line is one more). */
function facts(fold: Parameters<typeof plain>[0]): Record<string, unknown> {
  const rest = plain(fold);
  delete rest.events;
  return rest;
}

async function eventsOf(dir: string): Promise<JournalEvent[]> {
  const events: JournalEvent[] = [];
  await forEachJournalEvent(dir, (event) => {
    if (event.e !== 'archived') events.push(event);
  });
  return events;
}

async function headOf(dir: string): Promise<ArchivedEvent> {
  const text = await fs.readFile(path.join(dir, JOURNAL_FILE), 'utf8');
  const event = parseEventLine(text.split('\n')[0]);
  assert.equal(event?.e, 'archived', 'the journal starts with its archived line');
  return event as ArchivedEvent;
}

async function archivesIn(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((name) => name.endsWith('.jsonl.gz')).sort();
}

/** A completed mailing of `total` recipients, one deferred then sent, one failed, one bounced. */
function completedMailing(total: number): JournalEvent[] {
  const events: JournalEvent[] = [{ e: 'confirmed', t: 1, hash: 'h', total, skipped: SKIPPED }, { e: 'started', t: 2, ...OWNER }];
  for (let i = 0; i < total; i++) {
    events.push({ e: 'sending', t: 10 + i, i });
    if (i === 1) events.push({ e: 'deferred', t: 10 + i, i, r: '451 4.7.1 later', a: 1, at: 20 + i }, { e: 'sending', t: 30 + i, i });
    events.push(i === 2 ? { e: 'failed', t: 40 + i, i, r: '550 5.1.1 no such user' } : { e: 'sent', t: 40 + i, i, r: `250 2.0.0 Ok: queued as Q${i}` });
  }
  events.push({ e: 'bounced', t: 90_000, i: 3, k: 'hard', r: '5.1.1 gone', via: 'verp' }, { e: 'completed', t: 90_001 });
  return events;
}

/** Resolves once `file` exists; fails, saying so, if `work` ends first. */
async function lockTaken(file: string, work: Promise<unknown>): Promise<void> {
  let ended = false;
  void work.finally(() => (ended = true));
  while (!existsSync(file)) {
    if (ended) throw new Error(`waited for ${file} (the compaction's journal lock), but the compaction ended without it being seen`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('journal compaction', function () {
  this.timeout(60_000);
  let dir: string;
  let journal: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-compact-'));
    journal = path.join(dir, JOURNAL_FILE);
    clearJournalCache();
  });
  afterEach(async () => {
    clearJournalCache();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('leaves one line naming a gzip of every line, and every reader sees the same history', async () => {
    const events = completedMailing(2000);
    await fs.writeFile(journal, lines(events));
    const before = (await fs.stat(journal)).size;
    const result = await compactJournal(dir, 'test');
    assert.ok(result);
    assert.equal(result.before, before);
    assert.equal(result.lines, events.length);
    assert.equal(result.bytes, before);
    const after = await fs.readFile(journal, 'utf8');
    assert.equal(after.split('\n').length, 2, 'one line and its newline');
    assert.equal(result.after, Buffer.byteLength(after));
    assert.ok(result.archiveBytes * 5 < before, `the archive (${result.archiveBytes} bytes) is much smaller than the journal was (${before})`);
    const head = await headOf(dir);
    assert.deepEqual(await archivesIn(dir), [head.file]);
    // The archive is the journal's lines as they were: zcat gives them back.
    assert.equal(gunzipSync(await fs.readFile(path.join(dir, head.file))).toString('utf8'), lines(events));
    const expected = facts(reference(events));
    assert.deepEqual(facts(await foldJournal(dir)), expected);
    assert.deepEqual(facts(await readJournalFold(dir)), expected);
    assert.deepEqual(await eventsOf(dir), JSON.parse(`[${lines(events).trim().split('\n').join(',')}]`));
    // The checkpoint describes the new journal whole: status reads it and the one line.
    assert.equal((await readCheckpoint(dir))?.place.offset, result.after);
  });

  it('reads the archive when the checkpoint is gone, and checkpoints again so the next reader does not', async () => {
    const events = completedMailing(300);
    await fs.writeFile(journal, lines(events));
    await compactJournal(dir, 'test');
    await fs.rm(path.join(dir, CHECKPOINT_FILE));
    clearJournalCache();
    assert.deepEqual(facts(await readJournalFold(dir)), facts(reference(events)));
    assert.equal((await readCheckpoint(dir))?.place.offset, (await fs.stat(journal)).size, 'the reader that read the archive wrote a checkpoint');
  });

  it('any history, compacted at any two places with appends between, folds and streams as the whole of it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventArbitrary(), { minLength: 1, maxLength: 60 }), fc.nat(), fc.nat(), fc.boolean(), async (events, a, b, dropCheckpoint) => {
        await fs.rm(dir, { recursive: true, force: true });
        await fs.mkdir(dir);
        clearJournalCache();
        const first = a % (events.length + 1);
        const second = first + (b % (events.length - first + 1));
        await fs.writeFile(journal, lines(events.slice(0, first)));
        await compactJournal(dir, 'test');
        // Appended as the sender (a writer) and the bounce poller (beside, under the journal lock) do.
        const writer = await JournalWriter.open(dir);
        await writer.append(...events.slice(first, second));
        await writer.close();
        await compactJournal(dir, 'test');
        await appendJournalBeside(dir, 'test', ...events.slice(second));
        if (dropCheckpoint) await fs.rm(path.join(dir, CHECKPOINT_FILE), { force: true });
        clearJournalCache();
        const expected = facts(reference(events));
        assert.deepEqual(facts(await foldJournal(dir)), expected);
        assert.deepEqual(facts(await readJournalFold(dir)), expected);
        assert.deepEqual(await eventsOf(dir), JSON.parse(`[${lines(events).trim().split('\n').join(',')}]`));
        assert.ok((await archivesIn(dir)).length <= 1, 'one archive at most: the one the journal names');
      }),
      { numRuns: 40 },
    );
  });

  it('compacts again after appends: one archive with all of it, the old one removed', async () => {
    const events = completedMailing(200);
    await fs.writeFile(journal, lines(events));
    await compactJournal(dir, 'test');
    const old = (await headOf(dir)).file;
    const later: JournalEvent[] = [{ e: 'complained', t: 100_000, i: 5, r: 'abuse', via: 'message-id' }];
    await appendJournalBeside(dir, 'test', ...later);
    await compactJournal(dir, 'test');
    const head = await headOf(dir);
    assert.notEqual(head.file, old);
    assert.deepEqual(await archivesIn(dir), [head.file]);
    assert.equal(head.lines, events.length + later.length);
    assert.deepEqual(facts(await foldJournal(dir)), facts(reference([...events, ...later])));
  });

  it('does nothing when there is nothing new, or less than minBytes', async () => {
    assert.equal(await compactJournal(dir, 'test'), undefined, 'no journal');
    await fs.writeFile(journal, lines(completedMailing(5)));
    assert.equal(await compactJournal(dir, 'test', { minBytes: 1 << 20 }), undefined);
    assert.deepEqual(await archivesIn(dir), []);
    assert.ok(await compactJournal(dir, 'test'));
    const text = await fs.readFile(journal, 'utf8');
    assert.equal(await compactJournal(dir, 'test'), undefined, 'only the archived line');
    assert.equal(await fs.readFile(journal, 'utf8'), text);
  });

  it('a missing, damaged or other archive is an error naming it, never a shorter history', async () => {
    const events = completedMailing(100);
    await fs.writeFile(journal, lines(events));
    await compactJournal(dir, 'test');
    await fs.rm(path.join(dir, CHECKPOINT_FILE));
    const head = await headOf(dir);
    const archive = path.join(dir, head.file);
    const good = await fs.readFile(archive);
    const expectError = async (what: string, pattern: RegExp) => {
      clearJournalCache();
      for (const read of [() => foldJournal(dir), () => readJournalFold(dir), () => eventsOf(dir)]) {
        await assert.rejects(read(), (error: unknown) => error instanceof JournalArchiveError && error.message.includes(archive) && pattern.test(error.message), what);
      }
    };
    await fs.rm(archive);
    await expectError('missing', /missing/);
    const damaged = Buffer.from(good);
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    await fs.writeFile(archive, damaged);
    await expectError('damaged', /cannot be read|sha256/);
    // Another archive under its name: a valid gzip of other lines.
    const { gzipSync } = await import('node:zlib');
    await fs.writeFile(archive, gzipSync(lines(events.slice(0, 10))));
    await expectError('another', /sha256/);
    await fs.writeFile(archive, good);
    clearJournalCache();
    assert.deepEqual(facts(await foldJournal(dir)), facts(reference(events)));
  });

  it('a line cannot name an archive outside the folder, or one its sha256 does not name', () => {
    const sha256 = 'ab'.repeat(32);
    const line = (file: string, sha = sha256) => JSON.stringify({ e: 'archived', t: 1, file, sha256: sha, lines: 1, bytes: 1 });
    assert.equal(parseEventLine(line(`journal.${sha256.slice(0, 16)}.jsonl.gz`))?.e, 'archived');
    for (const file of ['../../etc/passwd', `/tmp/journal.${sha256.slice(0, 16)}.jsonl.gz`, `../journal.${sha256.slice(0, 16)}.jsonl.gz`, 'journal.0000000000000000.jsonl.gz']) {
      assert.equal(parseEventLine(line(file)), undefined, file);
    }
    assert.equal(parseEventLine(line(`journal.${sha256.slice(0, 16)}.jsonl.gz`, 'not hex')), undefined);
  });

  it('killed between the archive and the journal: the old journal stands, and the next compaction removes the stray archive', async () => {
    const events = completedMailing(50);
    await fs.writeFile(journal, lines(events));
    // What a compaction killed after writing its archive leaves: an archive nobody names.
    const stray = path.join(dir, 'journal.0123456789abcdef.jsonl.gz');
    await fs.writeFile(stray, 'stray');
    await fs.writeFile(path.join(dir, `journal.archive.${process.pid}.x1.tmp`), 'half');
    assert.deepEqual(facts(await foldJournal(dir)), facts(reference(events)));
    await compactJournal(dir, 'test');
    const head = await headOf(dir);
    assert.deepEqual((await fs.readdir(dir)).filter((name) => name.startsWith('journal.') && name !== JOURNAL_FILE && name !== CHECKPOINT_FILE && name !== 'journal.lock').sort(), [head.file]);
  });

  it('an append beside waits for a compaction under way and is kept', async () => {
    const events = completedMailing(20_000);
    await fs.writeFile(journal, lines(events));
    const late: JournalEvent = { e: 'bounced', t: 200_000, i: 7, k: 'soft', r: '4.2.2 mailbox full', via: 'verp' };
    const compacting = compactJournal(dir, 'test');
    // The append starts once the compaction holds the journal lock (it holds it over many turns).
    await lockTaken(path.join(dir, JOURNAL_LOCK_DIR, LEASE_FILE), compacting);
    let appended = false;
    const appending = appendJournalBeside(dir, 'bounce poller', late).then(() => (appended = true));
    assert.ok(await compacting);
    assert.equal(appended, false, 'the append waited for the compaction');
    await appending;
    clearJournalCache();
    const fold = await foldJournal(dir);
    assert.deepEqual(facts(fold), facts(reference([...events, late])));
    assert.equal(fold.bounceOf(7), 'soft');
  });

  it('a torn last line is archived as the ignored line it was, and nothing glues onto it', async () => {
    const events = completedMailing(10);
    await fs.writeFile(journal, lines(events) + '{"e":"sent","t":3,"i":0,"r":"25');
    const before = await foldJournal(dir);
    await compactJournal(dir, 'test');
    const after = await foldJournal(dir);
    assert.deepEqual(facts(after), { ...facts(before), ignoredLines: before.ignoredLines + 1 });
    await appendJournalBeside(dir, 'test', { e: 'complained', t: 5, i: 1, r: 'abuse', via: 'verp' });
    await compactJournal(dir, 'test');
    clearJournalCache();
    assert.equal((await foldJournal(dir)).complained, 1);
  });
});
