// The one typed protocol between the extension host and the Confirm / Statistics webview, after
// GitLens's webviews/protocol.ts and vscode-eslint's typed messages: commands and requests go from the
// page to the host, notifications and responses from the host to the page; each message has a literal
// `type` and a type guard. The host validates every incoming message with `isWebviewMessage` and then
// re-checks the action against a freshly built confirm model: nothing here is trusted as a fact.
//
// Browser-safe: only type imports from the core (erased by the compiler), no Node, no VS Code.
import type {
  DiagnosticCode,
  MailingStatus,
  Range,
  RecipientLogEntry,
  SendStateSummary,
  Severity,
  SkippedCounts,
  Statistics,
  Step,
  StepSummary,
} from './core/types';

// The page may not import the core: it gets the shared leaf types from here.
export type { DiagnosticCode, MailingStatus, Range, RecipientLogEntry, SendStateSummary, Severity, SkippedCounts, Statistics, Step, StepSummary };

/** The webview panel type (also in package.json: `onWebviewPanel:mailings.confirm`). */
export const CONFIRM_VIEW_TYPE = 'mailings.confirm';

/** Which page the panel shows: the Confirm overview, or the send status and statistics. */
export type PageKind = 'confirm' | 'statistics';
export type PreviewWidth = 'desktop' | 'mobile';
/** The actions the page offers; availability is decided by the host (see `ActionAvailability`). */
export type ActionName = 'sendTest' | 'sendNow' | 'schedule' | 'stop' | 'start' | 'exportCsv';
export const ACTION_NAMES: readonly ActionName[] = ['sendTest', 'sendNow', 'schedule', 'stop', 'start', 'exportCsv'];

// ---- UI strings --------------------------------------------------------------------------------
// The English text of every string the page shows, defined once. The host localizes each one with
// vscode.l10n.t (the message is the key) and sends the table in every `model` notification; `{0}`
// placeholders are filled in by the page.
export const UI_STRINGS = {
  confirmTitle: 'Confirm',
  statisticsTitle: 'Send status and statistics',
  stepFile: 'File',
  stepSetup: 'Setup',
  stepContent: 'Content',
  stepTargetList: 'Target list',
  stepTest: 'Test',
  stepSchedule: 'Schedule',
  stepTransport: 'Transport',
  stepState: 'State',
  complete: 'Complete',
  incomplete: 'Incomplete',
  errorCount: '{0} error',
  errorsCount: '{0} errors',
  warningCount: '{0} warning',
  warningsCount: '{0} warnings',
  noProblems: 'No problems: ready to send.',
  problemsTitle: 'Problems',
  revealHint: 'Show in the mailing file',
  name: 'Name',
  from: 'From',
  replyTo: 'Reply-To',
  subject: 'Subject',
  subjectFirstRecipient: 'Subject for {0}',
  none: '(none)',
  notSet: '(not set)',
  htmlPart: 'HTML',
  textPart: 'Plain text',
  textDerived: 'derived from the HTML',
  inline: 'inline',
  attachments: 'Attachments',
  preview: 'Preview',
  previewFor: 'Preview for',
  previewDesktop: 'Desktop',
  previewMobile: 'Mobile',
  previewUnavailable: 'No preview while the content has errors.',
  previewTitle: 'Rendered message preview',
  previewNoRecipients: 'No recipients: merge fields are shown empty.',
  unsubscribe: 'Unsubscribe',
  recipients: 'Recipients',
  recipientCount: '{0} recipient',
  recipientsCount: '{0} recipients',
  skipped: 'Skipped',
  skippedInvalid: '{0} invalid',
  skippedDuplicate: '{0} duplicate',
  skippedExcluded: '{0} excluded',
  sources: 'Sources',
  excludeSources: 'Never mailed (exclusions)',
  source: 'Source',
  rows: 'Rows',
  invalid: 'Invalid',
  duplicate: 'Duplicate',
  sampleRows: 'Sample rows',
  testLast: 'Last test sent {0} to {1}',
  testNone: 'No test has been sent of this mailing.',
  testOutdated: 'The mailing changed since the last test: send a new test.',
  testRecipients: 'Test recipients',
  scheduleExpression: 'Schedule in the file',
  scheduledFor: 'Scheduled to send at',
  timezone: 'Time zone',
  sendTest: 'Send test',
  sendNow: 'Send now',
  schedule: 'Schedule',
  setNow: 'Set now',
  pickDate: 'Pick date',
  whenExpression: 'Or type a moment',
  whenPlaceholder: 'tomorrow 19:00, next friday 20:00 …',
  stop: 'Stop',
  start: 'Start',
  exportCsv: 'Export CSV',
  openStatistics: 'Send status and statistics',
  openConfirm: 'Confirm overview',
  busy: 'Working…',
  status: 'Status',
  statusDraft: 'Draft',
  statusScheduled: 'Scheduled',
  statusSending: 'Sending',
  statusWaiting: 'Waiting for the send window',
  statusStopped: 'Stopped',
  statusCompleted: 'Completed',
  statusMissed: 'Missed',
  progress: 'Progress',
  total: 'Total',
  sent: 'Sent',
  failed: 'Failed',
  deferred: 'Deferred',
  pending: 'Pending',
  uncertain: 'Uncertain',
  rate: 'Rate',
  ratePerMinute: '{0} / minute',
  eta: 'Time left',
  started: 'Started',
  finished: 'Finished',
  duration: 'Duration',
  stoppedReason: 'Stopped because',
  sender: 'Sent by',
  perMinuteChart: 'Messages per minute',
  outcomeShares: 'Outcomes',
  noData: 'Nothing sent yet.',
  failedRecipients: 'Failed recipients',
  noFailures: 'No recipient failed.',
  moreFailures: '… and {0} more (export the CSV for all)',
  email: 'Address',
  outcome: 'Outcome',
  attempts: 'Attempts',
  smtpReply: 'SMTP reply',
  time: 'Time',
  code: 'Code',
  message: 'Message',
  severityError: 'Error',
  severityWarning: 'Warning',
  severityInfo: 'Info',
} as const;

