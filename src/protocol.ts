import type { DiagnosticCode, MailingStatus, Range, RecipientLogEntry, RecipientLogFilter, RecipientPage, SendStateSummary, Severity, SkippedCounts, Statistics, Step, StepSummary as CoreStepSummary } from './core/index';

// The page may not import the core: it gets the shared leaf types from here.
export type { DiagnosticCode, MailingStatus, Range, RecipientLogEntry, RecipientLogFilter, RecipientPage, SendStateSummary, Severity, SkippedCounts, Statistics, Step };

/**
 * The kinds the recipient table filters by, in the order it offers them: every RecipientLogFilter of
 * the core exactly once (the `satisfies` fails to compile when the core adds or drops one).
 */
const RECIPIENT_FILTER_SET = { sent: true, failed: true, bounced: true, complained: true, suppressed: true, pending: true, deferred: true, skipped: true, uncertain: true } as const satisfies Record<RecipientLogFilter, true>;
export const RECIPIENT_FILTERS = Object.keys(RECIPIENT_FILTER_SET) as RecipientLogFilter[];
/** Rows per page of the recipient table (the host answers at most this many). */
export const RECIPIENT_PAGE_SIZE = 100;
/** Most addresses one "Resend to selected" may name. */
export const MAX_SELECTED = 10_000;

/** A step of the overview as the page shows it: its summary facts rendered by the host (`label: value`). */
export type StepSummary = Omit<CoreStepSummary, 'facts'> & { lines: string[] };

/** The webview panel type (also in package.json: `onWebviewPanel:mailings.confirm`). */
export const CONFIRM_VIEW_TYPE = 'mailings.confirm';

/** Which page the panel shows: the Confirm overview, or the send status and statistics. */
export type PageKind = 'confirm' | 'statistics';
export type PreviewWidth = 'desktop' | 'mobile';
/** The actions the page offers; availability is decided by the host (see `ActionAvailability`). */
export type ActionName = 'sendTest' | 'sendNow' | 'schedule' | 'stop' | 'start' | 'exportCsv' | 'checkLinks' | 'checkSpamScore' | 'resend';

// ---- UI strings --------------------------------------------------------------------------------
// The page's strings are the extension's l10n catalogue (src/extension/webview/uiStrings.ts, the
// Dutch in l10n/bundle.l10n.nl.json): the host localizes them and sends them in every `model`
// message; here only their keys, for the types.

export type UiStringKey = keyof typeof import('./extension/webview/uiStrings').UI_STRINGS;
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
  /** The user asked to load remote images in this panel (the page's CSP then allows https: images). */
  remoteImages: boolean;
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
  /** Who Reload and resend would reach now (a completed or stopped mailing). */
  resend?: { added: number; retry: number; suppressed: number };
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
  /** Every instant the page shows (ISO), as the host's Formatter writes it in the user's language. */
  moments: Record<string, string>;
}

// ---- The messages, each declared once: its name, its payload and the guard of that payload -----
// After GitLens's IpcCommand / IpcNotification: a table per direction; the union of the messages,
// the type of each one and the shape check are all derived from it, and each side dispatches with one
// generic `dispatch` over a table of handlers (a handler missing for a message is a type error).

/** A message type: the guard of its fields besides `type` (a host message is trusted: no guard). */
interface MessageSpec<P> {
  readonly keys: readonly string[];
  readonly guard: (x: Dict) => boolean;
  /** Carries the payload's type only. */
  readonly payload?: P;
}

function message<P = Record<never, never>>(keys: readonly (keyof P & string)[] = [], guard: (x: Dict) => boolean = () => true): MessageSpec<P> {
  return { keys, guard };
}

type PayloadOf<S> = S extends MessageSpec<infer P> ? P : never;

