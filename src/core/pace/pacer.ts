// Which recipient the send engine hands off next, and when: the in-memory half of the pace (the
// quota ledger, on disk, is the other). The recipients are split into lanes — one per local-time
// wave (zone) and, with `sending.perDomain`, per limited recipient domain — so that a closed window
// in one zone, a wave not yet due or a domain at its rate never holds up the others.
//
// A lane may send when its wave is due, its window (in its zone) is open and its domain's rate has a
// token; a recipient whose retry fell due goes through the same gates. The server's rate (the
// controller's, lowered by "too fast" replies) applies to every hand-off. Lanes sit in a heap by the
// moment they may send next; that moment is re-read when a lane reaches the top, so a window that
// closed meanwhile or a rate that changed is always honoured.
import type { Recipient, SendingOptions, WaitReason } from '../types';
import { perSecond } from '../send/rateLimiter';
import { RateController } from './rateController';
import { groupByZone, waveMoment } from './waves';
import { SendWindow } from './window';

/** Progress of a recipient as the pacer needs it: only Pending recipients are picked from lanes. */
const PENDING = 0;

export interface PacerOptions {
  recipients: readonly Recipient[];
  sending: SendingOptions;
  /** The mailing's zone. */
  zone: string;
  /** The scheduled moment (epoch ms): with localTime, each zone's wave is due at its wall-clock time. */
  scheduledAt?: number;
  /** Each recipient's progress (the fold's array; 0 = pending). */
  progress: Uint8Array;
  /** Rates the controllers start from (the last ones journaled: a resumed send does not forget throttling). */
  startRates?: ReadonlyMap<string, number>;
  now: number;
  /** A controller changed a rate: key '' is the server, otherwise a domain. */
  onRate?: (key: string, perSecond: number, now: number) => void;
}

export type Pick =
  | { kind: 'recipient'; i: number }
  /** Nothing may go before `until`; `gate` says what holds everything up when it is a window or a wave. */
  | { kind: 'wait'; until: number; gate?: WaitReason }
  | { kind: 'done' };

interface Group {
  zone: string;
  dueAt: number;
  window?: SendWindow;
}

interface Lane {
  group: number;
  /** The domain-limiter key ('' when the lane's domain has no rate of its own). */
  domain: string;
  queue: Uint32Array;
  cursor: number;
  /** Recipients given back (picked but never handed off): sent first. */
  returned: number[];
  /** Position in the heap's ordering. */
  readyAt: number;
}

/** Min-heap by a numeric key. */
class Heap<T> {
  private items: { key: number; value: T }[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): { key: number; value: T } | undefined {
    return this.items[0];
  }
  push(key: number, value: T): void {
    const items = this.items;
    items.push({ key, value });
    for (let k = items.length - 1; k > 0; ) {
      const parent = (k - 1) >> 1;
      if (items[parent].key <= items[k].key) break;
      [items[parent], items[k]] = [items[k], items[parent]];
      k = parent;
    }
  }
  pop(): { key: number; value: T } | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let k = 0; ; ) {
        const l = 2 * k + 1;
        const r = l + 1;
        let m = k;
        if (l < items.length && items[l].key < items[m].key) m = l;
        if (r < items.length && items[r].key < items[m].key) m = r;
        if (m === k) break;
        [items[m], items[k]] = [items[k], items[m]];
        k = m;
      }
    }
    return top;
  }
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

export class Pacer {
  readonly server: RateController;
  private readonly domains = new Map<string, RateController>();
  private readonly domainRates = new Map<string, number>();
  private starRate?: number;
  private readonly groups: Group[];
  private readonly zoneOf?: Uint16Array;
  private readonly lanes: Lane[] = [];
  private readonly laneOf: Uint32Array;
  private readonly heap = new Heap<Lane>();
  private readonly retries = new Heap<number>();
  private readonly progress: Uint8Array;

