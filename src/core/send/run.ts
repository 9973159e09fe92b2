// One run of a confirmed mailing by the process that holds its lease: journal `started`/`resumed`,
// run the engine, heed Stop (this process: an AbortSignal or stopRun(); another process: the `stop`
// file), renew the lease, and end with `completed`, `stopped` or `waiting`. Runs in this process are
// registered so that Stop and live statistics reach them.
//
// `waiting` (the window closed, the next wave is not due, the server's quota is used up) is journaled
// with the moment sending may go on. Then either the run ends and the lease is released — the
// scheduler (`mailings run`, VS Code) arms that moment like a scheduled one and resumes the mailing,
// so a restart or a sleep in between changes nothing — or, with `waitInForeground` (the CLI's
// `send --now` and `start`), this process keeps the lease, waits for the moment itself and goes on;
// should it die meanwhile, the journal still says `waiting` and any scheduler resumes it.
import * as os from 'node:os';
import type { Recipient, SendContext, Statistics, WaitReason } from '../types';
import { templateRenderer } from '../render/templateRenderer';
import { prepareMailing } from '../render/prepared';
import type { RendererFactory } from '../render/renderer';
import { SendTimeBounces } from '../bounces/sendTime';
import { HandoffLedger, serverKey } from '../pace/ledger';
import { readPacePlan } from '../pace/pacePlan';
import { JournalWriter } from '../state/journal';
import { checkpointJournal, foldJournal } from '../state/journalReader';
import { COMPACT_AFTER_BYTES, compactJournal } from '../state/journalCompaction';
import type { JournalEvent } from '../state/journalEvents';
import type { JournalFold } from '../state/journalFold';
import type { Lease } from '../state/lease';
import { readSendList } from '../state/sendList';
import { readSnapshot, type Snapshot } from '../state/snapshot';
import { statisticsFromFold, type PaceFacts } from '../state/statistics';
import { clearStopRequest, readStopRequest } from '../state/stopRequest';
import { readSuppressionSet } from '../suppression/suppressionList';
import { withdrawSuppressed } from '../suppression/withdrawSuppressed';
import { destinationOf } from './destination';
import { SendEngine, type EngineResult } from './engine';
import { mailingEvents } from './events';
import { openTransport } from './openTransport';
import { delay } from './rateLimiter';
import { DeliveryError } from './transport';

export interface RunOptions {
  /** Aborting it stops the mailing gracefully (after the messages in flight). */
  signal?: AbortSignal;
  onProgress?: (statistics: Statistics) => void;
  /** How often progress is reported at most (ms). */
  progressIntervalMs?: number;
  /** How often the `stop` file of another process's Stop is looked for (ms). */
  stopPollMs?: number;
  /** The renderer: default the template renderer (the MIME structure composed once per mailing); nodemailerRenderer is the byte-level reference it is tested against. */
  renderer?: RendererFactory;
  /**
   * When the mailing has to wait (window, wave, quota), keep the lease and wait in this process
   * rather than end the run and leave the resuming to the scheduler (the CLI's foreground sends).
   */
  waitInForeground?: boolean;
  /** Called each time the run begins to wait, with the moment it goes on. */
  onWaiting?: (until: Date, reason: WaitReason) => void;
  /** A completed run compacts a journal this big (bytes; default COMPACT_AFTER_BYTES; tests set it low). */
  compactAfterBytes?: number;
}

interface RunningMailing {
  file: string;
  stateDir: string;
  fold: JournalFold;
  lease: Lease;
  facts?: PaceFacts;
  stop(reason: string): void;
  /** Resolves when the run has ended and its final state is on disk. */
  done: Promise<void>;
  finished(): void;
}

const running = new Map<string, RunningMailing>();

/** The run of a mailing in this process, if any (keyed by state folder). */
export function runningMailing(stateDir: string): RunningMailing | undefined {
  return running.get(stateDir);
}

export function liveStatistics(run: RunningMailing): Statistics {
  return statisticsFromFold(run.fold, run.lease.info, Date.now(), run.facts);
}

type RunEnd = Exclude<EngineResult, { kind: 'stopped' }> | { kind: 'stopped'; reason: string; by: 'user' | 'fault'; journal: boolean };

/** What stops this run, whichever phase it is in: an engine running, or a foreground wait. */
class StopSwitch {
  request?: { reason: string; by: 'user' | 'fault'; journal: boolean };
  engine?: SendEngine;
  private wake?: () => void;

  stop(reason: string, by: 'user' | 'fault' = 'user', journal = true): void {
    this.request ??= { reason, by, journal };
    this.engine?.stop(reason, by, journal);
    this.wake?.();
  }

  /** Waits until `until` (epoch ms) or a stop; true when the moment came. Steps of at most 30 s: a sleeping machine's timers run late. */
  async waitUntil(until: number): Promise<boolean> {
    while (!this.request && Date.now() < until) {
      const cut = new AbortController();
      this.wake = () => cut.abort();
      await delay(Math.min(30_000, Math.max(1, until - Date.now())), cut.signal).catch(() => undefined);
      this.wake = undefined;
    }
    return !this.request;
  }
}