/** Webview -> host: commands and requests. The host checks every one, then re-checks what it asks against a fresh model. */
export const WEBVIEW_MESSAGES = {
  ready: message(),
  /** Reveal a diagnostic's range; `file` absent means the mailing file. */
  reveal: message<{ range: Range; file?: string }>(['range', 'file'], (x) => isRange(x.range) && (x.file === undefined || isShortString(x.file, 4096))),
  sendTest: message(),
  sendNow: message(),
  /** Schedule at a wall-clock time in the mailing's zone (`at`, from the picker) or at a typed moment. */
  schedule: message<{ at?: string; whenText?: string }>(['at', 'whenText'], (x) => {
    const hasAt = x.at !== undefined;
    if (hasAt === (x.whenText !== undefined)) return false;
    return hasAt ? isShortString(x.at, 40) && WALL_CLOCK.test(x.at) : isShortString(x.whenText, MAX_WHEN_LENGTH);
  }),
  /** Resolve a typed moment as the user types; answered by `whenResolved` with the same id. */
  resolveWhen: message<{ id: number; text: string }>(['id', 'text'], (x) => isCount(x.id) && isShortString(x.text, MAX_WHEN_LENGTH)),
  stop: message(),
  start: message(),
  openStatistics: message(),
  openConfirm: message(),
  /** Export the per-recipient log as CSV: the filtered view when a filter or search is given. */
  exportCsv: message<{ filter?: RecipientLogFilter; search?: string }>(['filter', 'search'], (x) => (x.filter === undefined || isRecipientFilter(x.filter)) && (x.search === undefined || isShortString(x.search, 200))),
  /** One page of the recipient table; answered by `recipients` with the same id. */
  queryRecipients: message<{ id: number; filter?: RecipientLogFilter; search?: string; offset: number }>(
    ['id', 'filter', 'search', 'offset'],
    (x) => isCount(x.id) && isCount(x.offset) && (x.filter === undefined || isRecipientFilter(x.filter)) && (x.search === undefined || isShortString(x.search, 200)),
  ),
  /** The Inbox step's on-demand checks: fetch every link and image once; score the message with SpamAssassin. */
  checkLinks: message(),
  checkSpamScore: message(),
  /** Reload and resend: the rows added since and those not reached (the host asks first, with the count). */
  resend: message<{ to?: string[] }>(['to'], (x) => x.to === undefined || (Array.isArray(x.to) && x.to.length > 0 && x.to.length <= MAX_SELECTED && x.to.every((a) => isShortString(a, 320)))),
  selectPreviewRecipient: message<{ index: number }>(['index'], (x) => isCount(x.index)),
  setPreviewWidth: message<{ width: PreviewWidth }>(['width'], (x) => x.width === 'desktop' || x.width === 'mobile'),
  /** The user asked for the remote images of the preview (they can track who opens a mail). */
  loadRemoteImages: message(),
} satisfies Record<string, MessageSpec<unknown>>;

export type WhenResolution = { ok: true; at: string; description: string; local: string } | { ok: false; message: string };

/** Host -> webview: notifications and responses. */
export const HOST_MESSAGES = {
  /** The whole Confirm view (sent on ready and after every change), plus the page to show. */
  model: message<{ page: PageKind; ui: UiContext; model: ConfirmView }>(),
  statistics: message<{ statistics: StatisticsView }>(),
  /** A page of the recipient table, for the query with the same id (sent again when the log changes). */
  recipients: message<{ id: number; page: RecipientPage; moments: Record<string, string> }>(),
  /** `local` is the wall-clock time in the mailing's zone (`YYYY-MM-DDTHH:mm:ss`) for the date picker. */
  whenResolved: message<{ id: number; result: WhenResolution }>(),
  /** An action started (action set) or ended (action undefined). */
  busy: message<{ action?: ActionName }>(),
  /**
   * The outcome of an action in words: an error (red) or a notice. `status`: the mailing's state the
   * action left it in; the page shows the outcome only while the mailing stays in that state.
   */
  result: message<{ action?: ActionName; ok: boolean; message: string; code?: string; status?: MailingStatus }>(),
} satisfies Record<string, MessageSpec<unknown>>;

type MessagesOf<T extends Record<string, MessageSpec<unknown>>> = { [K in keyof T & string]: { type: K } & PayloadOf<T[K]> }[keyof T & string];

export type WebviewMessage = MessagesOf<typeof WEBVIEW_MESSAGES>;
export type HostMessage = MessagesOf<typeof HOST_MESSAGES>;

/** One handler per message of a direction. */
export type Handlers<M extends { type: string }> = { readonly [K in M['type']]: (message: Extract<M, { type: K }>) => unknown };

