// The shared vocabulary of the core: positions, diagnostics, the resolved mailing and the confirm model.
// Every face (editor, webview, CLI) renders these same shapes; nothing here knows about VS Code.
import type { DiagnosticFact } from './facts/render';
import type { SummaryFact } from './facts/summaries';

/** 0-based line and column (column in UTF-16 code units, as editors count). */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

/**
 * The wizard steps of the seed, plus the file itself, the Inbox (the message as inboxes will see it:
 * links, images, clipping, client support, empty values, sender, spam score), the transport and the
 * send state.
 */
export type Step = 'file' | 'setup' | 'content' | 'inbox' | 'targetList' | 'test' | 'schedule' | 'transport' | 'state';

export const STEPS: readonly Step[] = ['file', 'setup', 'content', 'inbox', 'targetList', 'test', 'schedule', 'transport', 'state'];

/** Stable codes of the confirm-error catalogue and the rest: facts/diagnostics is the one list. */
export type { DiagnosticCode } from './facts/diagnostics';


/** Extra facts a quick fix needs (kept as plain data so it crosses process and webview boundaries). */
export interface DiagnosticData {
  /** merge-field-unknown: the field as written and the nearest known field, if any. */
  field?: string;
  suggestion?: string;
  /** *-missing: the key that is missing and the path of the mapping it belongs in. */
  missingKey?: string;
  parentPath?: (string | number)[];
  /** schema (unknown key): the key as written; `suggestion` then holds the nearest allowed key. */
  unknownKey?: string;
  /**
   * An error that an explicit choice may override (`already-sent`: send again, CLI `--again`); every
   * other error always blocks.
   */
  overridable?: 'again';
}

/**
 * A located fact: its code and typed args (facts/diagnostics: the text of each code, in English and
 * Dutch, comes from there and nowhere else), with severity, wizard step and range.
 */
export type Diagnostic = DiagnosticFact & {
  severity: Severity;
  step: Step;
  range: Range;
  /** The file the range is in: the mailing file unless stated (a CSV, an HTML file). */
  file?: string;
  data?: DiagnosticData;
};

export interface Address {
  name?: string;
  /** As written (trimmed). */
  email: string;
}

export type Transport = 'outbox' | 'smtp';

export interface Rate {
  count: number;
  per: 'second' | 'minute' | 'hour';
}

/**
 * `sending.window`: when hand-offs may happen, as wall-clock ranges in the mailing's zone (in each
 * recipient's zone when `localTime` is on). Seconds of the day, 0–86400; a range whose end is not
 * after its start runs past midnight into the next day. See pace/window.ts for DST.
 */
export interface SendWindowSpec {
  /** Weekdays a range may start on, 0 = Sunday … 6 = Saturday (sorted, distinct). */
  days: number[];
  ranges: { start: number; end: number }[];
  /** Local dates (YYYY-MM-DD) on which nothing is sent. */
  except: string[];
}

/** `sending.quota` entry: at most `count` hand-offs in any sliding `periodMs` (per SMTP server). */
export interface Quota {
  count: number;
  periodMs: number;
  /** As written ("2000/hour"), for messages. */
  text: string;
}

/** `sending.perDomain` entry: a rate for the recipients of one domain (`*`: each other domain). */
export interface DomainRate {
  /** Lower-cased domain, or `*`. */
  domain: string;
  rate: Rate;
}

/** `sending.warmup`: day n (0-based) of a server's history allows start × growth^n hand-offs a day. */
export interface Warmup {
  start: number;
  growth: number;
}

export interface SendingOptions {
  transport: Transport;
  /** Undefined: no cap. */
  rate?: Rate;
  /** Undefined: any time. */
  window?: SendWindowSpec;
  /** Sliding-window quotas of the SMTP server, shared by every mailing sent through it. */
  quotas?: Quota[];
  perDomain?: DomainRate[];
  warmup?: Warmup;
  /** `schedule.localTime`: each recipient is due at the scheduled wall-clock time in their own zone (column `timezone`). */
  localTime?: boolean;
  connections: number;
  /** Total attempts per recipient for temporary failures (first try included). */
  attempts: number;
  /** Delay before the first retry, in ms; doubles each retry up to maxRetryDelay. */
  retryDelay: number;
  maxRetryDelay: number;
  /** Stop the mailing after this many consecutive failed hand-offs (any kind). */
  maxConsecutiveErrors: number;
  /**
   * The return path for bounces (the issue's `returnPath`): each message's envelope sender is its VERP
   * form `bounces+<tag>-<index>@domain` (bounces/verp.ts). Absent: the From address, without VERP.
   */
  bounceAddress?: string;
  /** DKIM signing: domain, selector and the private key file (resolved absolute path). */
  dkim?: { domain: string; selector: string; privateKeyFile: string };
}