export type UiStringKey = keyof typeof UI_STRINGS;
export type UiStrings = { readonly [K in UiStringKey]: string };

/** Everything the page needs to speak the user's language. */
export interface UiContext {
  /** BCP 47 tag of the VS Code display language ("en", "nl"). */
  locale: string;
  strings: UiStrings;
}

// ---- The views the host sends ------------------------------------------------------------------

/** Whether an action is shown at all, whether it can be used, and if not, why (shown beside it). */
export interface ActionAvailability {
  offered: boolean;
  enabled: boolean;
  reason?: string;
}

export type ActionsView = { readonly [A in ActionName]: ActionAvailability };

export interface DiagnosticView {
  code: DiagnosticCode;
  severity: Severity;
  step: Step;
  message: string;
  range: Range;
  /** Absolute path when the range is in another file than the mailing (a CSV, an HTML file). */
  file?: string;
  /** That file relative to the mailing, for display. */
  fileLabel?: string;
}

export interface PartView {
  /** Relative path of the file, or undefined when inline. */
  file?: string;
  /** Size of the source in characters. */
  length: number;
}

export interface SourceView {
  label: string;
  rows: number;
  invalid: number;
  duplicate: number;
}

export interface PreviewView {
  /** 0-based index of the recipient the preview is rendered for. */
  recipientIndex: number;
  recipientCount: number;
  /** Addresses of the first recipients, for the recipient picker. */
  recipientChoices: string[];
  /** The subject as this recipient will see it. */
  subject?: string;
  /** A complete HTML document for the sandboxed iframe (merge fields filled in), if the mailing has HTML. */
  html?: string;
  /** The text part for this recipient (shown when there is no HTML). */
  text?: string;
  width: PreviewWidth;
}

/** A serializable view of the confirm model: what the Confirm page renders, already localized. */
export interface ConfirmView {
  /** Absolute path of the mailing file (the panel's identity; kept in the page's state for reload). */
  file: string;
  /** The file name for display. */
  fileLabel: string;
  /** IANA zone the mailing's times are in (for the date picker and the chart). */
  timezone: string;
  steps: StepSummary[];
  diagnostics: DiagnosticView[];
  errorCount: number;
  warningCount: number;
  setup: {
    name?: string;
    from?: string;
    replyTo?: string;
    subject?: string;
    /** The subject for the first recipient, merge fields filled in. */
    subjectForFirst?: string;
    firstRecipient?: string;
  };
  content: {
    html?: PartView;
    text?: PartView;
    textDerived: boolean;
    attachments: { filename: string; size: number }[];
    /** The unsubscribe URL (template) and mailto, as written. */
    unsubscribe: string[];
  };
  preview?: PreviewView;
  targetList: {
    recipients: number;
    skipped: SkippedCounts;
    sources: SourceView[];
    excludes: SourceView[];
    fields: string[];
    sample: { columns: string[]; rows: string[][] };
  };
  test: {
    recipients: string[];
    /** When the last test was sent, in words ("Fri 4 Dec 2026 19:00 CET, 2 hours ago"). */
    lastAt?: string;
    lastTo?: string[];
    outdated: boolean;
  };
  schedule: {
    /** The file's `schedule` expression as written. */
    expression?: string;
    /** What it resolves to, in words. */
    resolved?: string;
  };
  state: SendStateSummary & {
    /** scheduledAt in words. */
    scheduledAtText?: string;
  };
  actions: ActionsView;
}

