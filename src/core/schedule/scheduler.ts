// The scheduler: starts scheduled mailings when they come due. Due times live in the journals (read
// through the actions' listMailingStates), never only in memory, so a restart loses nothing. node-schedule arms the
// exact moment of each known due mailing; a periodic check catches what timers miss (sleep, clock
// jumps) and mailings scheduled by other processes. A mailing that came due while nothing ran starts
// if it is at most `graceMs` late; later than that it is marked missed and waits for the user.
//
// A mailing `waiting` (its send window closed, its next local-time wave not due, its server's quota
// used up) is armed the same way for the moment it may go on, and resumed then — however late: it
// was started already, so there is no grace period to miss. A mailing with local-time waves starts at
// its first wave (earlier than its scheduled moment when a zone is ahead).
//
// Only the elected leader among the processes sharing a state root checks and arms (leader.ts);
// starting is the engine's startMailing, which takes the mailing's lease, so even two overlapping
// leaders never send a mailing twice.
import * as os from 'node:os';
import * as schedule from 'node-schedule';
import { MailingActionError } from '../facts/actionError';
import { describeHolder } from '../state/lease';
import { mailingEvents } from '../send/events';
import type { Destination, MailingState, MailingStatus, SendContext, Statistics, WaitReason } from '../types';
import { LeaderElection } from './leader';

export const DEFAULT_GRACE_MS = 60 * 60 * 1000;
export const DEFAULT_POLL_MS = 30 * 1000;
/** A timer may fire a hair before its moment; that close counts as due. */
const DUE_SLACK_MS = 20;

export type SchedulerEvent =
  /** This process became (true) or stopped being (false) the scheduler of the state root. */
  | { type: 'leader'; leader: boolean }
  /** A timer is set for a scheduled mailing (at start-up, or when it was scheduled or moved), or for a waiting one's resumption (`waitingFor`). */
  | { type: 'armed'; file: string; at: string; waitingFor?: WaitReason }
  /** The timer of a mailing that is no longer scheduled (started, unscheduled, moved) was cancelled. */
  | { type: 'disarmed'; file: string }
  /** A scheduled mailing came due and is being started (`lateMs` after its moment), or a waiting one is being resumed (`waitingFor`). */
  | { type: 'due'; file: string; at: string; lateMs: number; waitingFor?: WaitReason }
  /** Its run began: the journal says `started`. */
  /** Its run began; `destination`: where its messages go. */
  | { type: 'started'; file: string; destination?: Destination }
  | { type: 'completed'; file: string; statistics: Statistics }
  /** Its run paused: nothing may be sent before `until` (the window, the next wave, the quota); armed for then. */
  | { type: 'waiting'; file: string; until: string; reason: WaitReason; statistics: Statistics }
  /** Its run ended without completing (a Stop, a fault such as an authentication failure). */
  | { type: 'stopped'; file: string; reason: string; statistics: Statistics }
  /** It came due while nothing ran and is more than the grace period late: it waits for Start or a new schedule. */
  | { type: 'missed'; file: string; at: string; lateMs: number }
  /** Not started here: another process sends it, or its state changed meanwhile (that process's Start or Stop). */
  | { type: 'skipped'; file: string; message: string }
  | { type: 'error'; file?: string; message: string };

/**
 * The actions the scheduler takes, given to it (actions.ts's SCHEDULER_ACTIONS) rather than imported:
 * the actions sit above the scheduler, which only decides when.
 */
export interface SchedulerActions {
  listMailingStates(stateRoot: string): Promise<MailingState[]>;
  startMailing(file: string, ctx: SendContext, options: { signal?: AbortSignal; onlyIf?: MailingStatus[] }): Promise<Statistics>;
  markMissed(file: string, ctx: SendContext): Promise<Statistics>;
}

export interface SchedulerOptions {
  stateRoot: string;
  actions: SchedulerActions;
  sendContext: SendContext;
  /** How late a mailing that came due while nothing ran may still start (default 1 hour). */
  graceMs?: number;
  /** How often the leader checks the journals, and a follower tries to become leader (default 30 s). */
  pollMs?: number;
  /** The clock (tests); timers still run on real time. */
  now?: () => Date;
  onEvent?: (event: SchedulerEvent) => void;
  /** Heartbeat age after which a leader on another host (or hung) is replaced (default 30 s). */
  leaderStaleMs?: number;
}