/** Hands a message to its handler (the one dispatch of each side). */
export function dispatch<M extends { type: string }>(handlers: Handlers<M>, message: M): unknown {
  return (handlers[message.type as M['type']] as (m: M) => unknown)(message);
}

// ---- The live preview beside the editor (a panel of its own: PREVIEW_VIEW_TYPE) -----------------

/** The preview panel type (package.json: `onWebviewPanel:mailings.preview`). */
export const PREVIEW_VIEW_TYPE = 'mailings.preview';
/** The class an MJML block's HTML carries its 0-based source line in (`mailings-line-12`); Markdown blocks have `data-line`. */
// Written out (the page may import no value of the core); the type says it is the core's class.
export const SOURCE_LINE_CLASS: typeof import('./core/index').MJML_LINE_CLASS = 'mailings-line-';
/** Most recipients one search answers with (the picker shows them; typing narrows it). */
export const RECIPIENT_CHOICES_MAX = 50;

/** A recipient the preview can be rendered for: its row in the target list and how it is shown. */
export interface RecipientChoice {
  index: number;
  email: string;
  /** A name field, when the list has one. */
  name?: string;
}

export interface LivePreviewView {
  /** The mailing (absolute): the panel's identity. */
  file: string;
  fileLabel: string;
  /** The file the preview follows (the mailing, or its HTML / MJML / Markdown file). */
  source: string;
  sourceLabel: string;
  /** The source's blocks carry their line (MJML, Markdown): the preview scrolls with its editor. */
  scrollSync: boolean;
  /** The inbox list row: sender, subject and the preheader (or first text) for this recipient. */
  inbox: { from?: string; subject?: string; snippet?: string };
  recipient?: RecipientChoice;
  recipientCount: number;
  /** The HTML for the sandboxed iframe (merge fields filled in), or the text part when there is none. */
  html?: string;
  text?: string;
  /** The errors that block sending, each with where it is written (the banner links to it). */
  errors: DiagnosticView[];
  width: PreviewWidth;
  remoteImages: boolean;
}

/** Live preview page -> host. */
export const PREVIEW_PAGE_MESSAGES = {
  ready: message(),
  reveal: WEBVIEW_MESSAGES.reveal,
  selectPreviewRecipient: WEBVIEW_MESSAGES.selectPreviewRecipient,
  setPreviewWidth: WEBVIEW_MESSAGES.setPreviewWidth,
  loadRemoteImages: WEBVIEW_MESSAGES.loadRemoteImages,
  /** Recipients whose address (or name) holds `text`, or row `#N` / `N`; answered by `recipientChoices` with the same id. */
  searchRecipients: message<{ id: number; text: string }>(['id', 'text'], (x) => isCount(x.id) && isShortString(x.text, 200)),
  /** The user scrolled the preview: the source line now at its top (the host scrolls the editor). */
  scrolled: message<{ line: number }>(['line'], (x) => isCount(x.line, 1e7)),
  openConfirm: message(),
} satisfies Record<string, MessageSpec<unknown>>;

/** Host -> live preview page. */
export const PREVIEW_HOST_MESSAGES = {
  preview: message<{ ui: UiContext; view: LivePreviewView }>(),
  recipientChoices: message<{ id: number; choices: RecipientChoice[]; total: number }>(),
  /** The source editor scrolled: show the block written at this line (0-based) at the top. */
  scrollTo: message<{ line: number }>(),
} satisfies Record<string, MessageSpec<unknown>>;

export type PreviewPageMessage = MessagesOf<typeof PREVIEW_PAGE_MESSAGES>;
export type PreviewHostMessage = MessagesOf<typeof PREVIEW_HOST_MESSAGES>;

/** What the preview page keeps with setState (validated again on restore: parsePreviewState). */
export interface PreviewPageState {
  file: string;
  source: string;
  previewWidth?: PreviewWidth;
  previewRecipient?: number;
  remoteImages?: boolean;
  previewDark?: boolean;
}