/**
 * Runs the confirmed mailing of `stateDir` until it completes, stops or waits; the caller holds
 * `lease`, which is released at the end. Resolves with the final statistics. `frozen`: the snapshot
 * as just written, when the caller has it.
 */
export async function runMailing(stateDir: string, lease: Lease, ctx: SendContext, options: RunOptions = {}, frozen?: Snapshot): Promise<Statistics> {
  let journal: JournalWriter | undefined;
  let ledger: HandoffLedger | undefined;
  const switcher = new StopSwitch();
  let facts: PaceFacts | undefined;
  let checkpoints: Checkpoints | undefined;
  let completed = false;
  try {
    // Send now hands over the snapshot it just wrote (one copy of a 100k target list in memory, not two).
    const snapshot = frozen ?? (await readSnapshot(stateDir));
    journal = await JournalWriter.open(stateDir);
    facts = await readPacePlan(stateDir);
    // We hold the lease: nobody else writes this journal now, so a fresh fold is the truth.
    const fold = await foldJournal(stateDir);
    const who = { owner: lease.info.owner, pid: process.pid, host: os.hostname(), destination: destinationOf(snapshot.mailing, ctx) };
    // The snapshot's recipients and every resend's added ones: the journal's indexes into them.
    const recipients = await readSendList(stateDir, snapshot, fold);
    const begin = fold.startedAt === undefined ? ({ e: 'started', t: Date.now(), ...who } as const) : ({ e: 'resumed', t: Date.now(), ...who } as const);
    await journal.append(begin);
    fold.apply(begin);
    await clearStopRequest(stateDir);
    const key = snapshot.mailing.sending.transport === 'smtp' && ctx.smtp ? serverKey(ctx.smtp) : serverKey('outbox');
    ledger = HandoffLedger.open(ctx.stateRoot, key);

    let finished: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finished = resolve));
    running.set(stateDir, { file: snapshot.file, stateDir, fold, lease, facts, stop: (reason) => switcher.stop(reason, 'user'), done, finished });
    const runCheckpoints = (checkpoints = new Checkpoints(stateDir, journal));
    const stopPoll = setInterval(() => {
      void readStopRequest(stateDir).then((request) => {
        if (request) switcher.stop(`stopped by ${request.by}`, 'user');
      });
      runCheckpoints.due();
    }, options.stopPollMs ?? 250);
    const onAbort = () => switcher.stop(abortReason(options.signal), 'user');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    lease.onLost(() => switcher.stop('another process took the mailing over (this one stalled past the lease timeout)', 'fault', false));
    lease.startHeartbeat();
    const bounces = new SendTimeBounces({ stateRoot: ctx.stateRoot, stateDir, recipients, journal, fold, softBounceLimit: ctx.softBounceLimit });

    const write = async (event: JournalEvent) => {
      await journal!.append(event);
      fold.apply(event);
    };
    let end: RunEnd;
    try {
      for (;;) {
        const run: Run = { stateDir, lease, ctx, options, snapshot, recipients, journal, fold, bounces, facts, ledger, switcher };
        try {
          // Suppressed since confirmation (or during a wait): taken out before anything is sent;
          // bounces an earlier run journaled only half (killed in between) are finished.
          await withdrawSuppressed(fold, recipients, await readSuppressionSet(ctx.stateRoot), journal);
          await bounces.reconcile();
          end = await runEngine(run);
        } catch (error) {
          // Whatever went wrong after `started` (an unreadable attachment copy, a bad DKIM key…) stops
          // the mailing with the reason rather than leaving it half-started.
          end = { kind: 'stopped', reason: `error: ${error instanceof Error ? error.message : String(error)}`, by: 'fault', journal: true };
        }
        // The bounces of this stretch are journaled before the run ends or waits.
        await bounces.settle();
        if (end.kind !== 'waiting') break;
        await write({ e: 'waiting', t: Date.now(), until: end.until, why: end.reason });
        await runCheckpoints.now();
        mailingEvents.emit('state', snapshot.file, statisticsFromFold(fold, lease.info, Date.now(), facts));
        options.onWaiting?.(new Date(end.until), end.reason);
        if (!options.waitInForeground) break;
        if (!(await switcher.waitUntil(end.until))) {
          end = { kind: 'stopped', ...switcher.request! };
          break;
        }
        await write({ e: 'resumed', t: Date.now(), ...who });
      }
    } finally {
      clearInterval(stopPoll);
      options.signal?.removeEventListener('abort', onAbort);
    }
    completed = end.kind === 'completed';
    if (end.kind === 'completed' || (end.kind === 'stopped' && end.journal)) {
      await write(end.kind === 'completed' ? { e: 'completed', t: Date.now() } : { e: 'stopped', t: Date.now(), reason: end.reason, by: end.by });
    }
    await runCheckpoints.now();
    const statistics = statisticsFromFold(fold, undefined, Date.now(), facts);
    options.onProgress?.(statistics);
    mailingEvents.emit('progress', snapshot.file, statistics);
    mailingEvents.emit('state', snapshot.file, statistics);
    return statistics;
  } finally {
    // A checkpoint still being written ends before the lease does (and before a caller removes the folder).
    await checkpoints?.idle();
    await ledger?.close().catch(() => undefined);
    await journal?.close().catch(() => undefined);
    // Still under the lease: a completed mailing's journal becomes its archive and one line. Best
    // effort, and atomic: one that fails leaves the journal as it was, for the next completion.
    if (completed) await compactJournal(stateDir, lease.info.owner, { minBytes: options.compactAfterBytes ?? COMPACT_AFTER_BYTES }).catch(() => undefined);
    await clearStopRequest(stateDir).catch(() => undefined);
    await lease.release();
    running.get(stateDir)?.finished();
    running.delete(stateDir);
  }
}

