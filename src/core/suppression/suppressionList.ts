// The suppression list shared by every mailing of a workspace: addresses never mailed again, each
// with why. One CSV file a person can read and edit, `<stateRoot>/suppression.csv`:
//
//     address,reason,date,mailing,detail
//     piet@klant.example,hard-bounce,2026-12-03T18:04:12Z,november-newsletter-3f2a9c1d,550 5.1.1 <piet@klant.example>: Recipient address rejected: User unknown
//     klaas.dekker@yahoo.com,complaint,2026-12-04T07:31:14Z,november-newsletter-3f2a9c1d,Feedback-Type: abuse; User-Agent: Yahoo!-Mail-Feedback/2.0
//     jan@example.nl,unsubscribe,2026-12-05T10:00:00Z,,imported from unsubscribes-crm.csv
//
// reason: hard-bounce (the address does not exist), soft-bounce (N soft bounces in N mailings:
// softBounces.ts), complaint (marked as spam), unsubscribe, manual. Addresses are compared
// lower-cased; an address listed twice (two processes added it at once) is one suppression, the
// first row telling why. Concurrent writers lose nothing (csvLog.ts).
import * as path from 'node:path';
import { addressKey, isValidEmail } from '../load/addresses';
import { CsvLog, type CsvRecord } from './csvLog';

export const SUPPRESSION_FILE = 'suppression.csv';
export const SUPPRESSION_LOCK_DIR = 'suppression.lock';