/** What the page keeps with setState, so a reloaded panel comes back as it was. */
export interface PageState {
  file: string;
  page: PageKind;
  previewWidth?: PreviewWidth;
  previewRecipient?: number;
  /** The user asked to load remote images in this panel. */
  remoteImages?: boolean;
  /** The preview shows the message in dark mode (the page's own choice). */
  previewDark?: boolean;
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

function isRecipientFilter(x: unknown): x is RecipientLogFilter {
  return typeof x === 'string' && Object.prototype.hasOwnProperty.call(RECIPIENT_FILTER_SET, x);
}

function isShortString(x: unknown, max: number): x is string {
  return typeof x === 'string' && x.length <= max;
}

export function isRange(x: unknown): x is Range {
  if (!isDict(x) || !hasOnlyKeys(x, ['start', 'end'])) return false;
  const isPos = (p: unknown) => isDict(p) && hasOnlyKeys(p, ['line', 'column']) && isCount(p.line, 1e7) && isCount(p.column, 1e7);
  return isPos(x.start) && isPos(x.end);
}

/** Longest when-expression or picker value accepted: more is not a moment. */
export const MAX_WHEN_LENGTH = 200;
const WALL_CLOCK = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/;

/** The guard of a page's messages: a known type, its keys only, its payload well-formed. */
function pageMessageGuard<T extends Record<string, MessageSpec<unknown>>>(table: T): (x: unknown) => x is MessagesOf<T> {
  return (x: unknown): x is MessagesOf<T> => {
    if (!isDict(x) || typeof x.type !== 'string' || !Object.prototype.hasOwnProperty.call(table, x.type)) return false;
    const spec: MessageSpec<unknown> = table[x.type as keyof T];
    return hasOnlyKeys(x, ['type', ...spec.keys]) && spec.guard(x);
  };
}

/** The guard of the host's messages: the page checks the discriminant (the host is the trusted side). */
function hostMessageGuard<T extends Record<string, MessageSpec<unknown>>>(table: T): (x: unknown) => x is MessagesOf<T> {
  return (x: unknown): x is MessagesOf<T> => isDict(x) && typeof x.type === 'string' && Object.prototype.hasOwnProperty.call(table, x.type);
}

/** Is `x` a well-formed message from the Confirm page? (Shape only: the host still checks what it asks.) */
export const isWebviewMessage = pageMessageGuard(WEBVIEW_MESSAGES);
/** Is `x` a message from the host to the Confirm page? */
export const isHostMessage = hostMessageGuard(HOST_MESSAGES);
/** Is `x` a well-formed message from the live preview page? */
export const isPreviewPageMessage = pageMessageGuard(PREVIEW_PAGE_MESSAGES);
/** Is `x` a message from the host to the live preview page? */
export const isPreviewHostMessage = hostMessageGuard(PREVIEW_HOST_MESSAGES);

/** Validates what a reloaded page hands back to the serializer; undefined when it is not a page state. */
export function parsePageState(x: unknown): PageState | undefined {
  if (!isDict(x) || !isShortString(x.file, 4096) || !/\.mailing\.ya?ml$/i.test(x.file)) return undefined;
  const page: PageKind = x.page === 'statistics' ? 'statistics' : 'confirm';
  return { file: x.file, page, ...previewChoices(x) };
}

/** Validates what a reloaded preview page hands back to its serializer. */
export function parsePreviewState(x: unknown): PreviewPageState | undefined {
  if (!isDict(x) || !isShortString(x.file, 4096) || !/\.mailing\.ya?ml$/i.test(x.file) || !isShortString(x.source, 4096)) return undefined;
  return { file: x.file, source: x.source, ...previewChoices(x) };
}

/** The preview's choices a page kept (width, recipient, remote images, dark mode), those well-formed. */
function previewChoices(x: Dict): Pick<PageState, 'previewWidth' | 'previewRecipient' | 'remoteImages' | 'previewDark'> {
  return {
    ...(x.previewWidth === 'desktop' || x.previewWidth === 'mobile' ? { previewWidth: x.previewWidth } : {}),
    ...(isCount(x.previewRecipient) ? { previewRecipient: x.previewRecipient } : {}),
    ...(x.remoteImages === true ? { remoteImages: true } : {}),
    ...(x.previewDark === true ? { previewDark: true } : {}),
  };
}