/** Events journaled between two checkpoints of a running mailing (~4 MB of journal). */
const CHECKPOINT_EVERY_EVENTS = 40_000;

/**
 * The checkpoints of a run: one every CHECKPOINT_EVERY_EVENTS events, in the background, and one when
 * the run ends or waits, so status and a resume after a crash fold at most that many lines. The
 * checkpoint is made from the journal's bytes (its own fold, state/journalReader.ts), not from the
 * engine's fold, which can be ahead of or behind what is in the file.
 */
class Checkpoints {
  private at = 0;
  private writing?: Promise<void>;

  constructor(
    private readonly stateDir: string,
    private readonly journal: JournalWriter,
  ) {}

  due(): void {
    if (this.writing || this.journal.written - this.at < CHECKPOINT_EVERY_EVENTS) return;
    this.start();
  }

  async now(): Promise<void> {
    await this.writing;
    this.start();
    await this.writing;
  }

  async idle(): Promise<void> {
    await this.writing;
  }

  private start(): void {
    this.at = this.journal.written;
    // A checkpoint is a cache: one that cannot be written costs the next reader a longer fold, nothing else.
    this.writing = checkpointJournal(this.stateDir)
      .catch(() => undefined)
      .finally(() => (this.writing = undefined));
  }
}

interface Run {
  stateDir: string;
  lease: Lease;
  ctx: SendContext;
  options: RunOptions;
  snapshot: Snapshot;
  recipients: readonly Recipient[];
  journal: JournalWriter;
  fold: JournalFold;
  bounces: SendTimeBounces;
  facts?: PaceFacts;
  ledger: HandoffLedger;
  switcher: StopSwitch;
}

async function runEngine(run: Run): Promise<RunEnd> {
  const { lease, ctx, options, snapshot, recipients, journal, fold, bounces, switcher } = run;
  if (switcher.request) return { kind: 'stopped', ...switcher.request };
  const transport = openTransport(snapshot.mailing, ctx, { recipients: recipients.length });
  try {
    if (transport.verify) {
      try {
        await transport.verify();
      } catch (error) {
        const reply = error instanceof DeliveryError ? error.reply : String(error);
        return { kind: 'stopped', reason: `the SMTP server could not be used: ${reply}`, by: 'fault', journal: true };
      }
    }
    const prepared = await prepareMailing(snapshot.mailing, { messageIdToken: snapshot.messageIdToken });
    const renderer = (options.renderer ?? templateRenderer)(prepared);
    let changed = true;
    const { mailing } = snapshot;
    const scheduledAt = mailing.sending.localTime && fold.scheduledAt ? Date.parse(fold.scheduledAt) : undefined;
    const engine = new SendEngine({
      recipients,
      fold,
      journal,
      transport,
      renderer,
      sending: mailing.sending,
      zone: mailing.timezone,
      ...(scheduledAt !== undefined && !Number.isNaN(scheduledAt) ? { scheduledAt } : {}),
      ledger: run.ledger,
      onChange: () => (changed = true),
      onOutcome: bounces.onOutcome,
    });
    const report = () => {
      if (!changed) return;
      changed = false;
      const statistics = statisticsFromFold(fold, lease.info, Date.now(), run.facts);
      options.onProgress?.(statistics);
      mailingEvents.emit('progress', snapshot.file, statistics);
    };
    const progressTimer = setInterval(report, options.progressIntervalMs ?? 250);
    switcher.engine = engine;
    // A Stop that came while the transport was being set up.
    const request = switcher.request as StopSwitch['request'];
    if (request) engine.stop(request.reason, request.by, request.journal);
    mailingEvents.emit('state', snapshot.file, statisticsFromFold(fold, lease.info, Date.now(), run.facts));
    try {
      return await engine.run();
    } finally {
      switcher.engine = undefined;
      clearInterval(progressTimer);
    }
  } finally {
    await transport.close();
  }
}

function abortReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (typeof reason === 'string' && reason) return reason;
  if (reason instanceof Error && reason.name !== 'AbortError' && reason.message) return reason.message;
  return 'stopped by the user';
}