interface Armed {
  at: number;
  job: schedule.Job;
}

/** The statuses the scheduler acts on at a moment. */
const TIMED = new Set(['scheduled', 'waiting']);

export class Scheduler {
  private readonly graceMs: number;
  private readonly pollMs: number;
  private readonly now: () => Date;
  private readonly election: LeaderElection;
  private readonly armed = new Map<string, Armed>();
  /** Mailings this scheduler started and that are still running, with the means to stop them. */
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private pollTimer?: NodeJS.Timeout;
  private checking?: Promise<void>;
  private checkAgain = false;
  private started = false;
  private readonly onMailingState = (_file: string, statistics: Statistics): void => {
    // A mailing scheduled (or moved, or unscheduled) in this process: re-read now rather than at the next poll.
    if (statistics.status === 'scheduled' || statistics.status === 'draft' || statistics.status === 'waiting') void this.check();
  };

  constructor(private readonly options: SchedulerOptions) {
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.now = options.now ?? (() => new Date());
    this.election = new LeaderElection({
      stateRoot: options.stateRoot,
      owner: `scheduler of ${options.sendContext.owner ?? `process ${process.pid}`} on ${os.hostname()}`,
      retryMs: this.pollMs,
      ...(options.leaderStaleMs === undefined ? {} : { staleMs: options.leaderStaleMs }),
      onChange: (leader) => this.onLeaderChange(leader),
      onError: (error) => this.emit({ type: 'error', message: `scheduler election: ${messageOf(error)}` }),
    });
  }

  get isLeader(): boolean {
    return this.election.isLeader;
  }

  /** Campaigns for leadership; as leader, checks at once and every pollMs. Resolves after the first attempt (and check). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    mailingEvents.on('state', this.onMailingState);
    await this.election.start();
    await this.checking;
  }

  /**
   * Stops checking, gives up leadership and stops the mailings this scheduler started, gracefully
   * (after their messages in flight; Start resumes them). Resolves when they have stopped.
   */
  async stop(reason = 'the scheduler stopped'): Promise<void> {
    if (!this.started) return;
    this.started = false;
    mailingEvents.off('state', this.onMailingState);
    this.standDown();
    await this.election.stop();
    await this.checking;
    for (const run of this.running.values()) run.abort.abort(reason);
    await Promise.all([...this.running.values()].map((run) => run.done));
  }

  dispose(): Promise<void> {
    return this.stop();
  }

  private onLeaderChange(leader: boolean): void {
    this.emit({ type: 'leader', leader });
    if (leader && this.started) {
      if (this.pollTimer) clearInterval(this.pollTimer);
      this.pollTimer = setInterval(() => void this.check(), this.pollMs);
      void this.check();
    } else {
      this.standDown();
    }
  }

  /** Cancels timers (the journals keep the due times for whoever leads next). */
  private standDown(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    for (const armed of this.armed.values()) armed.job.cancel();
    this.armed.clear();
  }

