import type { EventFilter, ReadAllOptions, ReadAllPage, RecordedEvent } from '../event-store.port.js';
import { comparePositions, type LogPosition } from '../log-position.js';
import { streamCategory } from '../stream-name.js';

const START: LogPosition = { commit: 0n, prepare: 0n };

/**
 * A stretch of the log held in memory: every event with a position in (`from`, `to`], in log
 * order. `to` is where the read that made it stopped (a page's last event, or the horizon it
 * scanned to); `atHead` says whether that read reached the readable head.
 */
interface Segment {
  /** The last request made before the read that last extended it started. */
  ticket: number;
  from: LogPosition;
  to: LogPosition;
  events: RecordedEvent[];
  atHead: boolean;
}

export interface SharedLogTailOptions {
  /** An unfiltered read of the log (the store's own `readAll`). */
  read: (options: ReadAllOptions) => Promise<ReadAllPage>;
  /** Events fetched per shared read (default 1 000). */
  pageSize?: number;
  /** Events kept in memory (default 4 000); a subscription further behind reads on its own. */
  capacity?: number;
}

/**
 * One read of the log's tail per process instead of one per subscription (docs/architecture.md
 * §2). Every subscription of a store is woken by the same append and reads the same new
 * events; each used to read them with its own query (a look at the read horizon, the rows, their
 * JSON), so the database did the same work once per subscription — most of its CPU under load.
 * Subscriptions at the tail now share one unfiltered read, kept as a segment, and each takes from
 * it the events its filter wants; a subscription behind the segment (catching up) reads on its
 * own, with its filter, as before.
 *
 * What a subscription gets is exactly what its own read would have returned at some moment after
 * it asked: a shared read is used only if it started after the request (`ticket`), so an event
 * committed before a subscription was woken is never missed by the read that the wake-up caused.
 * Reads that arrive while one is in flight wait for the next one, which they all share. Events are
 * shared between subscriptions and frozen, data and metadata to the last nested value.
 */
export class SharedLogTail {
  private segment: Segment | null = null;
  private requests = 0;
  /** The shared read due or in flight; `startTicket`: the last request made before it started. */
  private fetching: { startTicket: number; done: Promise<void> } | null = null;
  private readonly pageSize: number;
  private readonly capacity: number;
  /** Reads served from the segment and reads made for it, for tests and metrics. */
  readonly stats = { served: 0, fetches: 0, direct: 0 };

  constructor(private readonly options: SharedLogTailOptions) {
    this.pageSize = options.pageSize ?? 1000;
    this.capacity = Math.max(options.capacity ?? 4000, this.pageSize);
  }

  async read(options: ReadAllOptions): Promise<ReadAllPage> {
    const ticket = ++this.requests;
    const after = options.after ?? START;
    const held = this.segment;
    if (held && comparePositions(after, held.from) < 0) return this.direct(options);
    if (held && covers(held, after)) {
      const served = this.serve(held, after, options);
      // What was held is enough — a full page, or all there was when this request came.
      if (!served.reachedEnd || held.ticket >= ticket) return served.page;
    }
    // At the end of what is held, or what is held is older than this request: a shared read that
    // started after it, from the segment's end (or from here, if nothing useful is held).
    await this.freshFetch(ticket, after);
    const fresh = this.segment;
    if (fresh && covers(fresh, after)) return this.serve(fresh, after, options).page;
    if (fresh && comparePositions(after, fresh.to) === 0)
      return { events: [], nextAfter: options.after ?? null, isEnd: fresh.atHead };
    return this.direct(options);
  }

  private direct(options: ReadAllOptions): Promise<ReadAllPage> {
    this.stats.direct++;
    return this.options.read(options);
  }

  /** The held events after `after` that the filter wants; `reachedEnd`: every held one was looked at. */
  private serve(
    segment: Segment,
    after: LogPosition,
    options: ReadAllOptions,
  ): { page: ReadAllPage; reachedEnd: boolean } {
    this.stats.served++;
    const events: RecordedEvent[] = [];
    const { events: held } = segment;
    for (let i = firstAfter(held, after); i < held.length; i++) {
      const event = held[i]!;
      if (!matches(event, options.filter)) continue;
      events.push(event);
      if (events.length === options.maxCount)
        return { page: { events, nextAfter: event.position, isEnd: false }, reachedEnd: false };
    }
    // Every held event after `after` was looked at: a filtered reader may skip to the segment's end.
    return { page: { events, nextAfter: segment.to, isEnd: segment.atHead }, reachedEnd: true };
  }

  /**
   * Waits for a shared read that started after request `ticket`, starting one if none is due. A
   * read starts on the next turn of the event loop, so that the subscriptions one wake-up woke (they
   * ask one after another within the same turn) all share it.
   */
  private async freshFetch(ticket: number, after: LogPosition): Promise<void> {
    for (;;) {
      const current = this.fetching;
      if (current && current.startTicket >= ticket) return current.done;
      if (current) {
        await current.done.catch(() => undefined); // not this request's read: its failure is not ours
        continue;
      }
      const fetching = { startTicket: Number.POSITIVE_INFINITY, done: Promise.resolve() };
      fetching.done = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => {
          fetching.startTicket = this.requests;
          return this.fetch(after, fetching.startTicket);
        })
        .finally(() => {
          if (this.fetching === fetching) this.fetching = null;
        });
      this.fetching = fetching;
      return fetching.done;
    }
  }

  /**
   * Reads after the segment's end and extends the segment; or, when the segment was left behind
   * (no read reached the head with it) and the reader is past it, starts a new one at the reader.
   */
  private async fetch(after: LogPosition, ticket: number): Promise<void> {
    this.stats.fetches++;
    const held = this.segment;
    const extend = held !== null && (held.atHead || comparePositions(after, held.to) <= 0);
    const from = extend ? held.to : after;
    // A failure reaches every reader that waited for this read, as its own read's would.
    const page = await this.options.read({ after: from, maxCount: this.pageSize });
    const fetched = page.events.map(freeze);
    const to = page.nextAfter ?? from;
    if (extend && this.segment === held) {
      let events = held.events.concat(fetched);
      let start = held.from;
      if (events.length > this.capacity) {
        const dropped = events.length - this.capacity;
        start = events[dropped - 1]!.position;
        events = events.slice(dropped);
      }
      this.segment = { ticket, from: start, to, events, atHead: page.isEnd };
    } else {
      this.segment = { ticket, from, to, events: fetched, atHead: page.isEnd };
    }
  }
}

/** The segment holds every event after `after` up to its end, and something may lie after it. */
function covers(segment: Segment, after: LogPosition): boolean {
  return comparePositions(after, segment.from) >= 0 && comparePositions(after, segment.to) < 0;
}

/** The index of the first held event after `after` (binary search: held events are in log order). */
function firstAfter(events: readonly RecordedEvent[], after: LogPosition): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (comparePositions(events[mid]!.position, after) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

function matches(event: RecordedEvent, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.eventTypes?.length && !filter.eventTypes.includes(event.type)) return false;
  if (filter.streamCategories?.length && !filter.streamCategories.includes(streamCategory(event.streamName)))
    return false;
  return true;
}

/** Shared by every subscription of the process: no handler may change what another one reads. */
function freeze(event: RecordedEvent): RecordedEvent {
  deepFreeze(event.data);
  deepFreeze(event.metadata);
  Object.freeze(event.position);
  return Object.freeze(event);
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