  constructor(private readonly options: PacerOptions) {
    const { sending, recipients, now } = options;
    this.progress = options.progress;
    const configured = sending.rate ? perSecond(sending.rate) : Infinity;
    this.server = new RateController(configured, now, (rate, at) => options.onRate?.('', rate, at));
    this.resume(this.server, options.startRates?.get(''), now);
    for (const entry of sending.perDomain ?? []) {
      if (entry.domain === '*') this.starRate = perSecond(entry.rate);
      else this.domainRates.set(entry.domain, perSecond(entry.rate));
    }

    // Groups: one per zone with localTime, else one in the mailing's zone.
    let zones = [options.zone];
    if (sending.localTime) {
      const grouped = groupByZone(recipients, options.zone);
      zones = grouped.zones;
      this.zoneOf = grouped.zoneOf;
    }
    this.groups = zones.map((zone) => {
      const dueAt = sending.localTime && options.scheduledAt !== undefined ? waveMoment(options.scheduledAt, options.zone, zone) : 0;
      return { zone, dueAt, ...(sending.window ? { window: new SendWindow(sending.window, zone) } : {}) };
    });

    // Lanes: (group, limited domain).
    const laneIndex = new Map<string, number>();
    const members: number[][] = [];
    this.laneOf = new Uint32Array(recipients.length);
    const limitedDomains = this.domainRates.size > 0 || this.starRate !== undefined;
    for (let i = 0; i < recipients.length; i++) {
      const group = this.zoneOf ? this.zoneOf[i] : 0;
      const domain = limitedDomains ? this.limitKey(domainOf(recipients[i].email)) : '';
      const key = `${group}\u0000${domain}`;
      let lane = laneIndex.get(key);
      if (lane === undefined) {
        lane = this.lanes.length;
        laneIndex.set(key, lane);
        this.lanes.push({ group, domain, queue: new Uint32Array(0), cursor: 0, returned: [], readyAt: 0 });
        members.push([]);
      }
      members[lane].push(i);
      this.laneOf[i] = lane;
    }
    this.lanes.forEach((lane, k) => {
      lane.queue = Uint32Array.from(members[k]);
      this.heap.push(0, lane);
    });
  }

  /** Starts a controller from the rate a previous run left it at (never above its own ceiling). */
  private resume(controller: RateController, rate: number | undefined, now: number): void {
    if (rate !== undefined && rate > 0 && rate < controller.ceiling) controller.limiter.setRate(rate, now);
  }

  /** The domain-limiter key of a recipient domain: itself when it has a rate (its own or `*`'s), else ''. */
  private limitKey(domain: string): string {
    return this.domainRates.has(domain) || this.starRate !== undefined ? domain : '';
  }

  /** The controller of a limited domain (created on first use); undefined for '' . */
  domain(key: string, now: number): RateController | undefined {
    if (!key) return undefined;
    let controller = this.domains.get(key);
    if (!controller) {
      const rate = this.domainRates.get(key) ?? this.starRate ?? Infinity;
      controller = new RateController(rate, now, (perSecondRate, at) => this.options.onRate?.(key, perSecondRate, at));
      this.resume(controller, this.options.startRates?.get(key), now);
      this.domains.set(key, controller);
    }
    return controller;
  }

  /** The rate controller that answers for recipient `i`'s domain (undefined: the server's alone). */
  domainControllerOf(i: number, now: number): RateController | undefined {
    return this.domain(this.lanes[this.laneOf[i]].domain, now);
  }

  /** The zone recipient `i` is sent in (its own with localTime). */
  zoneOfRecipient(i: number): string {
    return this.groups[this.zoneOf ? this.zoneOf[i] : 0].zone;
  }

  /** Whether recipient `i` may be handed off at `now` as far as its window goes. */
  inWindow(i: number, now: number): boolean {
    const group = this.groups[this.zoneOf ? this.zoneOf[i] : 0];
    return now >= group.dueAt && (!group.window || group.window.contains(now));
  }

  /** When a group may send from `now` on, and what holds it up until then. */
  private groupReadyAt(group: Group, now: number): { at: number; gate?: WaitReason } {
    const from = Math.max(now, group.dueAt);
    if (!group.window) return from > now ? { at: from, gate: 'wave' } : { at: now };
    const opening = group.window.nextOpening(from) ?? Infinity;
    if (opening <= now) return { at: now };
    return { at: opening, gate: opening === from && from > now ? 'wave' : 'window' };
  }