/** One person on the target list, after exclusions and de-duplication. */
export interface Recipient {
  /** Address as written in the source (trimmed). */
  email: string;
  /** Merge-field values by column name; always includes `email`. */
  fields: Record<string, string>;
}

export interface SkippedCounts {
  invalid: number;
  duplicate: number;
  excluded: number;
  /**
   * On the workspace's suppression list (`.mailings/suppression.csv`): never mailed. Absent: 0 (a
   * target list read without a state root, a journal written before the suppression list existed).
   */
  suppressed?: number;
}

/** Why a row of the target list gets no message (the per-recipient log lists these rows too). */
export type LeftOutReason = 'invalid' | 'duplicate' | 'excluded' | 'suppressed';

/** A row of the target list that gets no message: its address as written and why. */
export interface LeftOutRow {
  email: string;
  reason: LeftOutReason;
}

/** Where a target-list source came from, with its own counts (for the summary and CSV diagnostics). */
export interface TargetSourceSummary {
  /** mailing: the recipients of another mailing (`exclude: - mailing: october.mailing.yaml`), from its journal. */
  kind: 'file' | 'inline' | 'mailing';
  /** Absolute path for kind=file (the CSV) and kind=mailing (the other mailing's file). */
  file?: string;
  rows: number;
  invalid: number;
  duplicate: number;
  columns: string[];
}

export interface TargetList {
  recipients: Recipient[];
  /** Every merge field available: `email` plus every column of every include source. */
  fields: string[];
  skipped: SkippedCounts;
  sources: TargetSourceSummary[];
  excludeSources: TargetSourceSummary[];
  /**
   * The rows left out, in list order (absent in snapshots written before it was kept): the
   * per-recipient log lists them as skipped or suppressed.
   */
  leftOut?: LeftOutRow[];
}

export interface ContentPart {
  /** The text of the part (template, merge fields not yet filled): for MJML and Markdown, the compiled HTML. */
  source: string;
  /** Absolute path when it came from a file (the .mjml or .md file it was compiled from); undefined when inline. */
  file?: string;
}

export interface Attachment {
  /** Absolute path. */
  path: string;
  filename: string;
  size: number;
  /** sha256 (hex) of the file's bytes: part of contentHash(), so a changed attachment outdates the test. */
  sha256?: string;
}

/**
 * A local image of the HTML (`<img src="logo.png">`, relative to the HTML file): embedded in every
 * message as an inline (CID) part of a multipart/related, its `src` rewritten to `cid:…`.
 */
export interface InlineImage {
  /** The `src` values (as a mail client reads them: entities decoded, trimmed) that name this file. */
  sources: string[];
  /** Absolute path (in a snapshot: the frozen copy in the state folder). */
  path: string;
  filename: string;
  size: number;
  /** sha256 (hex) of the bytes: part of contentHash(), and the snapshot refuses a file changed since. */
  sha256: string;
  /** The Content-ID, without angle brackets. */
  cid: string;
}

/**
 * The mailing as it will be sent. Complete only when the confirm model has no errors; while it has
 * errors the draft may lack parts (see `MailingDraft`).
 */
export interface ResolvedMailing {
  /** Absolute path of the mailing file. */
  file: string;
  name: string;
  from: Address;
  replyTo?: Address;
  subject: string;
  html?: ContentPart;
  text?: ContentPart;
  /** The preview line inboxes show beside the subject, hidden at the top of the HTML body (merge fields allowed). */
  preheader?: string;
  attachments: Attachment[];
  /** Local images of the HTML, embedded as inline parts (absent or empty: none). */
  images?: InlineImage[];
  targetList: TargetList;
  unsubscribe: { url?: string; mailto?: string };
  test: { recipients: string[] };
  /** The `schedule` expression as written, if any. */
  schedule?: string;
  /** IANA zone: the file's `timezone` or the machine's. */
  timezone: string;
  sending: SendingOptions;
}

