// One run of a confirmed mailing by the process that holds its lease: journal `started`/`resumed`,
// run the engine, heed Stop (this process: an AbortSignal or stopRun(); another process: the `stop`
// file), renew the lease, and end with `completed` or `stopped`. Runs in this process are registered
// so that Stop and live statistics reach them.
import * as os from 'node:os';
import type { SendContext, Statistics } from '../types';
import { templateRenderer } from '../render/templateRenderer';
import { prepareMailing } from '../render/prepared';
import type { RendererFactory } from '../render/renderer';
import { SendTimeBounces } from '../bounces/sendTime';
import { readSendList } from '../state/sendList';
import { readSuppressionSet } from '../suppression/suppressionList';
import { withdrawSuppressed } from '../suppression/withdrawSuppressed';
import type { Recipient } from '../types';
import { JournalWriter } from '../state/journal';
import { foldJournal } from '../state/journalReader';
import type { JournalFold } from '../state/journalFold';
import type { Lease } from '../state/lease';
import { readSnapshot, type Snapshot } from '../state/snapshot';
import { statisticsFromFold } from '../state/statistics';
import { clearStopRequest, readStopRequest } from '../state/stopRequest';
import { destinationOf } from './destination';
import { SendEngine } from './engine';
import { mailingEvents } from './events';
import { openTransport } from './openTransport';
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
}

interface RunningMailing {
  file: string;
  stateDir: string;
  fold: JournalFold;
  lease: Lease;
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
  return statisticsFromFold(run.fold, run.lease.info);
}

/**
 * Runs the confirmed mailing of `stateDir` until it completes or stops; the caller holds `lease`,
 * which is released at the end. Resolves with the final statistics. `frozen`: the snapshot as just
 * written, when the caller has it.
 */
export async function runMailing(stateDir: string, lease: Lease, ctx: SendContext, options: RunOptions = {}, frozen?: Snapshot): Promise<Statistics> {
  let journal: JournalWriter | undefined;
  try {
    // Send now hands over the snapshot it just wrote (one copy of a 100k target list in memory, not two).
    const snapshot = frozen ?? (await readSnapshot(stateDir));
    journal = await JournalWriter.open(stateDir);
    // We hold the lease: nobody else writes this journal now, so a fresh fold is the truth.
    const fold = await foldJournal(stateDir);
    const who = { owner: lease.info.owner, pid: process.pid, host: os.hostname(), destination: destinationOf(snapshot.mailing, ctx) };
    // The snapshot's recipients and every resend's added ones: the journal's indexes into them.
    const recipients = await readSendList(stateDir, snapshot, fold);
    const begin = fold.startedAt === undefined ? ({ e: 'started', t: Date.now(), ...who } as const) : ({ e: 'resumed', t: Date.now(), ...who } as const);
    await journal.append(begin);
    fold.apply(begin);
    await clearStopRequest(stateDir);
    const bounces = new SendTimeBounces({ stateRoot: ctx.stateRoot, stateDir, recipients, journal, fold, softBounceLimit: ctx.softBounceLimit });
    const run: Run = { stateDir, lease, ctx, options, snapshot, recipients, journal, fold, bounces };
    let end: RunEnd;
    try {
      // Suppressed since confirmation: taken out before anything is sent; bounces an earlier run
      // journaled only half (killed in between) are finished.
      await withdrawSuppressed(fold, recipients, await readSuppressionSet(ctx.stateRoot), journal);
      await bounces.reconcile();
      end = await runEngine(run);
    } catch (error) {
      // Whatever went wrong after `started` (an unreadable attachment copy, a bad DKIM key…) stops
      // the mailing with the reason rather than leaving it half-started.
      end = { reason: `error: ${error instanceof Error ? error.message : String(error)}`, by: 'fault', journal: true };
    }
    await bounces.settle();
    if (end === 'completed' || end.journal) {
      const terminal = end === 'completed' ? ({ e: 'completed', t: Date.now() } as const) : ({ e: 'stopped', t: Date.now(), reason: end.reason, by: end.by } as const);
      await journal.append(terminal);
      fold.apply(terminal);
    }
    const statistics = statisticsFromFold(fold, undefined);
    options.onProgress?.(statistics);
    mailingEvents.emit('progress', snapshot.file, statistics);
    mailingEvents.emit('state', snapshot.file, statistics);
    return statistics;
  } finally {
    await journal?.close().catch(() => undefined);
    await clearStopRequest(stateDir).catch(() => undefined);
    await lease.release();
    running.get(stateDir)?.finished();
    running.delete(stateDir);
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
}

type RunEnd = 'completed' | { reason: string; by: 'user' | 'fault'; journal: boolean };

async function runEngine(run: Run): Promise<RunEnd> {
  const { stateDir, lease, ctx, options, snapshot, recipients, journal, fold, bounces } = run;
  const transport = openTransport(snapshot.mailing, ctx, { recipients: recipients.length });
  try {
    if (transport.verify) {
      try {
        await transport.verify();
      } catch (error) {
        const reply = error instanceof DeliveryError ? error.reply : String(error);
        return { reason: `the SMTP server could not be used: ${reply}`, by: 'fault', journal: true };
      }
    }
    const prepared = await prepareMailing(snapshot.mailing, { messageIdToken: snapshot.messageIdToken });
    const renderer = (options.renderer ?? templateRenderer)(prepared);
    let changed = true;
    const engine = new SendEngine({
      recipients,
      fold,
      journal,
      transport,
      renderer,
      sending: snapshot.mailing.sending,
      onChange: () => (changed = true),
      onOutcome: bounces.onOutcome,
    });
    const report = () => {
      if (!changed) return;
      changed = false;
      const statistics = statisticsFromFold(fold, lease.info);
      options.onProgress?.(statistics);
      mailingEvents.emit('progress', snapshot.file, statistics);
    };
    const progressTimer = setInterval(report, options.progressIntervalMs ?? 250);
    const stopPoll = setInterval(() => {
      void readStopRequest(stateDir).then((request) => {
        if (request) engine.stop(`stopped by ${request.by}`, 'user');
      });
    }, options.stopPollMs ?? 250);
    const onAbort = () => engine.stop(abortReason(options.signal), 'user');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();
    lease.onLost(() => engine.stop('another process took the mailing over (this one stalled past the lease timeout)', 'fault', false));
    lease.startHeartbeat();
    let finished: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (finished = resolve));
    running.set(stateDir, { file: snapshot.file, stateDir, fold, lease, stop: (reason) => engine.stop(reason, 'user'), done, finished });
    mailingEvents.emit('state', snapshot.file, statisticsFromFold(fold, lease.info));
    try {
      const result = await engine.run();
      return result.kind === 'completed' ? 'completed' : { reason: result.reason, by: result.by, journal: result.journal };
    } finally {
      clearInterval(progressTimer);
      clearInterval(stopPoll);
      options.signal?.removeEventListener('abort', onAbort);
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
