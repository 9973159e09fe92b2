// The public API of the core: what the extension, the webview host and the CLI build on.
export * from './types';
export { buildConfirmModel, toResolvedMailing, NotConfirmableError, type ConfirmOptions } from './confirmModel';
export { contentHash } from './contentHash';
export { FileCache, FileAccess, type FileCacheCounters, type FileProblem, type FileResult, type FileStamp } from './load/fileCache';
export { scanMergeFields, type MergeFieldUse, type MergeSyntaxProblem, type MergeFieldScan } from './load/mergeFields';
export { isValidEmail, parseAddress, formatAddress, addressKey } from './load/addresses';
export { parseRate } from './load/rate';
export { mailingSchema, DEFAULT_SENDING } from './load/schema';
export { readCsvFile, type CsvTable } from './load/csv';
export { parseYamlSource, type YamlSource } from './load/yamlSource';
export { locate, pathText, type SourceNode, type YamlPath, type PathSegment } from './load/sourceNodes';
export { LineIndex } from './load/lineIndex';
export { sendTest, sendNow, scheduleMailing, startMailing, stopMailing, markMissed, getStatistics, getRecipientLog, exportRecipientLogCsv, listMailingStates, getConfirmedMailing, MailingActionError, type SendOptions, type MailingState } from './actions';
export { prepareMailing, type PreparedMailing } from './render/prepared';
export { nodemailerRenderer } from './render/nodemailerRenderer';
export { templateRenderer } from './render/templateRenderer';
export type { MessageRenderer, RendererFactory, RenderedMessage } from './render/renderer';
export type { InboxFinding } from './inbox/findings';
