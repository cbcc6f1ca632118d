import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamRecordedEvent,
  type AllStreamSubscription,
  type Direction,
  type JSONType,
  type ReadStreamOptions as EsdbReadStreamOptions,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import type {
  StreamWrite,
  AppendOptions,
  AppendResult,
  EventFilter,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  IntegrityReport,
  NewEvent,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  RecordedEvent,
  VerifyOptions,
} from '../event-store.port.js';
import type { EventTypeRegistry } from '../event-type-registry.js';
import { comparePositions, formatPosition, parsePosition, type LogPosition } from '../log-position.js';
import { DuplicateEventIdError, InvalidStreamNameError, WrongExpectedVersionError } from '../errors.js';
import { assertValidStreamName, streamCategory } from '../stream-name.js';
import { prepareAppend, type PreparedEvent } from '../prepare-append.js';
import { GENESIS_HASH, chainHash } from '../hash-chain.js';
import { CatchUpSubscriber, type CatchUpSources, type CheckpointStore } from '../catch-up-subscription.js';
import { verifyHashChains, type StreamHead } from '../integrity.js';
import { WakeSignal } from '../wake-signal.js';

export interface EventStoreDbEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false` */
  connectionString: string;
  registry: EventTypeRegistry;
  maxEventBytes?: number;
  now?: () => Date;
  log?: (message: string, error?: unknown) => void;
}

/**
 * Subscription checkpoints live in ordinary streams `lxcheckpoint-<name>` (capped at one event),
 * so this category is reserved: readAll never returns these streams and appendToStream refuses it.
 */
const CHECKPOINT_CATEGORY = 'lxcheckpoint';
const CHECKPOINT_EVENT_TYPE = 'LxSubscriptionCheckpoint';
/**
 * An append looks for its event ids among the stream's last `batch length + this` events: a retry
 * normally follows its original closely, and the slack also recognises a retry that raced another
 * writer's append. Ids further back are not seen (ESDB has no index by event id).
 */
const RECENT_EVENTS_CHECKED = 32;
/** Re-reads after another writer got in between our read and our write ('any', 'stream_exists'). */
const MAX_APPEND_ATTEMPTS = 5;
const VERIFY_PAGE_SIZE = 1000;
/** Bounds on the chunks read from `$all`: it also holds system events, skipped client-side. */
const MIN_SCAN_CHUNK = 32;
const MAX_SCAN_CHUNK = 256;

/** What the ESDB event metadata holds: ours, ESDB's own correlation keys, and the hash chain. */
interface StoredMetadata extends EventMetadata {
  $correlationId: string;
  $causationId?: string;
  lx: { hash: string; previousHash: string };
}

/**
 * The event-store port on EventStoreDB, for the deployments that outgrow one PostgreSQL.
 * Global order is ESDB's `$all` (LogPosition = its commit/prepare position). Each event's chain
 * link travels in its ESDB metadata; every append is written at exactly the revision it was
 * chained onto, so two writers can never fork a stream's chain. Needs EventStoreDB 22.6 or later
 * (stream reads must return event positions) and a user allowed to read `$all`.
 * Where it falls short of the PostgreSQL adapter, for want of an index by event id or a table of
 * streams: a retried event id is recognised only among its stream's recent events, an id reused
 * in another stream is not refused, and integrity can only compare with streams that still exist.
 */
export class EventStoreDbEventStore extends CatchUpSubscriber implements EventStore {
  private readonly checkpoints: EventStoreDbCheckpoints;
  private readonly wakeUps: EventStoreDbWakeUps;

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbEventStoreOptions,
  ) {
    super();
    this.checkpoints = new EventStoreDbCheckpoints(client);
    this.wakeUps = new EventStoreDbWakeUps(client, options.log);
  }

  /** Connects and checks that the server answers. */
  static async connect(options: EventStoreDbEventStoreOptions): Promise<EventStoreDbEventStore> {
    const client = EventStoreDBClient.connectionString(options.connectionString);
    const store = new EventStoreDbEventStore(client, options);
    try {
      await store.ping();
    } catch (error) {
      await client.dispose();
      throw error;
    }
    return store;
  }

  /**
   * Reads the stream's tail, answers a retry from it, checks the caller's expectation against it,
   * then writes at exactly the revision read. When another writer got in between, ESDB refuses
   * the write and we look again: the second look decides (a wrong expectation now, or the
   * winner was this very append retried concurrently, or — for 'any'/'stream_exists' — retry).
   */
  /**
   * EventStoreDB has no transaction across streams: every write is validated first (so bad input
   * writes nothing), then the streams are appended one after another; a failure part-way leaves
   * the earlier streams written. Retrying the same writes is safe (idempotent by event id).
   */
  async appendToStreams(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    for (const write of writes) prepareAppend(write.stream, write.events, this.options);
    const results: AppendResult[] = [];
    for (const write of writes)
      results.push(
        await this.appendToStream(write.stream, write.events, { expectedRevision: write.expectedRevision }),
      );
    return results;
  }

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const prepared = prepareAppend(stream, events, this.options);
    if (prepared[0]!.category === CHECKPOINT_CATEGORY) throw new InvalidStreamNameError(stream);
    const expected = options.expectedRevision;
    if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0))
      throw new RangeError(`expectedRevision must be a non-negative integer, got ${expected}`);

    let actual: number | 'no_stream' = 'no_stream';
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
      const tail = await readEsdbStream(this.client, stream, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: prepared.length + RECENT_EVENTS_CHECKED,
      });
      const retried = alreadyAppended(tail, prepared);
      if (retried) return retried;
      const last = tail[0];
      actual = last ? Number(last.revision) : 'no_stream';
      if (!satisfies(expected, actual)) throw new WrongExpectedVersionError(stream, expected, actual);
      const written = await this.writeChained(stream, prepared, last);
      if (written) return written;
    }
    throw new WrongExpectedVersionError(stream, expected, actual);
  }

  /** Chains the events onto `last` and writes them at exactly its revision; null if that is no longer the tail. */
  private async writeChained(
    stream: string,
    prepared: readonly PreparedEvent[],
    last: EsdbRecordedEvent | undefined,
  ): Promise<AppendResult | null> {
    const firstRevision = last ? Number(last.revision) + 1 : 0;
    let previousHash = last ? chainLinkOf(last).hash : GENESIS_HASH;
    const toWrite = prepared.map((event, i) => {
      const hash = chainHash(previousHash, firstRevision + i, event.digest);
      const metadata: StoredMetadata = {
        ...event.metadata,
        $correlationId: event.metadata.correlationId,
        ...(event.metadata.causationId === null ? {} : { $causationId: event.metadata.causationId }),
        lx: { hash, previousHash },
      };
      previousHash = hash;
      return jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata });
    });

    const result = await this.client
      .appendToStream(stream, toWrite, { expectedRevision: last ? last.revision : NO_STREAM })
      .catch((error: unknown) => {
        if (error instanceof EsdbWrongExpectedVersionError) return null;
        throw error;
      });
    // `success` is false instead of an error when the connection string sets throwOnAppendFailure=false.
    if (!result?.success) return null;

    // The position is read back from the stream rather than taken from the append response, so
    // that it is the very position readStream and an idempotent retry report for this event.
    const [newest] = await readEsdbStream(this.client, stream, {
      fromRevision: result.nextExpectedRevision,
      maxCount: 1,
    });
    if (!newest)
      throw new Error(
        `EventStoreDB did not return event ${result.nextExpectedRevision} of "${stream}" it just wrote`,
      );
    return { nextRevision: Number(result.nextExpectedRevision), position: positionOf(newest), written: true };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertValidStreamName(stream);
    const backwards = options.direction === 'backwards';
    const events = await readEsdbStream(this.client, stream, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision:
        options.fromRevision === undefined ? (backwards ? END : START) : BigInt(options.fromRevision),
      maxCount: options.maxCount,
    });
    return events.map(toRecordedEvent);
  }

  /**
   * Filters client-side: `readAll` of @eventstore/db-client 6.2.1 takes no filter (server-side
   * filters exist only on subscriptions). `nextAfter` moves over the product's events that the
   * filter left out, never over system events or checkpoints alone: a checkpoint saved because
   * `nextAfter` moved would otherwise move every other subscription's `nextAfter`, and so on forever.
   */
  async readAll(options: ReadAllOptions): Promise<ReadAllPage> {
    const after = options.after ?? null;
    if (options.maxCount < 1) return { events: [], nextAfter: after, isEnd: false };
    const wanted = matcherFor(options.filter);
    const events: RecordedEvent[] = [];
    let nextAfter = after;
    const chunkSize = Math.min(Math.max(options.maxCount + 1, MIN_SCAN_CHUNK), MAX_SCAN_CHUNK);
    for await (const event of scanAll(this.client, FORWARDS, after, chunkSize)) {
      if (!isProductEvent(event)) continue;
      nextAfter = event.position;
      if (!wanted(event)) continue;
      events.push(toRecordedEvent(event));
      if (events.length === options.maxCount) break;
    }
    return { events, nextAfter, isEnd: events.length < options.maxCount };
  }

  protected catchUpSources(): CatchUpSources {
    return {
      readAll: (o) => this.readAll(o),
      checkpoints: this.checkpoints,
      wakeUp: this.wakeUps.waiter(),
      log: this.options.log,
    };
  }

  /**
   * Walks `$all` (or, for named streams, those streams merged into log order). The heads come
   * from reading each stream's last event: ESDB keeps no separate record of streams the way the
   * PostgreSQL adapter's stream table does, so a stream whose events are all gone (deleted and
   * scavenged) leaves no trace to report.
   */
  async verifyIntegrity(options: VerifyOptions = {}): Promise<IntegrityReport> {
    const only = options.streams ? new Set(options.streams) : undefined;
    const seen = new Set<string>();
    const events = only ? this.streamsInLogOrder([...only]) : this.wholeLog();
    async function* noting(): AsyncIterable<RecordedEvent> {
      for await (const event of events) {
        seen.add(event.streamName);
        yield event;
      }
    }
    return verifyHashChains(noting(), () => this.headsOf(only ?? seen), only, options.onProgress);
  }

  private async *wholeLog(): AsyncIterable<RecordedEvent> {
    let after: LogPosition | null = null;
    for (;;) {
      const page = await this.readAll({ after, maxCount: VERIFY_PAGE_SIZE });
      yield* page.events;
      if (page.isEnd) return;
      after = page.nextAfter;
    }
  }

  private async *streamsInLogOrder(streams: readonly string[]): AsyncIterable<RecordedEvent> {
    const perStream = await Promise.all(streams.map((stream) => readEsdbStream(this.client, stream, {})));
    yield* perStream
      .flat()
      .map(toRecordedEvent)
      .sort((a, b) => comparePositions(a.position, b.position));
  }

  private async *headsOf(streams: Iterable<string>): AsyncIterable<StreamHead> {
    for (const stream of streams) {
      const [last] = await readEsdbStream(this.client, stream, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      });
      if (last) yield { stream, revision: Number(last.revision), hash: chainLinkOf(last).hash };
    }
  }

  async headPosition(): Promise<LogPosition | null> {
    for await (const event of scanAll(this.client, BACKWARDS, null, MIN_SCAN_CHUNK))
      if (isProductEvent(event)) return event.position;
    return null;
  }

  async ping(): Promise<void> {
    await readAllChunk(this.client, FORWARDS, null, 1);
  }

  async close(): Promise<void> {
    await this.wakeUps.close();
    await this.client.dispose();
  }
}

/** Checkpoints in `lxcheckpoint-<name>`, written with the raw client: they are not catalogue events. */
class EventStoreDbCheckpoints implements CheckpointStore {
  private readonly capped = new Set<string>();

  constructor(private readonly client: EventStoreDBClient) {}

  async load(name: string): Promise<LogPosition | null> {
    const [last] = await readEsdbStream(this.client, checkpointStream(name), {
      direction: BACKWARDS,
      fromRevision: END,
      maxCount: 1,
    });
    const position = (last?.data as { position?: unknown } | undefined)?.position;
    return typeof position === 'string' ? parsePosition(position) : null;
  }

  async save(name: string, position: LogPosition): Promise<void> {
    const stream = checkpointStream(name);
    if (!this.capped.has(name)) {
      // Only the newest checkpoint matters; the server may scavenge the older ones.
      await this.client.setStreamMetadata(stream, { maxCount: 1 });
      this.capped.add(name);
    }
    await this.client.appendToStream(
      stream,
      jsonEvent({ type: CHECKPOINT_EVENT_TYPE, data: { position: formatPosition(position) } }),
    );
  }
}

/**
 * One live `$all` subscription per store, shared by its catch-up subscriptions: any new product
 * event wakes every waiter. Waiters also wake on their poll interval, so a dropped subscription
 * only slows delivery down until the next wait opens a new one.
 */
class EventStoreDbWakeUps {
  private live: AllStreamSubscription | null = null;
  private readonly signal = new WakeSignal();
  private closed = false;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly log?: (message: string, error?: unknown) => void,
  ) {}

  /** A wait function for one subscription: returns at once if woken since its last wait. */
  waiter(): (timeoutMs: number, signal: AbortSignal) => Promise<void> {
    return this.signal.waiter(() => this.ensureLive());
  }

  private ensureLive(): void {
    if (this.live || this.closed) return;
    const live = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    live.on('data', (resolved) => {
      // Checkpoint writes must not wake the subscriptions that wrote them.
      if (resolved.event && !isCheckpointStream(resolved.event.streamId)) this.wakeAll();
    });
    // The client re-emits gRPC errors without closing the stream: drop it either way.
    const drop = (): void => {
      if (this.live === live) this.live = null;
    };
    live.on('error', (error) => {
      drop();
      this.log?.('EventStoreDB live subscription failed; polling until it is back', error);
      live.unsubscribe().catch(() => undefined);
    });
    live.on('close', drop);
    this.live = live;
  }

  private wakeAll(): void {
    this.signal.wakeAll();
  }

  async close(): Promise<void> {
    this.closed = true;
    const live = this.live;
    this.live = null;
    this.wakeAll();
    if (live) await live.unsubscribe().catch(() => undefined);
  }
}

function checkpointStream(subscriptionName: string): string {
  return `${CHECKPOINT_CATEGORY}-${subscriptionName}`;
}

function isCheckpointStream(stream: string): boolean {
  return stream.startsWith(`${CHECKPOINT_CATEGORY}-`);
}

/** Not an ESDB system event (`$` stream or type) and not one of our checkpoints. */
function isProductEvent(event: AllStreamRecordedEvent): boolean {
  return (
    !event.streamId.startsWith('$') && !event.type.startsWith('$') && !isCheckpointStream(event.streamId)
  );
}

function matcherFor(filter: EventFilter | undefined): (event: AllStreamRecordedEvent) => boolean {
  const categories = filter?.streamCategories?.length ? new Set(filter.streamCategories) : null;
  const types = filter?.eventTypes?.length ? new Set(filter.eventTypes) : null;
  return (event) =>
    (!categories || categories.has(streamCategory(event.streamId))) && (!types || types.has(event.type));
}

function satisfies(expected: ExpectedRevision, actual: number | 'no_stream'): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 'no_stream';
  if (expected === 'stream_exists') return actual !== 'no_stream';
  return actual === expected;
}

/**
 * The result of the original append when the stream's recent tail (newest first) already holds
 * every id of this one; null when it holds none of them. Some but not all: refused, as PostgreSQL does.
 */
function alreadyAppended(
  tail: readonly EsdbRecordedEvent[],
  prepared: readonly PreparedEvent[],
): AppendResult | null {
  const ids = new Set(prepared.map((event) => event.id));
  const found = tail.filter((event) => ids.has(event.id.toLowerCase()));
  if (found.length === 0) return null;
  if (new Set(found.map((event) => event.id.toLowerCase())).size < ids.size)
    throw new DuplicateEventIdError(prepared.map((event) => event.id));
  const newest = found[0]!;
  return { nextRevision: Number(newest.revision), position: positionOf(newest), written: false };
}

function chainLinkOf(event: EsdbRecordedEvent): { hash: string; previousHash: string } {
  const link = (event.metadata as Partial<StoredMetadata> | undefined)?.lx;
  // An event written around this adapter has no link: it reads as '' and fails verification.
  return { hash: link?.hash ?? '', previousHash: link?.previousHash ?? '' };
}

function positionOf(event: EsdbRecordedEvent): LogPosition {
  if (!event.position)
    throw new Error(
      'EventStoreDB returned an event without its log position: this adapter needs EventStoreDB 22.6 or later',
    );
  return { commit: event.position.commit, prepare: event.position.prepare };
}

function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  const stored = (event.metadata ?? {}) as Partial<StoredMetadata>;
  const metadata = {
    correlationId: stored.correlationId,
    causationId: stored.causationId,
    actor: stored.actor,
    occurredAt: stored.occurredAt,
    schemaVersion: stored.schemaVersion,
  } as EventMetadata;
  return {
    id: event.id.toLowerCase(),
    type: event.type,
    streamName: event.streamId,
    revision: Number(event.revision),
    data: event.data,
    metadata,
    position: positionOf(event),
    ...chainLinkOf(event),
    recordedAt: event.created,
  };
}

/** Reads one ESDB stream to the end of the request; a stream that does not exist reads as empty. */
async function readEsdbStream(
  client: EventStoreDBClient,
  stream: string,
  options: EsdbReadStreamOptions,
): Promise<EsdbRecordedEvent[]> {
  const events: EsdbRecordedEvent[] = [];
  try {
    for await (const resolved of client.readStream(stream, options))
      if (resolved.event) events.push(resolved.event);
  } catch (error) {
    if (error instanceof StreamNotFoundError) return [];
    throw error;
  }
  return events;
}

/**
 * One request on `$all`, read to its end. ESDB starts a read at `from` inclusively (forwards),
 * so callers skip the event at their cursor; `exhausted` says the log ended inside this chunk.
 */
async function readAllChunk(
  client: EventStoreDBClient,
  direction: Direction,
  from: LogPosition | null,
  maxCount: number,
): Promise<{ events: AllStreamRecordedEvent[]; exhausted: boolean }> {
  const events: AllStreamRecordedEvent[] = [];
  let received = 0;
  const fromPosition = from ?? (direction === FORWARDS ? START : END);
  for await (const resolved of client.readAll({ direction, fromPosition, maxCount })) {
    received++;
    if (resolved.event) events.push(resolved.event);
  }
  return { events, exhausted: received < maxCount };
}

/**
 * `$all` strictly after `cursor` (forwards) or strictly before it (backwards), chunk by chunk.
 * Each chunk is read completely before its events are yielded, so a consumer that stops early
 * leaves no request open.
 */
async function* scanAll(
  client: EventStoreDBClient,
  direction: Direction,
  cursor: LogPosition | null,
  chunkSize: number,
): AsyncIterable<AllStreamRecordedEvent> {
  // At least 2: a chunk may begin with the event at the cursor itself, which is skipped.
  const size = Math.max(chunkSize, 2);
  const beyond = direction === FORWARDS ? 1 : -1;
  for (;;) {
    const { events, exhausted } = await readAllChunk(client, direction, cursor, size);
    let advanced = false;
    for (const event of events) {
      if (cursor && Math.sign(comparePositions(event.position, cursor)) !== beyond) continue;
      cursor = event.position;
      advanced = true;
      yield event;
    }
    if (exhausted || !advanced) return;
  }
}
