// Awaiting scheduler events (in-process, or JSON lines from child processes) instead of sleeping.
import type { SchedulerEvent } from '../../src/core/schedule/scheduler';

/** A scheduler's event, or a child scheduler process saying it has campaigned (`ready`); `pid` from a child. */
export type RecordedEvent = (SchedulerEvent | { type: 'ready'; leader: boolean }) & { pid?: number };

/** Records events and resolves waiters when an event matching their predicate arrives (or already did). */
export class EventLog {
  readonly events: RecordedEvent[] = [];
  private waiters: { predicate: (event: RecordedEvent) => boolean; resolve: (event: RecordedEvent) => void }[] = [];

  readonly record = (event: RecordedEvent): void => {
    this.events.push(event);
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(event)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  };

  /** The first event (past or future) matching `predicate`. */
  first(predicate: (event: RecordedEvent) => boolean): Promise<RecordedEvent> {
    const seen = this.events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return this.next(predicate);
  }

  /** The next event from now on matching `predicate`. */
  next(predicate: (event: RecordedEvent) => boolean): Promise<RecordedEvent> {
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  /** Resolves once `count` events match `predicate`. */
  async count(predicate: (event: RecordedEvent) => boolean, count: number): Promise<void> {
    while (this.events.filter(predicate).length < count) await this.next(predicate);
  }

  of(type: RecordedEvent['type'], file?: string): RecordedEvent[] {
    return this.events.filter((e) => e.type === type && (file === undefined || ('file' in e && e.file === file)));
  }
}

export const is =
  (type: RecordedEvent['type'], file?: string) =>
  (event: RecordedEvent): boolean =>
    event.type === type && (file === undefined || ('file' in event && event.file === file));
