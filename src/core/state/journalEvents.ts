// The events of a mailing's journal (journal.jsonl): one JSON object per line, append-only.
// Lines are kept short because a 100k mailing writes about 300k of them: the kind is `e`, the time `t`
// (epoch ms), a recipient is `i` (its index in the snapshot's target list) and an SMTP reply is `r`.
// A recipient's Message-ID is derived from the snapshot (see render/messageId.ts), so it is not stored.
import type { BounceKind, Destination, SkippedCounts, WaitReason } from '../types';

/** Who acts on a mailing (written in `started` / `resumed`). */
export interface JournalOwner {
  owner: string;
  pid: number;
  host: string;
}

/** The mailing was confirmed: snapshot.json now holds what will be sent. Resets every recipient. */
export interface ConfirmedEvent {
  e: 'confirmed';
  t: number;
  /** contentHash() of the confirmed mailing. */
  hash: string;
  /** Recipients in the snapshot. */
  total: number;
  skipped: SkippedCounts;
  /** Confirmed although the same mailing was already sent elsewhere: the user chose to send it again. */
  again?: true;
}
/** Due at `at` (ISO instant). */
export interface ScheduledEvent {
  e: 'scheduled';
  t: number;
  at: string;
  /**
   * With local-time waves: when the first wave is due (ISO), earlier than `at` when a zone is ahead
   * of the mailing's; the scheduler starts the mailing then.
   */
  first?: string;
}
/** Stop on a scheduled (or missed) mailing: back to draft. */
export interface UnscheduledEvent {
  e: 'unscheduled';
  t: number;
}
/** The scheduler found it due while nothing ran and too late to start on its own. */
export interface MissedEvent {
  e: 'missed';
  t: number;
}
/** The first run began; `destination`: where its messages go (absent in journals written before it was recorded). */
export interface StartedEvent extends JournalOwner {
  e: 'started';
  t: number;
  destination?: Destination;
}
/** A later run began (after Stop, a fault or a crash). Recipients still `sending` become uncertain. */
export interface ResumedEvent extends JournalOwner {
  e: 'resumed';
  t: number;
  destination?: Destination;
}
/** Intent: recipient `i` is about to be handed to the transport (durable before the hand-off). */
export interface SendingEvent {
  e: 'sending';
  t: number;
  i: number;
}
export interface SentEvent {
  e: 'sent';
  t: number;
  i: number;
  r: string;
}
/**
 * Temporary failure: `a` attempts made so far, retry not before `at` (epoch ms). `th`: the reply meant
 * "too fast" (throttling): the attempt does not count (see JournalFold's THROTTLE_FREE_RETRIES).
 */
export interface DeferredEvent {
  e: 'deferred';
  t: number;
  i: number;
  r: string;
  a: number;
  at: number;
  th?: 1;
}
/** Permanent failure (5xx, or temporary failures until `attempts` ran out). */
export interface FailedEvent {
  e: 'failed';
  t: number;
  i: number;
  r: string;
}
/**
 * The hand-off did not happen (e.g. authentication refused before any recipient was accepted):
 * the recipient is pending again and the attempt does not count.
 */
export interface ReleasedEvent {
  e: 'released';
  t: number;
  i: number;
  r: string;
}
export interface StoppedEvent {
  e: 'stopped';
  t: number;
  reason: string;
  /** user: Stop was asked for; fault: authentication failure, too many errors, lost lease. */
  by: 'user' | 'fault';
}
export interface CompletedEvent {
  e: 'completed';
  t: number;
}
/**
 * A resend of a completed or stopped mailing (Reload and resend; Resend to selected with `selected`):
 * a new run, numbered `run` (the first send is run 1). `added` rows of the target list as it is now
 * are appended to the mailing's recipients — indexes `total - added` … `total - 1` — and stored in
 * `resend-<run>.json` (state/sendList.ts; written durably BEFORE this event, its sha256 here); the
 * recipients of `retry` are pending again (failed temporarily, deferred, or sent before and chosen
 * with `--again`); `suppressed` rows of the list were left out for being on the suppression list.
 * Then the run begins (`resumed`) as a Start would: the engine's guarantees are those of any run.
 */
export interface ResendEvent {
  e: 'resend';
  t: number;
  run: number;
  /** Recipients of the mailing after this resend. */
  total: number;
  added: number;
  /** sha256 (hex) of resend-<run>.json; absent when nothing was added. */
  sha256?: string;
  retry: number[];
  suppressed: number;
  selected?: true;
  again?: true;
}
/** Recipient `i` is taken out before its hand-off: its address is on the suppression list now (`r`: the reason). */
export interface WithdrawnEvent {
  e: 'withdrawn';
  t: number;
  i: number;
  r: string;
}
/**
 * Recipient `i`'s address bounced (`k`: hard, soft; `failed`: an accepted message that came back
 * undelivered for another reason): the SMTP reply at the hand-off (`via: smtp`, after its `failed`
 * event) or a report that came later by mail (a DSN, tied to the recipient by VERP or Message-ID).
 * `r` is the reply or the report's status and diagnostic. Written by the sender, or by the bounce
 * poller beside it (one whole line in one O_APPEND write: see the README's design notes).
 */
