// Crash safety: a sending process killed with SIGKILL at random moments of a 2,000-recipient send,
// then Start. Every recipient is received at least once; duplicates are at most the messages in
// flight at each kill (one per connection: see src/core/send/engine.ts); the statistics equal what
// the server got. CRASH_RUNS sets how many rounds (default 2; the closing note reports 20).
// Each round draws its kill points from a seeded generator; a failing round prints its seed and kill
// points, and CRASH_SEED=<seed> CRASH_RUNS=1 replays it (the same kill points; timing may differ).
// Then the same at scale: 200,000 recipients killed three times mid-send, where a resume starts from
// the journal's checkpoint (state/journalCheckpoint.ts) rather than folding every line, and whose
// completion compacts the journal (state/journalCompaction.ts) without losing a line of the log.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { getRecipientLog, getStatistics, sendNow, startMailing } from '../../src/core/actions';
import { readCheckpoint } from '../../src/core/state/journalCheckpoint';
import { foldJournal } from '../../src/core/state/journalReader';
import { CHECKPOINT_FILE, JOURNAL_FILE, mailingStateDir } from '../../src/core/state/paths';
import type { SendContext } from '../../src/core/types';
import { spawnSendChild } from '../support/child';
import { makeMailing, modelFor, recipients, tempDir } from '../support/resolvedMailings';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';
import { seeded } from '../support/seeded';

