import type { LogPosition } from './log-position.js';

/**
 * The event store port. Every app appends to the streams it owns and reacts to other apps'
 * events through subscriptions; nothing else moves facts between apps.
 * Two adapters implement it: PostgreSQL (default) and EventStoreDB. One contract suite
 * (`testing/event-store.contract.ts`) holds both to the same behaviour.
 */
export interface EventStore {
  /**
   * Appends events to one stream atomically. Validates every event first (stream name, known
   * type, schema, size): one bad event writes none. Re-appending event ids that the stream
   * already holds writes nothing and returns the original result.
   */
  appendToStream(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;

  /**
   * Appends to several streams in one go, each with its own expected state. PostgreSQL: one
   * transaction and one round trip, all or nothing. EventStoreDB has no multi-stream transaction:
   * every write is validated first, then the streams are appended one after another.
   */
  appendToStreams(writes: readonly StreamWrite[]): Promise<AppendResult[]>;

  /** Reads one stream; an unknown stream reads as empty. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Reads the global log in order, strictly after `after`, one page at a time. */
  readAll(options: ReadAllOptions): Promise<ReadAllPage>;

  /**
   * A durable named subscription: catches up from its checkpoint, then goes live; delivers in
   * log order, one event at a time; the next event is delivered only after the handler resolved.
   */
  subscribe(name: string, handler: EventHandler, options?: SubscriptionOptions): Subscription;

  /**
   * The same subscription, delivering a page at a time: each call gets the events of one read
   * (in log order, at least one, at most `batchSize`), and the next page is delivered only after
   * it resolved. A page counts as handled as a whole: the store-kept checkpoint moves to its last
   * event once the handler resolved; if the handler throws, the subscription stops and none of the
   * page counts as handled. For handlers that commit a page in one transaction (projections).
   */
  subscribePages(name: string, handler: PageHandler, options?: SubscriptionOptions): Subscription;

  /**
   * Checks every stream's hash chain, and its end against the stream's recorded head, in one
   * consistent view of the store. The first failure is the one a walk of the log in log order
   * meets first (each event checked against the events of its stream before it); only when no
   * event fails, head mismatches, in stream-name order. An adapter may read in another order
   * (PostgreSQL scans the table, then re-walks only the suspect streams in log order) as long as
   * it reports that same failure.
   */
  verifyIntegrity(options?: VerifyOptions): Promise<IntegrityReport>;

  /** The current head of the log (the position of the newest readable event), or null if empty. */
  headPosition(): Promise<LogPosition | null>;

  /** Cheap liveness probe for health checks. */
  ping(): Promise<void>;

  close(): Promise<void>;
}

/** Expected state of a stream before an append. */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | number;

export interface StreamWrite {
  stream: string;
  events: readonly NewEvent[];
  expectedRevision: ExpectedRevision;
}

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

export interface EventMetadata {
  correlationId: string;
  causationId: string | null;
  /** Who caused the event: a participant id, `system`, `engine:<market>` … */
  actor: string;
  /** ISO-8601 instant supplied by the writer (domain time, not the database clock). */
  occurredAt: string;
  schemaVersion: number;
}

export interface NewEvent<TType extends string = string, TData = unknown> {
  /** UUID; generated when omitted. Supplying it makes retries idempotent. */
  id?: string;
  type: TType;
  data: TData;
  metadata?: Partial<EventMetadata>;
}

export interface RecordedEvent<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  streamName: string;
  /** 0-based revision of the event inside its stream. */
  revision: number;
  data: TData;
  metadata: EventMetadata;
  position: LogPosition;
  /** Hash of this event chained to its stream predecessor (hex sha-256). */
  hash: string;
  previousHash: string;
  recordedAt: Date;
}

export interface AppendResult {
  /** Revision of the last event of the stream after the append. */
  nextRevision: number;
  /** Log position of the last event appended (or found, for an idempotent retry). */
  position: LogPosition;
  /** False when every event id was already in the stream and nothing was written. */
  written: boolean;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive start revision; default: the first (forwards) or the last (backwards). */
  fromRevision?: number;
  maxCount?: number;
}

export interface EventFilter {
  /** Stream categories: the part of the stream name before the first `-`. */
  streamCategories?: readonly string[];
  eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive; null or omitted reads from the start of the log. */
  after?: LogPosition | null;
  maxCount: number;
  filter?: EventFilter;
}

export interface ReadAllPage {
  events: RecordedEvent[];
  /**
   * Where the next page starts. With a filter this may be past the last returned event, so a
   * reader skips over events it filtered out without reading them again.
   */
  nextAfter: LogPosition | null;
  /** True when the page reached the current readable head of the log. */
  isEnd: boolean;
}

export type EventHandler = (event: RecordedEvent) => Promise<void>;

/** Handles one page of a subscription: events in log order, never empty. */
export type PageHandler = (events: readonly RecordedEvent[]) => Promise<void>;

export interface SubscriptionOptions {
  filter?: EventFilter;
  /**
   * `store` (default): the store keeps the subscription's checkpoint and saves it after each
   * handled event. `external`: the handler persists its own checkpoint (a projection commits it
   * in its own transaction) and `loadCheckpoint` tells the subscription where to resume.
   */
  checkpoint?: { kind: 'store' } | { kind: 'external'; load: () => Promise<LogPosition | null> };
  /** Events fetched per round trip while catching up (default 500): also the largest page. */
  batchSize?: number;
  /** Polling interval when no wake-up arrives (the LISTEN/NOTIFY fallback). */
  pollIntervalMs?: number;
  /**
   * Called when the handler throws, with the event it was given (a page handler: the page's first
   * event); the subscription stops after it (default: log and stop).
   */
  onError?: (error: unknown, event: RecordedEvent) => void;
}

export interface Subscription {
  readonly name: string;
  /** Resolves once the subscription has delivered everything up to the head seen at start. */
  readonly caughtUp: Promise<void>;
  /** Resolves when the subscription has stopped (after `stop()` or a handler failure). */
  readonly stopped: Promise<void>;
  /** Position of the last event handled in this process (null before the first; a page: its last event). */
  lastHandled(): LogPosition | null;
  stop(): Promise<void>;
}

export interface VerifyOptions {
  /** Verify only these streams; default: all. */
  streams?: readonly string[];
  /** Told, now and then, how many events have been checked so far (for a progress bar). */
  onProgress?: (eventsChecked: number) => void;
}

/**
 * The counts are of the streams (with at least one event) and events read. On a failure they may
 * stop at the failure (a log-order walk, EventStoreDB) or cover the whole view (PostgreSQL).
 */
export type IntegrityReport =
  | { ok: true; streamsChecked: number; eventsChecked: number }
  | {
      ok: false;
      streamsChecked: number;
      eventsChecked: number;
      firstFailure: IntegrityFailure;
    };

export interface IntegrityFailure {
  stream: string;
  /** The revision where the chain first breaks (the expected revision for a missing event). */
  revision: number;
  reason: 'content-altered' | 'chain-broken' | 'missing-event' | 'unexpected-event' | 'head-mismatch';
  detail: string;
}
