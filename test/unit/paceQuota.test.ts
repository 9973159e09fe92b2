// The sliding-window quota and warm-up over a server's hand-offs: exact at the window's edge, kept on
// disk so a restart and other processes share it, and never exceeded by processes racing for it.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DAY_MS, HandoffLog, warmupAllowance } from '../../src/core/pace/handoffLog';
import { HandoffLedger, ledgerDir, LEDGER_FILE, serverKey } from '../../src/core/pace/ledger';
import type { Quota } from '../../src/core/types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const quota = (count: number, periodMs: number): Quota => ({ count, periodMs, text: `${count}/${periodMs}ms` });
const T0 = Date.parse('2026-12-07T09:00:00Z');

describe('sliding quota', () => {
  it('allows the next hand-off exactly one period after the oldest in the window, not a millisecond before', () => {
    const log = new HandoffLog();
    const limits = { quotas: [quota(3, MINUTE)] };
    for (const at of [T0, T0 + 10_000, T0 + 20_000]) {
      assert.deepEqual(log.decide(limits, at), { ok: true });
      log.add(at);
    }
    assert.deepEqual(log.decide(limits, T0 + 20_001), { ok: false, reason: 'quota', freeAt: T0 + MINUTE, limit: `3/${MINUTE}ms` });
    assert.equal((log.decide(limits, T0 + MINUTE - 1) as { ok: boolean }).ok, false);
    assert.deepEqual(log.decide(limits, T0 + MINUTE), { ok: true });
    log.add(T0 + MINUTE);
    // Now the window (T0+1s, T0+61s] holds 10s, 20s and 60s: the next frees at 10s + 1 minute.
    assert.equal((log.decide(limits, T0 + MINUTE + 1) as { freeAt: number }).freeAt, T0 + 10_000 + MINUTE);
  });

  it('several quotas: the one that frees last decides', () => {
    const log = new HandoffLog();
    const limits = { quotas: [quota(2, MINUTE), quota(3, HOUR)] };
    log.add(T0);
    log.add(T0 + 1_000);
    assert.equal((log.decide(limits, T0 + 2_000) as { freeAt: number }).freeAt, T0 + MINUTE);
    log.add(T0 + MINUTE);
    assert.deepEqual(log.decide(limits, T0 + MINUTE + 1_000), { ok: false, reason: 'quota', freeAt: T0 + HOUR, limit: `3/${HOUR}ms` });
  });

  it('a cancelled hand-off frees its slot; later timestamps from another clock count too', () => {
    const log = new HandoffLog();
    const limits = { quotas: [quota(2, MINUTE)] };
    log.add(T0);
    log.add(T0 + 5_000);
    assert.equal(log.remove(T0 + 5_000), true);
    assert.equal(log.remove(T0 + 5_000), false);
    assert.deepEqual(log.decide(limits, T0 + 6_000), { ok: true });
    log.add(T0 + 30_000); // a clock a little ahead of ours
    assert.equal(log.decide(limits, T0 + 6_000).ok, false);
  });

  it('warm-up: start x growth^day a sliding day, day 0 at the first hand-off, freeing early when the next day allows more', () => {
    const warmup = { start: 2, growth: 1.5 };
    assert.deepEqual([0, 1, 2, 3].map((day) => warmupAllowance(warmup, day)), [2, 3, 4, 6]);
    const log = new HandoffLog();
    const limits = { quotas: [], warmup };
    log.add(T0);
    log.add(T0 + HOUR);
    const blocked = log.decide(limits, T0 + 2 * HOUR);
    assert.equal(blocked.ok, false);
    // The oldest leaves the sliding day at T0 + 1 day, which is also when day 1 (3 a day) begins.
    assert.deepEqual(blocked, { ok: false, reason: 'warmup', freeAt: T0 + DAY_MS, limit: 'warm-up day 1: 2/day' });
    log.add(T0 + DAY_MS);
    log.add(T0 + DAY_MS + 1);
    // Day 1 allows 3 in any sliding day: T0+1h, T0+1d, T0+1d+1ms; the next when T0+1h leaves.
    assert.equal((log.decide(limits, T0 + DAY_MS + 2) as { freeAt: number }).freeAt, T0 + HOUR + DAY_MS);
  });
});