const RUNS = Number(process.env.CRASH_RUNS ?? 2);
const BASE_SEED = process.env.CRASH_SEED !== undefined ? Number(process.env.CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
const TOTAL = 2000;
const BIG = 200_000;
const CONNECTIONS = 5;

/** How a round kills: how many recipients, how many kills, and when. */
interface Plan {
  total: number;
  /** Kills this round (the child may finish before the last). */
  kills: number;
  /** Messages after which to kill, counted from what the server has (or undefined: a time after the start). */
  nextKill(received: number): { atMessage?: number; delayMs: number };
}

describe('crash safety (SIGKILL during a send, then Start)', function () {
  this.timeout(600_000);
  let dir: string;
  let server: TestSmtpServer | undefined;

  beforeEach(async () => {
    dir = await tempDir('mailings-crash-');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  for (let run = 1; run <= RUNS; run++) {
    const seed = BASE_SEED + run - 1;
    it(`round ${run}/${RUNS} (seed ${seed}): nobody lost, duplicates bounded, statistics equal what arrived`, async () => {
      const randomInt = seeded(seed);
      // A random moment: mostly after a random number of further messages, sometimes a random
      // time after the start (while confirming, starting, or before the first message).
      const plan: Plan = {
        total: TOTAL,
        kills: randomInt(1, 3),
        nextKill: (received) => (randomInt(1, 4) <= 3 ? { atMessage: Math.min(TOTAL - 1, received + randomInt(1, 900)), delayMs: 0 } : { delayMs: randomInt(0, 400) }),
      };
      await replayable(seed, (killPoints) => round(plan, killPoints));
    });
  }

  it(`${BIG.toLocaleString('en')} recipients killed three times mid-send, then Start: nobody lost, duplicates at most the messages in flight, status equal to what arrived`, async () => {
    const seed = BASE_SEED;
    const randomInt = seeded(seed);
    // Each run is killed after 40,000 to 50,000 more messages (80,000 or more events): past its first checkpoint.
    const plan: Plan = { total: BIG, kills: 3, nextKill: (received) => ({ atMessage: Math.min(BIG - 1, received + randomInt(BIG / 5, BIG / 4)), delayMs: 0 }) };
    await replayable(seed, async (killPoints) => {
      let checkpointed = 0;
      const { stateDir } = await round(plan, killPoints, async (state) => {
        // The next resume begins from a checkpoint the killed run wrote (one every 40,000 events).
        const checkpoint = await readCheckpoint(state);
        assert.ok(checkpoint && checkpoint.place.offset > checkpointed, `the killed run left a checkpoint past the last one (${checkpoint?.place.offset} > ${checkpointed})`);
        checkpointed = checkpoint.place.offset;
      });
      const checkpoint = await readCheckpoint(stateDir);
      const journalSize = (await fs.stat(path.join(stateDir, JOURNAL_FILE))).size;
      assert.equal(checkpoint?.place.offset, journalSize, 'the completed run checkpointed its whole journal');
      assert.equal(checkpoint.fold.status, 'completed');
      // The completed run compacted its journal into one line and an archive (which the log above read).
      const archives = (await fs.readdir(stateDir)).filter((name) => name.endsWith('.jsonl.gz'));
      assert.ok(journalSize < 1024 && archives.length === 1, `compacted: journal ${journalSize} bytes, archives ${archives.join(', ')}`);
      const { size: archiveSize } = await fs.stat(path.join(stateDir, archives[0]));
      // Without the checkpoint, the fold reads the archive and finds the same.
      await fs.rm(path.join(stateDir, CHECKPOINT_FILE));
      const fold = await foldJournal(stateDir);
      assert.equal(fold.status, 'completed');
      assert.equal(fold.sent, BIG);
      console.log(`      journal compacted to ${journalSize} bytes and a ${(archiveSize / 1e6).toFixed(1)} MB archive`);
    });
  });

  async function replayable(seed: number, body: (killPoints: string[]) => Promise<unknown>): Promise<void> {
    const killPoints: string[] = [];
    try {
      await body(killPoints);
    } catch (error) {
      const replay = `CRASH_SEED=${seed} CRASH_RUNS=1 npx mocha out/test/integration/crash.test.js`;
      (error as Error).message += `\n      seed ${seed}; kill points: ${killPoints.join(', ') || 'none'}\n      replay: ${replay}`;
      throw error;
    }
  }

  async function round(plan: Plan, killPoints: string[], afterKill?: (stateDir: string) => Promise<void>): Promise<{ stateDir: string }> {
    const total = plan.total;
    server = await startSmtpServer({ rawTail: 4 });
    const mailing = await makeMailing({ dir, recipients: recipients(total), sending: { transport: 'smtp', connections: CONNECTIONS } });
    const stateDir = mailingStateDir(path.join(dir, '.mailings'), mailing.file);
    const modelFile = path.join(dir, 'model.json');
    await fs.writeFile(modelFile, JSON.stringify(modelFor(mailing)));
    const smtp = { host: '127.0.0.1', port: server.port, security: 'none' as const };
    const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtp };
    let killed = 0;
    // Killed before `confirmed` was durable, a mailing is still a draft: Send now again, else Start.
    const nextAction = async () => ((await getStatistics(mailing.file, ctx.stateRoot)).status === 'draft' ? 'send' : 'start');
    for (let k = 0; k < plan.kills; k++) {
      const child = spawnSendChild({ action: await nextAction(), modelFile, file: mailing.file, stateRoot: ctx.stateRoot, smtp });
      const { atMessage, delayMs } = plan.nextKill(server.received.length);
      const point = atMessage !== undefined ? `after message ${atMessage}` : `${delayMs} ms after the start`;
      const moment = atMessage !== undefined ? server.waitFor(atMessage) : new Promise((resolve) => setTimeout(resolve, delayMs));
      const outcome = await Promise.race([moment.then(() => 'kill' as const), child.exited.then(() => 'exited' as const)]);
      if (outcome === 'kill') {
        killPoints.push(`${point} (${server.received.length} received)`);
        child.process.kill('SIGKILL');
        const result = await child.exited;
        if (result.signal === 'SIGKILL') killed++;
        await afterKill?.(stateDir);
      } else {
        const result = await child.exited;
        assert.equal(result.code, 0, `the child ended by itself: ${result.stdout}${result.stderr}`);
        break;
      }
    }
    const before = await getStatistics(mailing.file, ctx.stateRoot);
    const stats =
      before.status === 'completed' ? before : before.status === 'draft' ? await sendNow(modelFor(mailing), ctx) : await startMailing(mailing.file, ctx);
    assert.equal(stats.status, 'completed', JSON.stringify(stats));

    const counts = server.counts();
    const duplicates = server.received.length - counts.size;
    assert.equal(counts.size, total, 'every recipient received at least once');
    assert.ok(duplicates <= CONNECTIONS * killed, `duplicates ${duplicates} <= ${CONNECTIONS} x ${killed} kills`);
    assert.equal(stats.sent, counts.size, 'sent = recipients the server got');
    assert.equal(stats.total, total);
    assert.equal(stats.failed + stats.pending + stats.deferred, 0);
    assert.ok(stats.uncertain >= duplicates, `uncertain ${stats.uncertain} covers the ${duplicates} duplicates`);
    assert.ok(stats.uncertain <= 2 * CONNECTIONS * killed, `uncertain ${stats.uncertain} <= 2 x ${CONNECTIONS} x ${killed}`);
    for (const message of server.received) assert.ok(message.raw.subarray(-4).toString() === '--\r\n', 'no truncated message was accepted');
    const log = await getRecipientLog(mailing.file, ctx.stateRoot);
    assert.equal(log.filter((e) => e.outcome === 'sent').length, total);
    const fold = await foldJournal(stateDir);
    assert.ok(fold.ignoredLines <= killed, `at most one torn line per kill (${fold.ignoredLines})`);
    console.log(`      kills ${killed} (${killPoints.join(', ')}), received ${server.received.length}, duplicates ${duplicates}, uncertain ${stats.uncertain}, torn lines ${fold.ignoredLines}`);
    return { stateDir };
  }
});
