// Crash safety of Reload and resend: a 600-recipient mailing is sent to completion while the server
// refuses every 7th recipient with a 4xx until the attempts run out (a soft bounce: not suppressed,
// so a resend retries it) and every 50th with 550 5.1.1 (a hard bounce: suppressed, never retried); then 400 rows are added to the target list and a few addresses suppressed
// (two not reached, two added). The resend runs in a child process killed with SIGKILL at seeded
// random moments (after some deliveries, or a moment after its start — sometimes before its
// `resend` event is durable, then it is resent), once or twice; in some rounds the first kill falls
// right after the `resend` event, before any delivery (the server holds MAIL FROM). Then Start
// finishes it. Against what the server received: every not-reached and added recipient gets it at
// least once, nobody suppressed or reached by the first run gets it, duplicates are at most the
// messages in flight at each kill (one per connection), and the statistics and the per-recipient log
// equal what arrived. CRASH_RUNS sets how many rounds (default 2); a failing round prints its seed
// and kill points, and CRASH_SEED=<seed> CRASH_RUNS=1 replays it (the same kill points; timing may differ).
import * as assert from 'node:assert/strict';
import { promises as fs, watch } from 'node:fs';
import * as path from 'node:path';
import { getRecipientLog, getStatistics, resendMailing, sendNow, startMailing } from '../../src/core/actions';
import { foldJournal } from '../../src/core/state/journalReader';
import { mailingStateDir } from '../../src/core/state/paths';
import { SuppressionList } from '../../src/core/suppression/suppressionList';
import type { SendContext, Statistics } from '../../src/core/types';
import { spawnSendChild } from '../support/child';
import { makeMailing, modelFor, recipients, tempDir } from '../support/resolvedMailings';
import { startSmtpServer, type TestSmtpServer } from '../support/smtpServer';
import { seeded } from '../support/seeded';

const RUNS = Number(process.env.CRASH_RUNS ?? 2);
const BASE_SEED = process.env.CRASH_SEED !== undefined ? Number(process.env.CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);
const FIRST = 600;
const ADDED = 400;
const CONNECTIONS = 5;
/** Addresses that do not exist: 550 5.1.1, always. */
const hardBounce = (i: number) => i < FIRST && i % 50 === 11;
/** The first run's recipients the server refuses for now (451 until the attempts run out). */
const refusedInFirstRun = (i: number) => i % 7 === 3 && !hardBounce(i);
const indexOf = (address: string) => Number(/^r(\d+)@/.exec(address)?.[1]);

/** Resolves once the file holds `text` (watched, not polled); `close` stops watching. */
function fileShows(file: string, text: string): { shown: Promise<void>; close: () => void } {
  let close = () => undefined as void;
  const shown = new Promise<void>((resolve, reject) => {
    const check = () =>
      void fs.readFile(file, 'utf8').then((content) => {
        if (!content.includes(text)) return;
        close();
        resolve();
      }, reject);
    const watcher = watch(file, check);
    close = () => watcher.close();
    check();
  });
  return { shown, close };
}