  /**
   * Reads every mailing's state and acts: arms the scheduled ones, starts the due ones (within the
   * grace period), marks the too-late ones missed. Checks never overlap; one asked for during a check
   * runs right after it. Does nothing unless this process leads.
   */
  check(): Promise<void> {
    if (this.checking) {
      this.checkAgain = true;
      return this.checking;
    }
    this.checking = (async () => {
      try {
        do {
          this.checkAgain = false;
          await this.checkOnce();
        } while (this.checkAgain && this.started && this.isLeader);
      } catch (error) {
        this.emit({ type: 'error', message: `scheduler check: ${messageOf(error)}` });
      }
    })().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    if (!this.started || !this.isLeader) return;
    const states = await this.options.actions.listMailingStates(this.options.stateRoot);
    if (!this.started || !this.isLeader) return;
    const scheduled = new Set<string>();
    for (const state of states) {
      const due = state.dueAt ?? state.scheduledAt;
      if (!TIMED.has(state.status) || !due || this.running.has(state.file)) continue;
      const at = Date.parse(due);
      if (Number.isNaN(at)) {
        this.emit({ type: 'error', file: state.file, message: `unreadable schedule time '${due}'` });
        continue;
      }
      scheduled.add(state.file);
      const waitingFor = state.waiting?.reason;
      const lateMs = this.now().getTime() - at;
      if (lateMs < -DUE_SLACK_MS) this.arm(state, at, waitingFor);
      else if (waitingFor || lateMs <= this.graceMs) this.launch(state.file, due, Math.max(0, lateMs), waitingFor);
      else await this.miss(state.file, due, lateMs);
    }
    for (const [file, armed] of this.armed) {
      if (!scheduled.has(file)) {
        armed.job.cancel();
        this.armed.delete(file);
        this.emit({ type: 'disarmed', file });
      }
    }
  }

  private arm(state: MailingState, at: number, waitingFor?: WaitReason): void {
    const current = this.armed.get(state.file);
    if (current?.at === at) return;
    current?.job.cancel();
    // The timer only triggers a check: the journal, not this timer, says whether it is still due.
    const job = schedule.scheduleJob(new Date(at), () => void this.check());
    if (!job) {
      // Already past by the time we got here: check again at once.
      this.armed.delete(state.file);
      void Promise.resolve().then(() => this.check());
      return;
    }
    this.armed.set(state.file, { at, job });
    this.emit({ type: 'armed', file: state.file, at: new Date(at).toISOString(), ...(waitingFor ? { waitingFor } : {}) });
  }

  private launch(file: string, at: string, lateMs: number, waitingFor?: WaitReason): void {
    this.armed.get(file)?.job.cancel();
    this.armed.delete(file);
    this.emit({ type: 'due', file, at, lateMs, ...(waitingFor ? { waitingFor } : {}) });
    const abort = new AbortController();
    const onState = (stateFile: string, statistics: Statistics) => {
      if (stateFile === file && statistics.status === 'sending') {
        mailingEvents.off('state', onState);
        this.emit({ type: 'started', file, ...(statistics.destination ? { destination: statistics.destination } : {}) });
      }
    };
    mailingEvents.on('state', onState);
    let paused = false;
    const done = this.options.actions.startMailing(file, this.options.sendContext, { signal: abort.signal, onlyIf: waitingFor ? ['waiting'] : ['scheduled', 'missed'] })
      .then(
        (statistics) => {
          if (statistics.status === 'completed') this.emit({ type: 'completed', file, statistics });
          else if (statistics.status === 'waiting' && statistics.waiting) {
            paused = true;
            this.emit({ type: 'waiting', file, until: statistics.waiting.until, reason: statistics.waiting.reason, statistics });
          } else this.emit({ type: 'stopped', file, reason: statistics.stoppedReason ?? statistics.status, statistics });
        },
        (error: unknown) => this.emitRefusal(file, error),
      )
      .finally(() => {
        mailingEvents.off('state', onState);
        this.running.delete(file);
        // A run that ended waiting is armed for its moment now, not at the next poll.
        if (paused && this.started && this.isLeader) void this.check();
      });
    this.running.set(file, { abort, done });
  }

  private async miss(file: string, at: string, lateMs: number): Promise<void> {
    try {
      await this.options.actions.markMissed(file, this.options.sendContext);
      this.emit({ type: 'missed', file, at, lateMs });
    } catch (error) {
      this.emitRefusal(file, error);
    }
  }

  /** Another process holding the lease, or a state changed under us, is normal between processes. */
  private emitRefusal(file: string, error: unknown): void {
    if (error instanceof MailingActionError && (error.code === 'leased' || error.code === 'wrong-state')) {
      const message = error.code === 'leased' && error.holder ? `${describeHolder(error.holder)} handles it` : error.message;
      this.emit({ type: 'skipped', file, message });
    } else {
      this.emit({ type: 'error', file, message: messageOf(error) });
    }
  }

  private emit(event: SchedulerEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A listener's failure must not stop the scheduler.
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