/** What the checks could resolve, field by field: anything may be missing while the file has errors. */
export type MailingDraft = Partial<ResolvedMailing> & { file: string; timezone: string; sending: SendingOptions };

export interface StepSummary {
  step: Step;
  /** Complete when the step has no error. */
  complete: boolean;
  errors: number;
  warnings: number;
  /** What the overview shows of the step, as facts (`label: value` in the user's language: facts/summaries). */
  facts: SummaryFact[];
}

export type MailingStatus = 'draft' | 'scheduled' | 'sending' | 'waiting' | 'stopped' | 'completed' | 'missed';

/** What a waiting mailing waits for: its send window, the next local-time wave, the SMTP server's quota or warm-up. */
export type WaitReason = 'window' | 'wave' | 'quota' | 'warmup';

/** The test record the send engine writes after a test send; the test checks read it. */
export interface TestRecord {
  version: 1;
  /** ISO instant of the test send. */
  at: string;
  to: string[];
  /** contentHash() of the mailing that was tested. */
  hash: string;
  messageIds: string[];
  /** Where the test messages went. */
  destination?: Destination;
}

/** The send state as the confirm model needs it (a fold over the journal, see core/state). */
export interface SendStateSummary {
  status: MailingStatus;
  scheduledAt?: string;
  /** status `waiting`: what for, and when sending resumes (ISO). */
  waiting?: { reason: WaitReason; until: string };
  /** contentHash() of the confirmed snapshot, when confirmed. */
  confirmedHash?: string;
  total?: number;
  sent?: number;
  failed?: number;
}

/**
 * What the pace of a send means before it starts (Confirm): when it would begin and finish, the
 * window's next opening, the local-time waves. Computed from the file alone (quotas as if the
 * server had sent nothing else).
 */
export interface PacePreview {
  /** When sending would begin (ISO): now, the scheduled moment, or the first wave. */
  startAt: string;
  /** The window's first opening from startAt (ISO; undefined without a window, or when it never opens). */
  nextOpening?: string;
  /** The last hand-off at the configured rate, inside the window, within the quotas and warm-up (ISO); undefined: not within `horizonDays`. */
  finishAt?: string;
  horizonDays: number;
  /** What paces it: the rate (per minute), the quotas as written, the warm-up. */
  ratePerMinute?: number;
  quotas: string[];
  warmup?: Warmup;
  /** With localTime: one wave per zone (due moments only when a schedule is given), and the rows sent in the mailing's zone. */
  waves?: { zone: string; dueAt?: string; count: number }[];
  withoutZone?: number;
  invalidZone?: number;
}

export interface ConfirmModel {
  file: string;
  mailing: MailingDraft;
  steps: StepSummary[];
  diagnostics: Diagnostic[];
  hasErrors: boolean;
  /** contentHash() of the draft: what a test record and a snapshot are compared against. */
  contentHash?: string;
  test?: TestRecord;
  state: SendStateSummary;
  /** The schedule expression resolved, when it could be. */
  scheduleAt?: string;
  /** The pace of the send as configured (estimate, window, waves); undefined without recipients. */
  pace?: PacePreview;
  /** Absolute paths of every file the mailing references (content, attachments, CSVs), existing or not. */
  referencedFiles: string[];
  /**
   * The values of the file that name another file, as the loader decided (a content value is a file
   * or inline text in one place: load/loadMailing.ts): the path of the value and the file it names.
   */
  references: { path: (string | number)[]; file: string }[];
  /**
   * What the Inbox step's on-demand checks need (inbox/onDemand.ts: scoreMailingSpam,
   * checkMailingLinks), as plain data; absent when the file could not be read or the Inbox checks
   * were off.
   */
  inbox?: InboxModel;
}