/** The send status and statistics page. */
export interface StatisticsView {
  file: string;
  name?: string;
  timezone: string;
  statistics: Statistics;
  /** Estimated time left while sending, in ms (from the rate and what is pending). */
  etaMs?: number;
  /** The first failed recipients with their SMTP replies. */
  failures: RecipientLogEntry[];
  failuresTotal: number;
}

// ---- Webview -> host: commands and requests ----------------------------------------------------

export interface ReadyCommand { type: 'ready' }
/** Reveal a diagnostic's range; `file` absent means the mailing file. */
export interface RevealCommand { type: 'reveal'; range: Range; file?: string }
export interface SendTestCommand { type: 'sendTest' }
export interface SendNowCommand { type: 'sendNow' }
/**
 * Schedule the mailing. Exactly one of: `at`, a wall-clock time `YYYY-MM-DDTHH:mm[:ss]` from the date
 * picker, read in the mailing's time zone; or `whenText`, a when-expression ("tomorrow 19:00").
 */
export interface ScheduleCommand { type: 'schedule'; at?: string; whenText?: string }
/** Resolve a when-expression as the user types; answered by a `whenResolved` with the same id. */
export interface ResolveWhenRequest { type: 'resolveWhen'; id: number; text: string }
export interface StopCommand { type: 'stop' }
export interface StartCommand { type: 'start' }
export interface OpenStatisticsCommand { type: 'openStatistics' }
export interface OpenConfirmCommand { type: 'openConfirm' }
export interface ExportCsvCommand { type: 'exportCsv' }
export interface SelectPreviewRecipientCommand { type: 'selectPreviewRecipient'; index: number }
export interface SetPreviewWidthCommand { type: 'setPreviewWidth'; width: PreviewWidth }

export type WebviewMessage =
  | ReadyCommand
  | RevealCommand
  | SendTestCommand
  | SendNowCommand
  | ScheduleCommand
  | ResolveWhenRequest
  | StopCommand
  | StartCommand
  | OpenStatisticsCommand
  | OpenConfirmCommand
  | ExportCsvCommand
  | SelectPreviewRecipientCommand
  | SetPreviewWidthCommand;

// ---- Host -> webview: notifications and responses ----------------------------------------------

/** The whole Confirm view (sent on ready and after every change), plus the page to show. */
export interface ModelNotification { type: 'model'; page: PageKind; ui: UiContext; model: ConfirmView }
export interface StatisticsNotification { type: 'statistics'; statistics: StatisticsView }
export type WhenResolution = { ok: true; at: string; description: string; local: string } | { ok: false; message: string };
/** `local` is the wall-clock time in the mailing's zone (`YYYY-MM-DDTHH:mm:ss`) for the date picker. */
export interface WhenResolvedResponse { type: 'whenResolved'; id: number; result: WhenResolution }
/** An action started (action set) or ended (action undefined). */
export interface BusyNotification { type: 'busy'; action?: ActionName }
/** The outcome of an action in words: an error (red) or a notice. */
export interface ResultNotification { type: 'result'; action?: ActionName; ok: boolean; message: string; code?: string }

export type HostMessage = ModelNotification | StatisticsNotification | WhenResolvedResponse | BusyNotification | ResultNotification;

/** What the page keeps with setState, so a reloaded panel comes back as it was. */
export interface PageState {
  file: string;
  page: PageKind;
  previewWidth?: PreviewWidth;
  previewRecipient?: number;
}

// ---- Guards ------------------------------------------------------------------------------------

type Dict = Record<string, unknown>;

