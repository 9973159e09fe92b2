// Soft bounces (mailbox full, over quota, a 4xx retried until the attempts ran out) counted per
// address across the mailings of a workspace; at `limit` of them (default 5, as the seed's CRM) the
// address is suppressed with reason soft-bounce. The log is a second CSV beside the suppression
// list, `<stateRoot>/soft-bounces.csv` (address,date,mailing,detail), one row per soft bounce.
//
// A soft bounce counts once per mailing: the same message reported at send time and again by a
// DSN, or a report processed twice after a crash, is one soft bounce, not two. "Clear bounce flag"
// removes an address's soft bounces and its hard-bounce or soft-bounce suppression (a complaint or
// an unsubscribe is no bounce flag and stays).
import * as path from 'node:path';
import { addressKey, isValidEmail } from '../load/addresses';
import { CsvLog } from './csvLog';
import { detailField, isoSecond, SUPPRESSION_LOCK_DIR, SuppressionError, type SuppressionEntry, type SuppressionList } from './suppressionList';

export const SOFT_BOUNCE_FILE = 'soft-bounces.csv';
export const DEFAULT_SOFT_BOUNCE_LIMIT = 5;
const COLUMNS = ['address', 'date', 'mailing', 'detail'] as const;

export interface SoftBounceInput {
  address: string;
  /** The mailing it happened in (its id). */
  mailing: string;
  detail?: string;
  date?: Date;
}

export interface SoftBounceResult {
  /** Soft bounces of the address now (distinct mailings). */
  count: number;
  /** False when this mailing's soft bounce of the address was recorded before. */
  recorded: boolean;
  /** The suppression this soft bounce caused (the limit reached now). */
  suppressed?: SuppressionEntry;
}

export interface SoftBounceOptions {
  /** Soft bounces, in as many mailings, after which an address is suppressed (default 5). */
  limit?: number;
  now?: () => Date;
  sync?: boolean;
  lockTimeoutMs?: number;
}

export class SoftBounces {
  readonly file: string;
  readonly limit: number;
  private readonly log: CsvLog;
  private readonly now: () => Date;
  private cached?: { content: unknown; mailings: Map<string, Set<string>> };

  constructor(
    stateRoot: string,
    private readonly suppression: SuppressionList,
    options: SoftBounceOptions = {},
  ) {
    this.file = path.join(stateRoot, SOFT_BOUNCE_FILE);
    this.limit = options.limit ?? DEFAULT_SOFT_BOUNCE_LIMIT;
    if (!Number.isInteger(this.limit) || this.limit < 1) throw new RangeError(`the soft-bounce limit must be a whole number of at least 1, not ${options.limit}`);
    this.now = options.now ?? (() => new Date());
    this.log = new CsvLog(this.file, COLUMNS, { lockDir: path.join(stateRoot, SUPPRESSION_LOCK_DIR), sync: options.sync, timeoutMs: options.lockTimeoutMs });
  }

  /** The mailings each address soft-bounced in (lower-cased addresses). */
  private async mailings(): Promise<Map<string, Set<string>>> {
    const content = await this.log.read();
    if (this.cached?.content === content) return this.cached.mailings;
    const mailings = new Map<string, Set<string>>();
    for (const record of content.records) {
      if (!record.address.includes('@')) continue;
      const key = addressKey(record.address.trim());
      let set = mailings.get(key);
      if (!set) mailings.set(key, (set = new Set()));
      set.add(record.mailing.trim());
    }
    this.cached = { content, mailings };
    return mailings;
  }

  /** Soft bounces of one address (distinct mailings). */
  async count(address: string): Promise<number> {
    return (await this.mailings()).get(addressKey(address.trim()))?.size ?? 0;
  }

  /** Soft bounces of every address that has any. */
  async counts(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const [address, mailings] of await this.mailings()) counts.set(address, mailings.size);
    return counts;
  }

  /** Records a soft bounce; suppresses the address when it reaches the limit. */
  async record(input: SoftBounceInput): Promise<SoftBounceResult> {
    const address = input.address.trim();
    if (!isValidEmail(address)) throw new SuppressionError('address-invalid', `'${input.address}' is not a valid address`);
    const mailing = input.mailing.trim();
    const detail = detailField(input.detail ?? '');
    const before = (await this.mailings()).get(addressKey(address));
    const recorded = !before?.has(mailing);
    if (recorded) await this.log.append([{ address, date: isoSecond(input.date ?? this.now()), mailing, detail }]);
    const count = await this.count(address);
    if (count < this.limit) return { count, recorded };
    const { added } = await this.suppression.add([{ address, reason: 'soft-bounce', mailing, detail: `${count} soft bounces; last: ${detail}`, date: input.date ?? this.now() }]);
    return added.length > 0 ? { count, recorded, suppressed: added[0] } : { count, recorded };
  }

  /** "Clear bounce flag": forgets the address's soft bounces and lifts its bounce suppression. */
  async clearBounceFlag(address: string): Promise<{ softBouncesCleared: number; suppressionRemoved: SuppressionEntry[] }> {
    const key = addressKey(address.trim());
    const cleared = await this.log.rewrite((record) => addressKey(record.address.trim()) !== key);
    const suppressionRemoved = await this.suppression.removeWhere((entry) => addressKey(entry.address) === key && (entry.reason === 'hard-bounce' || entry.reason === 'soft-bounce'));
    return { softBouncesCleared: cleared.length, suppressionRemoved };
  }
}