describe('crash safety of a resend (SIGKILL during Reload and resend, then Start)', function () {
  this.timeout(600_000);
  let dir: string;
  let server: TestSmtpServer | undefined;

  beforeEach(async () => {
    dir = await tempDir('mailings-resend-crash-');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  for (let run = 1; run <= RUNS; run++) {
    const seed = BASE_SEED + run - 1;
    it(`round ${run}/${RUNS} (seed ${seed}): nobody lost, nobody reached mailed again, duplicates bounded, statistics and log equal what arrived`, async () => {
      const randomInt = seeded(seed);
      const killPoints: string[] = [];
      try {
        await round(randomInt, killPoints);
      } catch (error) {
        const replay = `CRASH_SEED=${seed} CRASH_RUNS=1 npx mocha out/test/integration/resendCrash.test.js`;
        (error as Error).message += `\n      seed ${seed}; kill points: ${killPoints.join(', ') || 'none'}\n      replay: ${replay}`;
        throw error;
      }
    });
  }

  async function round(randomInt: (min: number, max: number) => number, killPoints: string[]): Promise<void> {
    let refusing = true;
    // While set, MAIL FROM waits for it; `onHeld` hears of the first one held.
    let gate: { opened: Promise<void>; open: () => void; onHeld: () => void } | undefined;
    server = await startSmtpServer({
      reject: (rcpt) => hardBounce(indexOf(rcpt)),
      defer: (rcpt) => refusing && refusedInFirstRun(indexOf(rcpt)),
      hold: () => {
        if (!gate) return undefined;
        gate.onHeld();
        return gate.opened;
      },
    });
    const smtp = { host: '127.0.0.1', port: server.port, security: 'none' as const };
    const ctx: SendContext = { stateRoot: path.join(dir, '.mailings'), smtp, owner: 'resend crash test' };
    // The refused ones' last attempts come in a row at the end: not a fault that should stop the send.
    const sending = { transport: 'smtp' as const, connections: CONNECTIONS, maxConsecutiveErrors: FIRST };

    // Run 1, in this process, to completion: the refused ones fail as soft bounces (not suppressed),
    // the 550s as hard bounces (suppressed).
    const first = await makeMailing({ dir, recipients: recipients(FIRST), sending });
    const firstStats = await sendNow(modelFor(first), ctx);
    const notReached = first.targetList.recipients.filter((_r, i) => refusedInFirstRun(i)).map((r) => r.email);
    const bounced = first.targetList.recipients.filter((_r, i) => hardBounce(i)).map((r) => r.email);
    const failedFirst = notReached.length + bounced.length;
    assert.deepEqual(
      [firstStats.status, firstStats.sent, firstStats.failed, firstStats.bounced, firstStats.suppressed],
      ['completed', FIRST - failedFirst, failedFirst, failedFirst, 0],
      JSON.stringify(firstStats),
    );
    const hardSuppressed = (await new SuppressionList(ctx.stateRoot).read()).size;
    assert.equal(hardSuppressed, bounced.length, 'the hard bounces are suppressed, the soft ones not');
    const firstRun = server.received.length;
    assert.equal(firstRun, FIRST - failedFirst);
    const bouncedAttempts = bounced.map((address) => server?.rcptAttempts.get(address));
    const reachedInFirstRun = new Set(server.received.map((m) => m.to[0]));
    refusing = false;

    // The target list grows by ADDED rows; four addresses are suppressed since (two not reached, two
    // added): the model still lists them (built before), the run withdraws them.
    const grown = await makeMailing({ dir, recipients: recipients(FIRST + ADDED), sending });
    const added = grown.targetList.recipients.slice(FIRST).map((r) => r.email);
    const suppressed = [notReached[1], notReached[notReached.length - 2], added[5], added[ADDED - 7]];
    await new SuppressionList(ctx.stateRoot).add(suppressed.map((address) => ({ address, reason: 'manual' as const, detail: 'resend crash test' })));
    const expected = new Set([...notReached, ...added].filter((address) => !suppressed.includes(address)));
    const modelFile = path.join(dir, 'model.json');
    await fs.writeFile(modelFile, JSON.stringify(modelFor(grown)));

    // The last whole line of the journal: where in the resend a kill landed.
    const journalFile = path.join(mailingStateDir(ctx.stateRoot, grown.file), 'journal.jsonl');
    const lastEvent = async () => {
      const lines = (await fs.readFile(journalFile, 'utf8')).split('\n').slice(0, -1);
      return (/"e":"(\w+)"/.exec(lines[lines.length - 1] ?? '') ?? [])[1] ?? 'nothing';
    };
    const hasResend = async () => ((await getStatistics(grown.file, ctx.stateRoot)).runs ?? []).some((r) => r.kind === 'resend');
    // Killed before its `resend` event was durable, the mailing is still completed: resend again, else Start.
    const nextAction = async () => ((await hasResend()) ? 'start' : 'resend');
    const kills = randomInt(1, 2);
    // The first kill, in some rounds, before any delivery (the server holds MAIL FROM): at the first
    // MAIL FROM, or as soon as the journal shows the `resend` event (often before `started`).
    const beforeDelivery = (['mail-from', 'resend-event', undefined, undefined] as const)[randomInt(0, 3)];
    let killed = 0;
    for (let k = 0; k < kills; k++) {
      const action = await nextAction();
      let held: Promise<void> | undefined;
      let journalWatch: ReturnType<typeof fileShows> | undefined;
      if (k === 0 && beforeDelivery) {
        let open!: () => void;
        let onHeld!: () => void;
        const opened = new Promise<void>((resolve) => (open = resolve));
        const firstMailFrom = new Promise<void>((resolve) => (onHeld = resolve));
        gate = { opened, open, onHeld };
        if (beforeDelivery === 'resend-event') journalWatch = fileShows(journalFile, '"e":"resend"');
        held = journalWatch?.shown ?? firstMailFrom;
      }
      const child = spawnSendChild({ action, modelFile, file: grown.file, stateRoot: ctx.stateRoot, smtp });
      // The moment: the first MAIL FROM held (the `resend` event and `started` are durable, nothing
      // delivered) or the `resend` event seen, nothing delivered; else mostly after a random number of further messages, sometimes a random time
      // after the start (reading the list, writing the added rows, before the first message).
      const atMessage = randomInt(1, 4) <= 3;
      const target = Math.min(firstRun + expected.size - 1, server.received.length + randomInt(1, 450));
      const delay = randomInt(0, 400);
      const point = held ? (beforeDelivery === 'mail-from' ? 'at the first MAIL FROM (before any delivery)' : 'at the resend event (before any delivery)') : atMessage ? `after message ${target - firstRun} of the resend` : `${delay} ms after the start`;
      const moment = held ?? (atMessage ? server.waitFor(target) : new Promise((resolve) => setTimeout(resolve, delay)));
      const outcome = await Promise.race([moment.then(() => 'kill' as const), child.exited.then(() => 'exited' as const)]);
      journalWatch?.close();
      if (outcome === 'kill') {
        const receivedAtKill: number = server.received.length;
        child.process.kill('SIGKILL');
        const result = await child.exited;
        killPoints.push(`${action}: ${point} (${receivedAtKill - firstRun} received, journal ends at ${await lastEvent()})`);
        if (result.signal === 'SIGKILL') killed++;
        if (held) {
          assert.equal(receivedAtKill, firstRun, 'killed before any delivery of the resend');
          assert.ok(await hasResend(), 'the resend event is durable before the run hands off anything');
          // Withdrawn when the run began: killed before, they are still to send (and withdrawn by Start).
          const stopped = await getStatistics(grown.file, ctx.stateRoot);
          assert.equal((stopped.pending ?? 0) + (stopped.suppressed ?? 0), expected.size + suppressed.length, `everyone of the resend still to send: ${JSON.stringify(stopped)}`);
          gate?.open();
          gate = undefined;
        }
      } else {
        const result = await child.exited;
        assert.equal(result.code, 0, `the child ended by itself: ${result.stdout}${result.stderr}`);
        break;
      }
    }

    // Then Start (or, when no resend event became durable, the resend itself) finishes it.
    const before = await getStatistics(grown.file, ctx.stateRoot);
    let stats: Statistics;
    if (before.status === 'completed' && (await hasResend())) stats = before;
    else if (await hasResend()) stats = await startMailing(grown.file, ctx);
    else stats = await resendMailing(modelFor(grown), ctx);
    assert.equal(stats.status, 'completed', JSON.stringify(stats));

    const resent = server.received.slice(firstRun);
    const counts = new Map<string, number>();
    for (const message of resent) for (const to of message.to) counts.set(to, (counts.get(to) ?? 0) + 1);
    const duplicates = resent.length - counts.size;
    for (const address of expected) assert.ok(counts.has(address), `${address} received the resend`);
    for (const address of counts.keys()) assert.ok(expected.has(address), `${address} should not get the resend (${reachedInFirstRun.has(address) ? 'reached by the first run' : suppressed.includes(address) ? 'suppressed' : 'not of the mailing'})`);
    assert.ok(duplicates <= CONNECTIONS * killed, `duplicates ${duplicates} <= ${CONNECTIONS} x ${killed} kills`);
    for (const message of resent) assert.ok(message.raw.subarray(-4).toString() === '--\r\n', 'no truncated message was accepted');
    assert.deepEqual(bounced.map((address) => server?.rcptAttempts.get(address)), bouncedAttempts, 'no hard bounce was tried again');

    const everyone = FIRST + ADDED;
    assert.equal(stats.total, everyone);
    assert.equal(stats.sent, reachedInFirstRun.size + counts.size, 'sent = recipients the server got');
    assert.equal(stats.suppressed, suppressed.length);
    assert.deepEqual([stats.failed, stats.pending, stats.deferred, stats.bounced], [bounced.length, 0, 0, bounced.length], JSON.stringify(stats));
    assert.ok(stats.uncertain >= duplicates, `uncertain ${stats.uncertain} covers the ${duplicates} duplicates`);
    assert.ok(stats.uncertain <= 2 * CONNECTIONS * killed, `uncertain ${stats.uncertain} <= 2 x ${CONNECTIONS} x ${killed}`);
    const runs = (stats.runs ?? []).map((r) => [r.kind, r.recipients, r.added, r.retried, r.sent, r.failed]);
    assert.deepEqual(runs, [
      ['send', FIRST, undefined, undefined, FIRST - failedFirst, failedFirst],
      ['resend', ADDED + notReached.length, ADDED, notReached.length, expected.size, 0],
    ]);

    const log = await getRecipientLog(grown.file, ctx.stateRoot);
    assert.equal(log.length, everyone);
    const outcomes = new Map(log.map((e) => [e.email, e]));
    for (const address of reachedInFirstRun) assert.deepEqual([outcomes.get(address)?.outcome, outcomes.get(address)?.run], ['sent', 1], `${address} in the log`);
    for (const address of counts.keys()) assert.deepEqual([outcomes.get(address)?.outcome, outcomes.get(address)?.run, outcomes.get(address)?.bounce], ['sent', 2, undefined], `${address} in the log`);
    for (const address of suppressed) assert.equal(outcomes.get(address)?.outcome, 'suppressed', `${address} in the log`);
    for (const address of bounced) assert.deepEqual([outcomes.get(address)?.outcome, outcomes.get(address)?.run, outcomes.get(address)?.bounce], ['failed', 1, 'hard'], `${address} in the log`);
    const uncertain = log.filter((e) => e.uncertain).length;
    assert.equal(uncertain, stats.uncertain, 'the log marks the uncertain ones');
    const fold = await foldJournal(mailingStateDir(ctx.stateRoot, grown.file));
    assert.ok(fold.ignoredLines <= killed, `at most one torn line per kill (${fold.ignoredLines})`);
    console.log(
      `      kills ${killed} (${killPoints.join(', ')}), resend received ${resent.length} for ${expected.size}, duplicates ${duplicates}, uncertain ${stats.uncertain}, torn lines ${fold.ignoredLines}`,
    );
  }
});
