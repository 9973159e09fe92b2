// One page of the per-recipient log, filtered by kind and searched by text: what the Statistics
// page's recipient table shows, and what its CSV export of the filtered view writes. The log stays
// with the host; the page asks for a page at a time, so 100,000 rows never cross to the webview.
import type { RecipientLogEntry } from '../types';
import { matchesFilter, RECIPIENT_LOG_FILTERS, type RecipientLogFilter } from './recipientLog';

export interface RecipientQuery {
  filter?: RecipientLogFilter;
  /** Case-insensitive text in the address, the SMTP reply or the bounce report. */
  search?: string;
  offset: number;
  limit: number;
}

export interface RecipientPage {
  /** The rows of this page (offset … offset + limit of the matching ones). */
  rows: RecipientLogEntry[];
  /** How many match the filter and the search (the offset is clamped to them). */
  total: number;
  offset: number;
  /** Per kind, how many of the whole log are of that kind (the filter's choices); `all`: every row. */
  counts: Record<RecipientLogFilter | 'all', number>;
}

/** Most rows a page may ask for at once. */
export const RECIPIENT_PAGE_MAX = 500;

/** Does the entry match the query's filter and search? (The export of a filtered view writes exactly these.) */
export function matchesQuery(entry: RecipientLogEntry, query: Pick<RecipientQuery, 'filter' | 'search'>): boolean {
  if (query.filter && !matchesFilter(entry, query.filter)) return false;
  const needle = query.search?.trim().toLowerCase();
  if (!needle) return true;
  return entry.email.toLowerCase().includes(needle) || (entry.reply?.toLowerCase().includes(needle) ?? false) || (entry.report?.toLowerCase().includes(needle) ?? false);
}

/** One pass over the log: the counts per kind, and the page of matching rows. */
export function queryRecipientLog(log: readonly RecipientLogEntry[], query: RecipientQuery): RecipientPage {
  const counts = Object.fromEntries([['all', log.length], ...RECIPIENT_LOG_FILTERS.map((filter) => [filter, 0])]) as RecipientPage['counts'];
  const limit = Math.max(0, Math.min(RECIPIENT_PAGE_MAX, Math.floor(query.limit)));
  const wantedOffset = Math.max(0, Math.floor(query.offset));
  const matching: number[] = [];
  for (let i = 0; i < log.length; i++) {
    const entry = log[i];
    counts[entry.outcome]++;
    if (entry.bounce !== undefined) counts.bounced++;
    if (entry.complained) counts.complained++;
    if (matchesQuery(entry, query)) matching.push(i);
  }
  const total = matching.length;
  // An offset past the end (the filter changed, the log shrank) shows the last page, not nothing.
  const offset = total === 0 ? 0 : Math.min(wantedOffset, Math.max(0, Math.floor((total - 1) / Math.max(1, limit)) * Math.max(1, limit)));
  return { rows: matching.slice(offset, offset + limit).map((i) => log[i]), total, offset, counts };
}
