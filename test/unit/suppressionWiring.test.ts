// The suppression list wired into every mailing: applied to the target list, withdrawn at the start
// of a run, and fed by send-time bounces (crash-safe: a bounce journaled only half is finished later).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SendTimeBounces, sendTimeBounceKind } from '../../src/core/bounces/sendTime';
import { appendJournal, JournalWriter } from '../../src/core/state/journal';
import { clearJournalCache, foldJournal } from '../../src/core/state/journalReader';
import { readStatistics } from '../../src/core/state/summary';
import { withoutSuppressed } from '../../src/core/suppression/applySuppression';
import { SuppressionList } from '../../src/core/suppression/suppressionList';
import { withdrawSuppressed } from '../../src/core/suppression/withdrawSuppressed';
import type { Recipient, TargetList } from '../../src/core/types';

const skipped = { invalid: 0, duplicate: 0, excluded: 0 };
const people = (...emails: string[]): Recipient[] => emails.map((email) => ({ email, fields: { email } }));

describe('suppression wiring', () => {
  let dir: string;
  let stateRoot: string;
  let stateDir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-suppression-wiring-'));
    stateRoot = path.join(dir, '.mailings');
    stateDir = path.join(stateRoot, 'mailings', 'november-1a2b3c4d');
    await fs.mkdir(stateDir, { recursive: true });
    clearJournalCache();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('leaves the suppressed addresses out of a target list (any case), counted and listed; the list itself unchanged', async () => {
    const list: TargetList = { recipients: people('ann@example.test', 'Bob@Example.test', 'cy@example.test'), fields: ['email'], skipped: { ...skipped }, sources: [], excludeSources: [] };
    const suppression = new SuppressionList(stateRoot);
    assert.equal(withoutSuppressed(list, await suppression.read()), list, 'an empty list changes nothing');
    await suppression.add([{ address: 'bob@example.TEST', reason: 'hard-bounce' }]);
    const set = await suppression.read();
    const result = withoutSuppressed(list, set);
    assert.deepEqual(result.recipients.map((r) => r.email), ['ann@example.test', 'cy@example.test']);
    assert.equal(result.skipped.suppressed, 1);
    assert.deepEqual(result.leftOut, [{ email: 'Bob@Example.test', reason: 'suppressed' }]);
    assert.equal(list.recipients.length, 3);
    assert.equal(withoutSuppressed(list, set), result, 'the same pair gives the same view');
  });

  it('classifies final SMTP failures: 5.1.1 hard, mailbox full soft, a policy refusal neither', () => {
    assert.equal(sendTimeBounceKind('550 5.1.1 <x@example.test>: Recipient address rejected: User unknown'), 'hard');
    assert.equal(sendTimeBounceKind('552 5.2.2 Mailbox full'), 'soft');
    assert.equal(sendTimeBounceKind('554 5.7.1 Message rejected as spam'), undefined);
  });

  it('withdraws the pending recipients suppressed since confirmation: never sent, counted as suppressed', async () => {
    await appendJournal(stateDir, { e: 'confirmed', t: 0, hash: 'h', total: 3, skipped }, { e: 'sending', t: 1, i: 0 }, { e: 'sent', t: 2, i: 0, r: '250 ok' });
    const list = people('ann@example.test', 'bob@example.test', 'cy@example.test');
    const suppression = new SuppressionList(stateRoot);
    await suppression.add([{ address: 'ann@example.test', reason: 'complaint' }, { address: 'bob@example.test', reason: 'unsubscribe' }]);
    const fold = await foldJournal(stateDir);
    const journal = await JournalWriter.open(stateDir);
    try {
      assert.equal(await withdrawSuppressed(fold, list, await suppression.read(), journal), 1, 'ann was sent before: only bob');
    } finally {
      await journal.close();
    }
    assert.equal(fold.pending, 1);
    clearJournalCache();
    const stats = await readStatistics(stateDir);
    assert.deepEqual([stats.total, stats.sent, stats.pending, stats.suppressed], [3, 1, 1, 1]);
  });

  it('finishes a send-time bounce that a killed run journaled only half, once', async () => {
    // The run was killed after `failed` and before the suppression list (and `bounced`) had it.
    await appendJournal(
      stateDir,
      { e: 'confirmed', t: 0, hash: 'h', total: 3, skipped },
      { e: 'sending', t: 1, i: 0 },
      { e: 'failed', t: 2, i: 0, r: '550 5.1.1 No such user here' },
      { e: 'sending', t: 3, i: 1 },
      { e: 'failed', t: 4, i: 1, r: '554 5.7.1 Rejected by policy' },
      { e: 'sending', t: 5, i: 2 },
      { e: 'failed', t: 6, i: 2, r: '552 5.2.2 Mailbox full' },
      { e: 'bounced', t: 7, i: 2, k: 'soft', r: '552 5.2.2 Mailbox full', via: 'smtp' },
    );
    const recipients = people('gone@example.test', 'policy@example.test', 'full@example.test');
    for (const round of [1, 2]) {
      clearJournalCache();
      const fold = await foldJournal(stateDir);
      const journal = await JournalWriter.open(stateDir);
      try {
        const bounces = new SendTimeBounces({ stateRoot, stateDir, recipients, journal, fold });
        assert.equal(await bounces.reconcile(), round === 1 ? 1 : 0, `round ${round}`);
        assert.deepEqual(bounces.errors, []);
      } finally {
        await journal.close();
      }
    }
    const entries = await new SuppressionList(stateRoot).list();
    assert.deepEqual(entries.map((e) => [e.address, e.reason, e.mailing]), [['gone@example.test', 'hard-bounce', 'november-1a2b3c4d']]);
    const journal = await fs.readFile(path.join(stateDir, 'journal.jsonl'), 'utf8');
    assert.equal(journal.split('\n').filter((line) => line.includes('"e":"bounced"')).length, 2);
  });
});