/** A web address of the HTML part that link reachability fetches, where it is written. */
export interface LinkTarget {
  /** The URL fetched: merge fields filled with the first recipient's values, as the renderer fills them. */
  url: string;
  /** As written in the file (trimmed). */
  written: string;
  /** An image (src, srcset, background, CSS url()) rather than a link. */
  image: boolean;
  /** A local-network address (`link-local` already): fetched only when asked. */
  local: boolean;
  /** The HTML file (absolute); undefined: inline in the mailing file. */
  file?: string;
  range: Range;
}

/** The Inbox step's inputs to its slow checks, taken from the file when the model is built. */
export interface InboxModel {
  /** The spam-score thresholds (`checks.spam`), and where a spam-score diagnostic is shown. */
  spam: { warning: number; error: number; range: Range };
  /** Every link and image address of the HTML worth fetching, in the order written. */
  links: LinkTarget[];
}

/** SMTP connection settings (the password never comes from a file: SecretStorage or an env var). */
export interface SmtpConfig {
  host: string;
  port: number;
  /** 'tls': implicit TLS (465); 'starttls': require STARTTLS; 'none': plain (tests, local relays). */
  security: 'tls' | 'starttls' | 'none';
  user?: string;
  password?: string;
  /** Accept self-signed certificates (tests only). */
  allowInvalidCertificates?: boolean;
  /**
   * With security 'none', send AUTH (the password in clear text) to a host that is not loopback.
   * Off by default: only an explicit `?allowPlainAuth=1` or the machine setting turns it on.
   */
  allowPlainAuth?: boolean;
}

/**
 * Where a mailing's messages go: a folder of .eml files (the outbox transport: no mail leaves the
 * machine) or an SMTP server, named by host and port only (never with credentials).
 */
export type Destination = { transport: 'outbox'; dir: string } | { transport: 'smtp'; host: string; port: number };

/** Where state lives and how to reach the SMTP server: what every send action needs. */
export interface SendContext {
  /** The state root: `<workspace or cwd>/.mailings` (or --state-dir). */
  stateRoot: string;
  /** Needed when the mailing's transport is smtp. */
  smtp?: SmtpConfig;
  /** Identifies this process in leases ("VS Code window 1234", "cli"). */
  owner?: string;
  /**
   * Where a run's SMTP sessions work: on a worker thread (the engine's thread renders and journals
   * meanwhile) or on the engine's own thread. `auto` (default): a worker for runs of 500 recipients
   * or more on a machine with three cores or more (see send/openTransport.ts).
   */
  smtpThread?: 'auto' | 'main' | 'worker';
  /**
   * Soft bounces, in as many mailings, after which an address is suppressed (default 5, as the seed's
   * CRM; suppression/softBounces.ts). The CLI's MAILINGS_SOFT_BOUNCE_LIMIT, VS Code's
   * `mailings.bounces.softBounceLimit`.
   */
  softBounceLimit?: number;
}

/**
 * A recipient's outcome in the log: the send's (pending, sent, deferred, failed; uncertain: in flight
 * when its run died), or why the row got no message (suppressed: on the suppression list, at
 * confirmation or when a run began; skipped: invalid, duplicate or excluded).
 */
export type RecipientOutcome = 'pending' | 'sent' | 'deferred' | 'failed' | 'uncertain' | 'suppressed' | 'skipped';

/** What a report about a recipient said after the hand-off, or the SMTP reply at it (state/journalEvents.ts). */
export type BounceKind = 'hard' | 'soft' | 'failed';

export interface RecipientLogEntry {
  email: string;
  outcome: RecipientOutcome;
  attempts: number;
  /** The last SMTP reply (or network error) for this recipient. */
  reply?: string;
  /** ISO instant of the last event for this recipient. */
  at?: string;
  messageId?: string;
  /** Its index in the mailing (snapshot, then the rows added by resends); absent for rows left out. */
  index?: number;
  /** The run that last handed it off (1: the first send; 2, 3…: resends). */
  run?: number;
  /** The address bounced: hard, soft, or an accepted message that came back undelivered (`failed`). */
  bounce?: BounceKind;
  /** The recipient reported the message as spam (an ARF complaint). */
  complained?: true;
  /** The bounce's or complaint's detail (the SMTP reply, the DSN's status and diagnostic, the feedback type). */
  report?: string;
  /** Its outcome was unknown once (in flight when a run died): it was, or will be, sent again. */
  uncertain?: true;
  /** skipped / suppressed: why (invalid, duplicate, excluded, suppressed). */
  reason?: LeftOutReason;
}