describe('hand-off ledger on disk', () => {
  let stateRoot: string;
  beforeEach(async () => {
    stateRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'mailings-ledger-'));
  });
  afterEach(async () => fs.rm(stateRoot, { recursive: true, force: true }));

  const key = serverKey({ host: 'SMTP.Example.test', port: 587, user: 'news' });

  it('names a server by host, port and user', () => {
    assert.equal(key, 'smtp.example.test:587:news');
    assert.notEqual(ledgerDir(stateRoot, key), ledgerDir(stateRoot, serverKey({ host: 'smtp.example.test', port: 587, user: 'other' })));
  });

  it('survives a restart: a new process sees every hand-off and the quota stays used up', async () => {
    const limits = { quotas: [quota(3, HOUR)] };
    const first = HandoffLedger.open(stateRoot, key);
    for (const offset of [0, 1_000, 2_000]) assert.deepEqual(await first.reserve(limits, T0 + offset), { ok: true, at: T0 + offset });
    assert.equal((await first.reserve(limits, T0 + 3_000)).ok, false);
    await first.close();

    // The "restart": the last user closed it, so this is a fresh fold of the file.
    const second = HandoffLedger.open(stateRoot, key);
    assert.notEqual(second, first);
    assert.deepEqual(await second.reserve(limits, T0 + 10_000), { ok: false, reason: 'quota', freeAt: T0 + HOUR, limit: `3/${HOUR}ms` });
    await second.cancel(T0 + 1_000);
    assert.deepEqual(await second.reserve(limits, T0 + 11_000), { ok: true, at: T0 + 11_000 });
    await second.close();
    const text = await fs.readFile(path.join(ledgerDir(stateRoot, key), LEDGER_FILE), 'utf8');
    assert.equal(text, `# mailings hand-offs v1 since ${T0}\n+${T0}\n+${T0 + 1000}\n+${T0 + 2000}\n-${T0 + 1000}\n+${T0 + 11000}\n`);
  });

  it('counts the hand-offs of mailings without limits (noted in batches) and keeps the warm-up day of the first one', async () => {
    const free = HandoffLedger.open(stateRoot, key);
    free.note(T0);
    free.note(T0 + 1);
    await free.flushNotes();
    const limited = HandoffLedger.open(stateRoot, key); // the same server in this process: one ledger
    assert.equal(limited, free);
    assert.equal((await limited.reserve({ quotas: [], warmup: { start: 2, growth: 2 } }, T0 + 2)).ok, false);
    assert.deepEqual(await limited.reserve({ quotas: [], warmup: { start: 2, growth: 2 } }, T0 + DAY_MS), { ok: true, at: T0 + DAY_MS });
    await limited.close();
    await free.close();
    const reread = HandoffLedger.open(stateRoot, key);
    assert.deepEqual(await reread.read(), { since: T0, times: [T0, T0 + 1, T0 + DAY_MS] });
    await reread.close();
  });

  it('compacts: what no window looks at any more is dropped, the history start is kept', async () => {
    const ledger = HandoffLedger.open(stateRoot, key);
    for (let k = 0; k < 6_000; k++) ledger.note(T0 + k);
    await ledger.flushNotes();
    // Two days later one reservation: the old hand-offs are out of every window, so the file is rewritten.
    assert.deepEqual(await ledger.reserve({ quotas: [quota(1, HOUR)] }, T0 + 2 * DAY_MS), { ok: true, at: T0 + 2 * DAY_MS });
    await ledger.close();
    const text = await fs.readFile(path.join(ledgerDir(stateRoot, key), LEDGER_FILE), 'utf8');
    assert.equal(text, `# mailings hand-offs v1 since ${T0}\n+${T0 + 2 * DAY_MS}\n`);
  });

  it('two processes and this one taking slots at once never exceed the quota together', async function () {
    this.timeout(30_000);
    const count = 5;
    const periodMs = 400;
    const until = Date.now() + 3_000;
    const script = path.join(__dirname, '..', 'support', 'ledgerChild.js');
    const children = [0, 1].map(() => {
      const child = spawn(process.execPath, [script, stateRoot, key, String(count), String(periodMs), String(until)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      return new Promise<number[]>((resolve, reject) =>
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as number[]) : reject(new Error(`ledger child exited ${code}: ${err}`)))),
      );
    });
    const ledger = HandoffLedger.open(stateRoot, key);
    const mine: number[] = [];
    const limits = { quotas: [quota(count, periodMs)] };
    while (Date.now() < until) {
      const reservation = await ledger.reserve(limits, Date.now());
      if (reservation.ok) mine.push(reservation.at);
      else await new Promise((resolve) => setTimeout(resolve, Math.max(0, reservation.freeAt - Date.now())));
    }
    await ledger.close();
    const all = [mine, ...(await Promise.all(children))];
    const times = all.flat().sort((a, b) => a - b);
    // Every run of count+1 consecutive hand-offs spans at least one period.
    for (let j = count; j < times.length; j++) {
      assert.ok(times[j] - times[j - count] >= periodMs, `hand-offs ${j - count}..${j} within ${times[j] - times[j - count]} ms (quota ${count} per ${periodMs} ms)`);
    }
    // And they did compete: each process got slots, and together about as many as the quota allows.
    assert.ok(all.every((got) => got.length > 0), `slots per process: ${all.map((got) => got.length).join(', ')}`);
    assert.ok(times.length >= count * 3, `only ${times.length} hand-offs in 3 s`);
  });
});
