// The core's front door: the one module the faces (the extension, the CLI, the webview host) import
// from. `npm run lint` (dependency-cruiser, .dependency-cruiser.cjs) fails a face that reaches past it.
// Grouped in the core's layers, lowest first (README: design, "The core's layers").
export * from './types';

// Facts and their words; time.
export { langFromEnv, langOf, type Lang } from './facts/lang';
export { Formatter } from './facts/format';
export { renderDiagnostic, summaryLine } from './facts/render';
export { statusWord } from './facts/summaries';
export { RECIPIENT_LOG_FILTERS, type RecipientLogFilter } from './state/recipientLog';
export { queryRecipientLog, RECIPIENT_PAGE_MAX, type RecipientPage, type RecipientQuery } from './state/recipientQuery';
export { renderRefusal, type RefusalArgs } from './facts/refusals';
export { whenProblemText } from './facts/diagnostics';
export { MailingActionError, type MailingActionErrorCode } from './facts/actionError';
export { describeDistance, describeInstant, resolveWhen, DEFAULT_WORKING_HOURS, type WhenLocale, type WorkingHours } from './time/when';
export { formatDuration, parseDuration } from './time/duration';
export { instantFromWallClock, machineTimeZone, wallClock } from './time/zone';
export { contentHash } from './contentHash';

// Loading: files, the YAML (one parse per text, with its queries), the target list.
export { FileCache, FileAccess, type FileCacheCounters, type FileProblem, type FileResult, type FileStamp } from './load/fileCache';
export { parseMailingText, nodeAt, insertKey, completionContextAt, mergeFieldPrefixAt, yamlValueText, valueSpan, type ParsedMailing } from './load/documentQueries';
export { parseYamlSource, type YamlSource } from './load/yamlSource';
export { declaredContentFiles } from './load/loadMailing';
export { locate, pathText, type SourceNode, type YamlPath, type PathSegment } from './load/sourceNodes';
export { LineIndex } from './load/lineIndex';
export { scanMergeFields, type MergeFieldUse, type MergeSyntaxProblem, type MergeFieldScan } from './load/mergeFields';
export { isValidEmail, parseAddress, formatAddress, addressKey } from './load/addresses';
export { parseRate } from './load/rate';
export { mailingSchema, DEFAULT_SENDING, schemaValidatorOrigin } from './load/schema';
export { readCsvFile, CSV_MAX_RECORD_BYTES, CSV_MAX_COLUMNS, type CsvTable } from './load/csv';
export { MAX_YAML_DEPTH } from './load/yamlDepth';
export type { InboxFinding } from './facts/inboxFindings';

// Rendering the message.
export { prepareMailing, personalize, type PreparedMailing } from './render/prepared';
export { inboxSnippet } from './render/preheader';
export { MJML_LINE_CLASS } from './load/content/mjml';
export { slug } from './render/headerText';
export { STARTER_FORMATS, starterFiles, type Starter, type StarterFile, type StarterFormat } from './starters';
export { htmlModelKey, htmlWithDataImages } from './render/inlineImages';
export { nodemailerRenderer } from './render/nodemailerRenderer';
export { templateRenderer } from './render/templateRenderer';
export type { MessageRenderer, RendererFactory, RenderedMessage } from './render/renderer';

// State and sending.
export { findStateRoot, stateRootOfFolder } from './state/stateRoot';
export { mailingStateDir, CHECKPOINT_FILE, JOURNAL_FILE, LEASE_FILE, TEST_RECORD_FILE } from './state/paths';
export { readStatistics } from './state/summary';
export { mailingEvents } from './send/events';
export { destinationOf, describeDestination, hostPort } from './send/destination';
export { assertAuthAllowed, PlainAuthRefusedError } from './send/smtpTransport';
export { LeaseHeldError } from './state/lease';
export { BounceMailboxError, pollBounceMailbox, type ImapAccount } from './bounces/mailboxPoller';
export { applyBounceNotice, workspaceLookup, type AppliedCounts } from './bounces/workspaceBounces';
export { SUPPRESSION_REASONS, SuppressionError, SuppressionList, type SuppressionEntry, type SuppressionReason } from './suppression/suppressionList';
export { SuppressionImportError, importSuppressions } from './suppression/importCsv';
export { DEFAULT_SOFT_BOUNCE_LIMIT, SoftBounces } from './suppression/softBounces';

// The confirm model.
export { buildConfirmModel, toResolvedMailing, withInboxResults, NotConfirmableError, MAILING_MAX_BYTES, type ConfirmOptions } from './confirmModel';
// The Inbox step's slow checks, on demand (never while typing).
export { scoreMailingSpam, checkMailingLinks, type InboxResult, type LinkCheckOptions } from './inbox/onDemand';

// Scheduling.
export { planSchedule, type SchedulePlan } from './schedule/plan';
export { Scheduler, DEFAULT_GRACE_MS, DEFAULT_POLL_MS, type SchedulerEvent } from './schedule/scheduler';
export { readSchedulerLeader } from './schedule/leader';

// The actions: the one way every face acts on a mailing.
export {
  sendTest, sendNow, scheduleMailing, startMailing, stopMailing, markMissed, getStatistics, getRecipientLog,
  exportRecipientLogCsv, listMailingStates, getConfirmedMailing, resendMailing, previewResend, type ResendPreview, SCHEDULER_ACTIONS, type SendOptions,
} from './actions';