  private laneReadyAt(lane: Lane, now: number): { at: number; gate?: WaitReason } {
    const ready = this.groupReadyAt(this.groups[lane.group], now);
    const limiter = this.domain(lane.domain, now)?.limiter;
    const token = limiter ? limiter.nextAt(Math.max(now, ready.at)) : now;
    return token > ready.at ? { at: token } : ready;
  }

  private nextPending(lane: Lane): number | undefined {
    while (lane.returned.length > 0) {
      const i = lane.returned.pop()!;
      if (this.progress[i] === PENDING) return i;
    }
    while (lane.cursor < lane.queue.length && this.progress[lane.queue[lane.cursor]] !== PENDING) lane.cursor++;
    return lane.cursor < lane.queue.length ? lane.queue[lane.cursor++] : undefined;
  }

  private hasPending(lane: Lane): boolean {
    if (lane.returned.some((i) => this.progress[i] === PENDING)) return true;
    while (lane.cursor < lane.queue.length && this.progress[lane.queue[lane.cursor]] !== PENDING) lane.cursor++;
    return lane.cursor < lane.queue.length;
  }

  /** Takes the tokens of a hand-off of recipient `i` at `now`. */
  private take(i: number, now: number): Pick {
    this.server.limiter.tryTake(now);
    this.domain(this.lanes[this.laneOf[i]].domain, now)?.limiter.tryTake(now);
    return { kind: 'recipient', i };
  }

  /** The next recipient that may be handed off at `now`, or how long nothing may. */
  pick(now: number): Pick {
    const serverAt = this.server.limiter.nextAt(now);
    if (serverAt > now) return { kind: 'wait', until: serverAt };
    let earliest: { at: number; gate?: WaitReason } = { at: Infinity };
    const later = (ready: { at: number; gate?: WaitReason }) => {
      if (ready.at < earliest.at) earliest = ready;
    };

    // Retries that fell due, through their lane's gates.
    const parked: { key: number; i: number }[] = [];
    let found: number | undefined;
    for (let top = this.retries.peek(); top && top.key <= now; top = this.retries.peek()) {
      const { value: i } = this.retries.pop()!;
      const ready = this.laneReadyAt(this.lanes[this.laneOf[i]], now);
      if (ready.at <= now) {
        found = i;
        break;
      }
      parked.push({ key: ready.at, i });
      later(ready);
    }
    for (const entry of parked) this.retries.push(entry.key, entry.i);
    if (found !== undefined) return this.take(found, now);
    const nextRetry = this.retries.peek();
    if (nextRetry) later({ at: nextRetry.key });

    // Pending recipients, lane by lane.
    for (let top = this.heap.peek(); top && top.key <= now; top = this.heap.peek()) {
      const { value: lane } = this.heap.pop()!;
      if (!this.hasPending(lane)) continue; // exhausted (a given-back recipient re-adds its lane)
      const ready = this.laneReadyAt(lane, now);
      if (ready.at <= now) {
        const i = this.nextPending(lane)!;
        this.heap.push(now, lane);
        return this.take(i, now);
      }
      lane.readyAt = ready.at;
      this.heap.push(ready.at, lane);
      later(ready);
      if (ready.at === Infinity) break; // every window closed for good: nothing more to find here
    }
    const nextLane = this.heap.peek();
    if (nextLane && nextLane.key > now) later({ at: nextLane.key, gate: this.laneReadyAt(nextLane.value, now).gate });
    if (earliest.at === Infinity && this.retries.size === 0 && this.heap.size === 0) return { kind: 'done' };
    return { kind: 'wait', until: earliest.at, ...(earliest.gate ? { gate: earliest.gate } : {}) };
  }

  /** A deferred recipient, to retry at `at`. */
  defer(i: number, at: number): void {
    this.retries.push(at, i);
  }

  /** A picked recipient that was not handed off: back to the front of its lane (or to its retry). */
  giveBack(i: number, retryAt?: number): void {
    if (retryAt !== undefined) {
      this.retries.push(retryAt, i);
      return;
    }
    const lane = this.lanes[this.laneOf[i]];
    lane.returned.push(i);
    this.heap.push(0, lane);
  }
}
