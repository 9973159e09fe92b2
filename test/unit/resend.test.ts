// Resend (actions.ts resendMailing) to the outbox: rows added to the list since are appended as a
// new run in the same journal; a resend stopped before it sent anything is finished by Start; with
// nobody left it is refused.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { getRecipientLog, getStatistics, MailingActionError, resendMailing, sendNow, startMailing } from '../../src/core/actions';
import { clearJournalCache } from '../../src/core/state/journalReader';
import type { SendContext } from '../../src/core/types';
import { makeMailing, modelFor, recipients, tempDir } from '../support/resolvedMailings';

describe('resend', function () {
  this.timeout(30_000);
  let dir: string;
  let ctx: SendContext;
  beforeEach(async () => {
    dir = await tempDir('mailings-resend-');
    ctx = { stateRoot: path.join(dir, '.mailings'), owner: 'test' };
    clearJournalCache();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('sends the rows added since as run 2; stopped before sending, Start finishes it; then nothing is left', async () => {
    const first = await sendNow(modelFor(await makeMailing({ dir, recipients: recipients(3) })), ctx);
    assert.deepEqual([first.status, first.total, first.sent], ['completed', 3, 3]);

    const grown = modelFor(await makeMailing({ dir, recipients: recipients(5) }));
    const stopped = new AbortController();
    stopped.abort();
    const interrupted = await resendMailing(grown, ctx, { signal: stopped.signal });
    assert.deepEqual([interrupted.status, interrupted.total, interrupted.sent, interrupted.pending], ['stopped', 5, 3, 2]);

    const emls = async () => (await fs.readdir(path.join(ctx.stateRoot, 'outbox'), { recursive: true })).filter((f) => f.endsWith('.eml')).length;
    assert.equal(await emls(), 3);
    const finished = await startMailing(grown.file, ctx);
    assert.equal(await emls(), 5);
    assert.deepEqual([finished.status, finished.total, finished.sent, finished.runs?.map((r) => r.kind)], ['completed', 5, 5, ['send', 'resend']]);

    await assert.rejects(resendMailing(grown, ctx), (e: unknown) => e instanceof MailingActionError && e.refusal.code === 'nothing-to-resend');
    const again = await resendMailing(grown, ctx, { to: [recipients(5)[4].email], again: true });
    assert.deepEqual([again.status, again.total, again.sent, again.runs?.length], ['completed', 5, 5, 3]);
    const journal = await fs.readFile(path.join(ctx.stateRoot, 'mailings', (await fs.readdir(path.join(ctx.stateRoot, 'mailings')))[0], 'journal.jsonl'), 'utf8');
    const sentTo = (i: number) => journal.split('\n').filter((line) => line.includes('"e":"sent"') && line.includes(`"i":${i},`)).length;
    assert.deepEqual([sentTo(4), sentTo(3), sentTo(0)], [2, 1, 1], 'sent once more: only the one named with again');
  });

  it('a compacted mailing resends, logs and compacts again as one history', async () => {
    const opts = { compactAfterBytes: 1 };
    const first = await sendNow(modelFor(await makeMailing({ dir, recipients: recipients(40) })), ctx, opts);
    assert.equal(first.sent, 40);
    const grown = modelFor(await makeMailing({ dir, recipients: recipients(45) }));
    const stateDir = path.join(ctx.stateRoot, 'mailings', (await fs.readdir(path.join(ctx.stateRoot, 'mailings')))[0]);
    const archives = async () => (await fs.readdir(stateDir)).filter((name) => name.endsWith('.jsonl.gz'));
    const journalLines = async () => (await fs.readFile(path.join(stateDir, 'journal.jsonl'), 'utf8')).trim().split('\n');
    assert.equal((await archives()).length, 1, 'the completed send was compacted');
    assert.deepEqual((await journalLines()).map((line) => JSON.parse(line).e), ['archived']);
    // The resend judges who was sent from the archive: only the 5 added rows go out.
    const resent = await resendMailing(grown, ctx, opts);
    assert.deepEqual([resent.status, resent.total, resent.sent, resent.runs?.map((r) => r.sent)], ['completed', 45, 45, [40, 5]]);
    const emls = (await fs.readdir(path.join(ctx.stateRoot, 'outbox'), { recursive: true })).filter((f) => f.endsWith('.eml')).length;
    assert.equal(emls, 45, 'nobody mailed twice');
    assert.equal((await archives()).length, 1, 'compacted again into one archive');
    const log = await getRecipientLog(grown.file, ctx.stateRoot);
    assert.equal(log.filter((entry) => entry.outcome === 'sent').length, 45);
    assert.deepEqual([...new Set(log.map((entry) => entry.run))].sort(), [1, 2]);
    clearJournalCache();
    assert.equal((await getStatistics(grown.file, ctx.stateRoot)).sent, 45);
  });
});