function isDict(x: unknown): x is Dict {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Only the listed keys, no others: a message with extra data is malformed. */
function hasOnlyKeys(x: Dict, allowed: readonly string[]): boolean {
  return Object.keys(x).every((key) => allowed.includes(key));
}

function isCount(x: unknown, max = 1e9): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max;
}

function isShortString(x: unknown, max: number): x is string {
  return typeof x === 'string' && x.length <= max;
}

export function isRange(x: unknown): x is Range {
  if (!isDict(x) || !hasOnlyKeys(x, ['start', 'end'])) return false;
  const isPos = (p: unknown) => isDict(p) && hasOnlyKeys(p, ['line', 'column']) && isCount(p.line, 1e7) && isCount(p.column, 1e7);
  return isPos(x.start) && isPos(x.end);
}

const NO_PAYLOAD = ['ready', 'sendTest', 'sendNow', 'stop', 'start', 'openStatistics', 'openConfirm', 'exportCsv'] as const;
/** Longest when-expression or picker value accepted: more is not a moment. */
export const MAX_WHEN_LENGTH = 200;
const WALL_CLOCK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/** Is `x` a well-formed message from the page? (Shape only: the host still checks what it asks.) */
export function isWebviewMessage(x: unknown): x is WebviewMessage {
  if (!isDict(x) || typeof x.type !== 'string') return false;
  const type = x.type;
  if ((NO_PAYLOAD as readonly string[]).includes(type)) return hasOnlyKeys(x, ['type']);
  switch (type) {
    case 'reveal':
      return hasOnlyKeys(x, ['type', 'range', 'file']) && isRange(x.range) && (x.file === undefined || isShortString(x.file, 4096));
    case 'schedule': {
      if (!hasOnlyKeys(x, ['type', 'at', 'whenText'])) return false;
      const hasAt = x.at !== undefined;
      const hasText = x.whenText !== undefined;
      if (hasAt === hasText) return false;
      return hasAt ? isShortString(x.at, 40) && WALL_CLOCK.test(x.at) : isShortString(x.whenText, MAX_WHEN_LENGTH);
    }
    case 'resolveWhen':
      return hasOnlyKeys(x, ['type', 'id', 'text']) && isCount(x.id) && isShortString(x.text, MAX_WHEN_LENGTH);
    case 'selectPreviewRecipient':
      return hasOnlyKeys(x, ['type', 'index']) && isCount(x.index);
    case 'setPreviewWidth':
      return hasOnlyKeys(x, ['type', 'width']) && (x.width === 'desktop' || x.width === 'mobile');
    default:
      return false;
  }
}

const HOST_TYPES = ['model', 'statistics', 'whenResolved', 'busy', 'result'] as const;

/** Is `x` a message from the host? (The page checks the discriminant; the host is the trusted side.) */
export function isHostMessage(x: unknown): x is HostMessage {
  return isDict(x) && (HOST_TYPES as readonly string[]).includes(x.type as string);
}

/** Validates what a reloaded page hands back to the serializer; undefined when it is not a page state. */
export function parsePageState(x: unknown): PageState | undefined {
  if (!isDict(x) || !isShortString(x.file, 4096) || !/\.mailing\.ya?ml$/i.test(x.file)) return undefined;
  const page: PageKind = x.page === 'statistics' ? 'statistics' : 'confirm';
  const state: PageState = { file: x.file, page };
  if (x.previewWidth === 'desktop' || x.previewWidth === 'mobile') state.previewWidth = x.previewWidth;
  if (isCount(x.previewRecipient)) state.previewRecipient = x.previewRecipient;
  return state;
}

/** Fills `{0}`, `{1}` … in a localized string. */
export function formatString(template: string, ...args: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}

/** The status words, keyed for the UI table. */
export const STATUS_STRING: { readonly [S in MailingStatus]: UiStringKey } = {
  draft: 'statusDraft',
  scheduled: 'statusScheduled',
  sending: 'statusSending',
  waiting: 'statusWaiting',
  stopped: 'statusStopped',
  completed: 'statusCompleted',
  missed: 'statusMissed',
};

export const STEP_STRING: { readonly [S in Step]: UiStringKey } = {
  file: 'stepFile',
  setup: 'stepSetup',
  content: 'stepContent',
  targetList: 'stepTargetList',
  test: 'stepTest',
  schedule: 'stepSchedule',
  transport: 'stepTransport',
  state: 'stepState',
};