export interface BouncedEvent {
  e: 'bounced';
  t: number;
  i: number;
  k: BounceKind;
  r: string;
  via: 'smtp' | 'verp' | 'message-id';
}
/** Recipient `i` reported the message as spam (an ARF complaint, RFC 5965); `r`: its feedback type. */
export interface ComplainedEvent {
  e: 'complained';
  t: number;
  i: number;
  r: string;
  via: 'verp' | 'message-id';
}
/**
 * The run paused after its messages in flight: nothing may be sent before `until` (epoch ms) — the
 * window is closed, the next wave is not due, or the server's quota or warm-up is used up. The
 * scheduler resumes it then (a `resumed` event).
 */
export interface WaitingEvent {
  e: 'waiting';
  t: number;
  until: number;
  why: WaitReason;
}
/** The rate controller set the rate of the server (`k` empty) or of a recipient domain: `r` messages per second. */
export interface RateEvent {
  e: 'rate';
  t: number;
  k: string;
  r: number;
}

/**
 * The first line of a compacted journal (state/journalCompaction.ts): every event before it is in
 * `file`, a gzip of those lines beside the journal, named by its content and never changed; its
 * sha256 (hex) and its `lines` and uncompressed `bytes` are here, so a missing or damaged archive is
 * found, never read as "nothing was sent".
 */
export interface ArchivedEvent {
  e: 'archived';
  t: number;
  file: string;
  sha256: string;
  lines: number;
  bytes: number;
}

export type JournalEvent =
  | ConfirmedEvent
  | ScheduledEvent
  | UnscheduledEvent
  | MissedEvent
  | StartedEvent
  | ResumedEvent
  | SendingEvent
  | SentEvent
  | DeferredEvent
  | FailedEvent
  | ReleasedEvent
  | StoppedEvent
  | CompletedEvent
  | ResendEvent
  | WithdrawnEvent
  | BouncedEvent
  | ComplainedEvent
  | WaitingEvent
  | RateEvent
  | ArchivedEvent;

export type JournalEventKind = JournalEvent['e'];

/** Events of one recipient's delivery. */
export type RecipientEvent = SendingEvent | SentEvent | DeferredEvent | FailedEvent | ReleasedEvent;

/** What was learnt about a recipient after (or at) its hand-off. */
export type ReportEvent = BouncedEvent | ComplainedEvent;

const KINDS: ReadonlySet<string> = new Set<JournalEventKind>([
  'confirmed',
  'scheduled',
  'unscheduled',
  'missed',
  'started',
  'resumed',
  'sending',
  'sent',
  'deferred',
  'failed',
  'released',
  'stopped',
  'completed',
  'resend',
  'withdrawn',
  'bounced',
  'complained',
  'waiting',
  'rate',
  'archived',
]);

/** An archive's name: `journal.` and the first 16 hex digits of its sha256, nothing a line could point elsewhere with. */
export const ARCHIVE_NAME = /^journal\.[0-9a-f]{16}\.jsonl\.gz$/;

const RECIPIENT_KINDS: ReadonlySet<string> = new Set(['sending', 'sent', 'deferred', 'failed', 'released']);
/** Kinds that name one recipient (`i`). */
const INDEXED_KINDS: ReadonlySet<string> = new Set([...RECIPIENT_KINDS, 'withdrawn', 'bounced', 'complained']);
const BOUNCE_KINDS: ReadonlySet<unknown> = new Set<BounceKind>(['hard', 'soft', 'failed']);

/** One journal line (with its newline). */
export function encodeEvent(event: JournalEvent): string {
  return JSON.stringify(event) + '\n';
}

/**
 * Parses one line; undefined for a line that is not a complete, known event (a torn last line after a
 * crash, or garbage): the fold ignores it rather than failing the whole mailing.
 */
export function parseEventLine(line: string): JournalEvent | undefined {
  if (line.length < 2 || line.charCodeAt(0) !== 123 /* { */) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const event = value as { e?: unknown; t?: unknown; i?: unknown };
  if (typeof event.e !== 'string' || !KINDS.has(event.e) || typeof event.t !== 'number') return undefined;
  if (INDEXED_KINDS.has(event.e) && !isIndex(event.i)) return undefined;
  if (event.e === 'bounced' && !BOUNCE_KINDS.has((value as { k?: unknown }).k)) return undefined;
  if (event.e === 'waiting' && typeof (value as { until?: unknown }).until !== 'number') return undefined;
  if (event.e === 'rate' && typeof (value as { r?: unknown }).r !== 'number') return undefined;
  if (event.e === 'archived') {
    const archived = value as Partial<ArchivedEvent>;
    if (typeof archived.file !== 'string' || !ARCHIVE_NAME.test(archived.file) || typeof archived.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(archived.sha256)) return undefined;
    if (!archived.file.startsWith(`journal.${archived.sha256.slice(0, 16)}.`) || !isIndex(archived.lines) || !isIndex(archived.bytes)) return undefined;
  }
  if (event.e === 'resend') {
    // Its indexes reset recipients: a line that does not say them whole is no event.
    const resend = value as Partial<ResendEvent>;
    if (!isIndex(resend.run) || !isIndex(resend.total) || !isIndex(resend.added) || !isIndex(resend.suppressed)) return undefined;
    if (!Array.isArray(resend.retry) || !resend.retry.every(isIndex)) return undefined;
  }
  return value as JournalEvent;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** An event about one recipient (it has `i`); a `rate` event has an `r` too, but no recipient. */
export function isRecipientEvent(event: JournalEvent): event is RecipientEvent {
  return RECIPIENT_KINDS.has(event.e);
}