export const SUPPRESSION_REASONS = ['hard-bounce', 'soft-bounce', 'complaint', 'unsubscribe', 'manual'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface SuppressionEntry {
  /** As first written (compare with addressKey). */
  address: string;
  reason: SuppressionReason;
  /** ISO 8601, UTC, to the second. */
  date: string;
  /** The mailing it came from (its id), or empty. */
  mailing: string;
  /** The SMTP reply, DSN text or note: one line, at most DETAIL_MAX characters. */
  detail: string;
}

export interface SuppressionInput {
  address: string;
  reason: SuppressionReason;
  mailing?: string;
  detail?: string;
  /** Default: now (the list's clock). */
  date?: Date;
}

export const DETAIL_MAX = 200;
const COLUMNS = ['address', 'reason', 'date', 'mailing', 'detail'] as const;

export class SuppressionError extends Error {
  constructor(
    readonly code: 'address-invalid' | 'reason-invalid',
    message: string,
  ) {
    super(message);
    this.name = 'SuppressionError';
  }
}

/** What is suppressed now: a lookup by lower-cased address. */
export class SuppressionSet {
  private readonly index = new Map<string, number>();
  private readonly list: SuppressionEntry[] = [];

  constructor(
    entries: Iterable<SuppressionEntry>,
    /** Lines of the file that could not be read (1-based). */
    readonly ignoredLines: number[] = [],
  ) {
    for (const entry of entries) {
      const key = addressKey(entry.address);
      if (this.index.has(key)) continue;
      this.index.set(key, this.list.length);
      this.list.push(entry);
    }
  }

  get size(): number {
    return this.list.length;
  }

  has(address: string): boolean {
    return this.index.has(addressKey(address));
  }

  get(address: string): SuppressionEntry | undefined {
    const at = this.index.get(addressKey(address));
    return at === undefined ? undefined : this.list[at];
  }

  /** In the order they were added. */
  entries(): readonly SuppressionEntry[] {
    return this.list;
  }
}

/** A date as the file writes it: `2026-12-03T18:04:12Z`. */
export function isoSecond(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A detail as the file keeps it: one line, at most DETAIL_MAX characters, and never starting with
 * a character a spreadsheet would run as a formula (the text comes from remote servers).
 */
export function detailField(text: string): string {
  let line = text.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  if (line.length > DETAIL_MAX) line = `${line.slice(0, DETAIL_MAX - 1)}…`;
  return /^[=+\-@]/.test(line) ? `'${line}` : line;
}

function isReason(value: string): value is SuppressionReason {
  return (SUPPRESSION_REASONS as readonly string[]).includes(value);
}

function entryOf(record: CsvRecord): SuppressionEntry | undefined {
  const address = record.address.trim();
  if (!address.includes('@')) return undefined;
  const reason = record.reason.trim().toLowerCase();
  // A reason a person typed that we do not know still suppresses: as manual.
  return { address, reason: isReason(reason) ? reason : 'manual', date: record.date.trim(), mailing: record.mailing.trim(), detail: record.detail };
}

export interface SuppressionListOptions {
  /** The clock for dates (tests pass a fixed one). */
  now?: () => Date;
  /** fdatasync appends (default true). */
  sync?: boolean;
  /** How long a rewrite waits for another one (default 10 s). */
  lockTimeoutMs?: number;
}

export class SuppressionList {
  readonly file: string;
  private readonly log: CsvLog;
  private readonly now: () => Date;
  private cached?: { content: unknown; set: SuppressionSet };

  constructor(
    readonly stateRoot: string,
    options: SuppressionListOptions = {},
  ) {
    this.file = path.join(stateRoot, SUPPRESSION_FILE);
    this.now = options.now ?? (() => new Date());
    this.log = new CsvLog(this.file, COLUMNS, { lockDir: path.join(stateRoot, SUPPRESSION_LOCK_DIR), sync: options.sync, timeoutMs: options.lockTimeoutMs });
  }

  /** The list now; read again only when the file changed. */
  async read(): Promise<SuppressionSet> {
    const content = await this.log.read();
    if (this.cached?.content === content) return this.cached.set;
    const entries: SuppressionEntry[] = [];
    for (const record of content.records) {
      const entry = entryOf(record);
      if (entry) entries.push(entry);
    }
    const set = new SuppressionSet(entries, content.ignoredLines);
    this.cached = { content, set };
    return set;
  }

  /**
   * Adds addresses that are not suppressed yet (an address already listed keeps its first reason).
   * Throws SuppressionError, adding nothing, when an address or reason is invalid.
   */
  async add(inputs: SuppressionInput[]): Promise<{ added: SuppressionEntry[]; already: SuppressionEntry[] }> {
    for (const input of inputs) {
      if (!isValidEmail(input.address.trim())) throw new SuppressionError('address-invalid', `'${input.address}' is not a valid address`);
      if (!isReason(input.reason)) throw new SuppressionError('reason-invalid', `'${input.reason}' is no suppression reason (${SUPPRESSION_REASONS.join(', ')})`);
    }
    const current = await this.read();
    const added: SuppressionEntry[] = [];
    const already: SuppressionEntry[] = [];
    const batch = new Set<string>();
    for (const input of inputs) {
      const address = input.address.trim();
      const key = addressKey(address);
      const existing = current.get(address);
      if (existing) {
        already.push(existing);
        continue;
      }
      if (batch.has(key)) continue;
      batch.add(key);
      added.push({ address, reason: input.reason, date: isoSecond(input.date ?? this.now()), mailing: input.mailing ?? '', detail: detailField(input.detail ?? '') });
    }
    await this.log.append(added.map((entry) => ({ ...entry })));
    return { added, already };
  }

  /** Removes addresses (every row of each); returns the entries removed. */
  async remove(addresses: string[]): Promise<SuppressionEntry[]> {
    const keys = new Set(addresses.map((address) => addressKey(address.trim())));
    return this.removeWhere((entry) => keys.has(addressKey(entry.address)));
  }

  /** Removes the rows `drop` selects (used to clear a bounce flag: only bounce reasons). */
  async removeWhere(drop: (entry: SuppressionEntry) => boolean): Promise<SuppressionEntry[]> {
    const removed = await this.log.rewrite((record) => {
      const entry = entryOf(record);
      return !entry || !drop(entry);
    });
    return removed.map((record) => entryOf(record)).filter((entry): entry is SuppressionEntry => entry !== undefined);
  }

  /** Every suppression, in the order added. */
  async list(): Promise<readonly SuppressionEntry[]> {
    return (await this.read()).entries();
  }
}