/** One run of a mailing: the first send, then each resend (state/journalFold.ts). */
export interface RunStatistics {
  run: number;
  kind: 'send' | 'resend';
  /** ISO instant it was recorded (the first send: confirmed; a resend: its `resend` event). */
  at: string;
  /** Recipients it set out to send: the first send's list; a resend's added rows and retried recipients. */
  recipients: number;
  /** A resend: rows added to the target list since, and recipients sent again (failed temporarily, deferred, chosen with --again). */
  added?: number;
  retried?: number;
  /** A resend to selected recipients (`--to`). */
  selected?: true;
  sent: number;
  failed: number;
}

/** Send status and statistics of one mailing: a fold over its journal. */
export interface Statistics {
  status: MailingStatus;
  total: number;
  sent: number;
  failed: number;
  deferred: number;
  pending: number;
  skipped: number;
  /** Recipients whose outcome was unknown after a crash and who were (or will be) sent again. */
  uncertain: number;
  /** Messages per minute over the run so far (or the whole run when finished). */
  ratePerMinute: number;
  scheduledAt?: string;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  /** Why the mailing stopped (user, authentication failure, too many errors, crash). */
  stoppedReason?: string;
  /** Messages sent per minute over the run, oldest first (for the chart). */
  perMinute: { minute: string; sent: number; failed: number }[];
  /** Who sends it now, if anyone (from the lease). */
  sender?: { pid: number; host: string; owner?: string };
  /** status `waiting`: what for, and the moment sending resumes (ISO; the scheduler arms it). */
  waiting?: { reason: WaitReason; until: string };
  /** The configured and the current rate (messages per minute), when a rate or throttling applies. */
  pace?: PaceStatistics;
  /** Local-time waves (`schedule.localTime`), one per zone, by due moment. */
  waves?: WaveStatistics[];
  /** Where the messages of the latest run went (from its `started` / `resumed` event). */
  destination?: Destination;
  /**
   * Rows of the target list on the suppression list, never mailed (at confirmation, a resend, or
   * taken out when a run began). Always set by the core (optional only for hand-made literals).
   */
  suppressed?: number;
  /** Recipients whose address bounced (hard or soft, at send time or by a report) or whose accepted message came back. */
  bounced?: number;
  /** Recipients who reported the message as spam. */
  complained?: number;
  /** Each run: the first send, then every resend. */
  runs?: RunStatistics[];
}

export interface PaceStatistics {
  /** `sending.rate`, per minute; undefined without a cap. */
  configuredPerMinute?: number;
  /** The rate the controller allows now (lowered after "too fast" replies); undefined: no cap in force. */
  currentPerMinute?: number;
  /** ISO instant of the last "too fast" reply (421/450/451/454 throttling). */
  throttledAt?: string;
  /** Recipient domains whose own rate was lowered (sending.perDomain). */
  domains: { domain: string; configuredPerMinute: number; currentPerMinute: number }[];
}

export interface WaveStatistics {
  zone: string;
  /** ISO instant the wave is due (the scheduled wall-clock time in `zone`); undefined when sent without a schedule. */
  dueAt?: string;
  total: number;
  sent: number;
  failed: number;
}

/** Who holds a lease (state/lease.ts): a mailing's, the scheduler leader's. */
export interface LeaseInfo {
  token: string;
  pid: number;
  host: string;
  owner: string;
  /** ISO instant the lease was taken. */
  acquiredAt: string;
  /** ISO instant of the last heartbeat (the file's mtime). */
  heartbeat: string;
}

/** A mailing as the state folder lists it (actions' listMailingStates). */
export interface MailingState {
  /** Absolute path of the mailing file. */
  file: string;
  stateDir: string;
  status: MailingStatus;
  scheduledAt?: string;
  /**
   * When the scheduler acts on it (ISO): a scheduled mailing's start (its first local-time wave, when
   * that is earlier than scheduledAt), a waiting one's resumption.
   */
  dueAt?: string;
  /** status `waiting`: what for, and until when. */
  waiting?: SendStateSummary['waiting'];
  total?: number;
  sent?: number;
  failed?: number;
}
