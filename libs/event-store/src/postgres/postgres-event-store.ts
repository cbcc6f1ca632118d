import pg from 'pg';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  IntegrityReport,
  NewEvent,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  RecordedEvent,
  VerifyOptions,
  StreamWrite,
  EventMetadata,
} from '../event-store.port.js';
import type { EventTypeRegistry } from '../event-type-registry.js';
import type { LogPosition } from '../log-position.js';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../errors.js';
import { assertValidStreamName } from '../stream-name.js';
import { prepareAppend, type PreparedEvent } from '../prepare-append.js';
import { runMigrationsOnPool } from '../migrator.js';
import { eventStoreMigration } from './migrations/001-event-store.js';
import { notifyAfterCommitMigration } from './migrations/002-notify-after-commit.js';
import { appendManyMigration } from './migrations/003-append-many.js';
import { appendInLogOrderMigration } from './migrations/004-append-in-log-order.js';
import { lockStreamsFirstMigration } from './migrations/005-lock-streams-first.js';
import { appendBatchMigration } from './migrations/006-append-batch.js';
import { databaseReadHorizonMigration } from './migrations/007-database-read-horizon.js';
import { appendsNothingMigration } from './migrations/008-transactions-that-append-nothing.js';
export { APPENDS_NOTHING_SQL } from './migrations/008-transactions-that-append-nothing.js';
import { CatchUpSubscriber, type CatchUpSources, type CheckpointStore } from '../catch-up-subscription.js';
import { verifyHashChains, type StreamHead } from '../integrity.js';
import { cursorBatches, type ScanFindings } from './verify-scan.js';
import { firstPass } from './verify-workers.js';
import { createPostgresPool } from './postgres-pool.js';
import { PostgresWakeUps } from './postgres-wake-ups.js';
import { SharedLogTail } from './shared-log-tail.js';

export interface PostgresEventStoreOptions {
  /** The database; the LISTEN/NOTIFY wake-ups hold a dedicated connection to it, outside any pool. */
  connectionString: string;
  registry: EventTypeRegistry;
  /**
   * The process's PostgreSQL pool, when the store is one of its users (an app's, shared with its
   * read models): queried through, left open by `close`, which is its owner's. Without it the
   * store opens a pool of its own (`poolSize`, 10 by default) and ends it on `close`.
   */
  pool?: pg.Pool;
  poolSize?: number;
  maxEventBytes?: number;
  now?: () => Date;
  log?: (message: string, error?: unknown) => void;
}

/** A transaction of `appendInTransaction`: its statements run on its one connection, before its append. */
export interface LogTransaction {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** A store that appends inside a transaction of the caller's on the log's own database (the PostgreSQL store). */
export interface AppendsInTransaction {
  appendInTransaction: PostgresEventStore['appendInTransaction'];
}

export const appendsInTransaction = (store: object): store is AppendsInTransaction =>
  typeof (store as Partial<AppendsInTransaction>).appendInTransaction === 'function';

/** What the work of such a transaction decided: the writes to append before it commits (none: it commits without), and its answer. */
export interface TransactionDecision<T> {
  writes: readonly StreamWrite[];
  result: T;
}

const MAX_BIGINT = 9223372036854775807n;
const EVENT_COLUMNS = `global_position, transaction_id::text AS transaction_id, event_id, stream_name, stream_version,
  event_type, data, metadata, previous_hash, hash, recorded_at`;

/** The default event store: one PostgreSQL database, gap-safe global order, LISTEN/NOTIFY wake-ups. */
export class PostgresEventStore
  extends CatchUpSubscriber
  implements EventStore, CheckpointStore, AppendsInTransaction
{
  private readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly wakeUps: PostgresWakeUps;
  /** The subscriptions' reads at the tail of the log, one query for all of them (shared-log-tail.ts). */
  private readonly tail = new SharedLogTail({ read: (options) => this.readAll(options) });

  private constructor(private readonly options: PostgresEventStoreOptions) {
    super();
    this.ownsPool = options.pool === undefined;
    this.pool =
      options.pool ??
      createPostgresPool({
        connectionString: options.connectionString,
        max: options.poolSize ?? 10,
        purpose: 'event-store',
        log: options.log,
      });
    this.wakeUps = new PostgresWakeUps(options.connectionString, (sql) => this.pool.query(sql), options.log);
  }

  /** Connects and applies the event-store migrations (idempotent, safe from several processes). */
  static async connect(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    await runMigrationsOnPool(store.pool, [
      eventStoreMigration,
      notifyAfterCommitMigration,
      appendManyMigration,
      appendInLogOrderMigration,
      lockStreamsFirstMigration,
      appendBatchMigration,
      databaseReadHorizonMigration,
      appendsNothingMigration,
    ]);
    return store;
  }

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const [result] = await this.appendToStreams([
      { stream, events, expectedRevision: options.expectedRevision },
    ]);
    return result!;
  }

  async appendToStreams(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    if (writes.length === 0) return [];
    const prepared = this.prepareWrites(writes);
    const results = await this.retryingAppend((viaMany) => this.appendPrepared(this.pool, prepared, viaMany));
    if (results.some((result) => result.written)) this.wakeUps.announce();
    return results;
  }

  /**
   * Runs `work` and appends the writes it decides in ONE transaction on one connection of the
   * store's pool: what `work` read, under the locks it took (transaction-scoped), and the append
   * commit together, and no second connection is held meanwhile. For a check that must hold until
   * its append is in the log (the sellers' suppression lock, docs/architecture.md §4.3) on the log's
   * own database. The writes are validated and appended as by `appendToStreams`; an append that must
   * be retried (a new transaction id, an idempotent retry) runs the whole transaction again, `work`
   * included, so `work` must read what it decides on afresh each time and have no other effect.
   * `beginWith`: a statement without parameters (a lock) sent with the BEGIN, in the same round trip.
   */
  async appendInTransaction<T>(
    work: (transaction: LogTransaction) => Promise<TransactionDecision<T>>,
    options: { beginWith?: string } = {},
  ): Promise<{ result: T; appended: AppendResult[] }> {
    const outcome = await this.retryingAppend(async (viaMany) => {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(options.beginWith ? `BEGIN; ${options.beginWith}` : 'BEGIN');
        const decision = await work({ query: (text, values) => client.query(text, values as unknown[]) });
        const appended =
          decision.writes.length > 0
            ? await this.appendPrepared(client, this.prepareWrites(decision.writes), viaMany)
            : [];
        await client.query('COMMIT');
        return { result: decision.result, appended };
      } catch (error) {
        await client.query('ROLLBACK').catch((failed: unknown) => (broken = failed as Error));
        throw error;
      } finally {
        client.release(broken);
      }
    });
    if (outcome.appended.some((result) => result.written)) this.wakeUps.announce();
    return outcome;
  }

  private prepareWrites(writes: readonly StreamWrite[]): PreparedWrite[] {
    return writes.map((write) => {
      const expected = write.expectedRevision;
      if (typeof expected === 'number' && (!Number.isSafeInteger(expected) || expected < 0))
        throw new RangeError(`expectedRevision must be a non-negative integer, got ${expected}`);
      return { write, events: prepareAppend(write.stream, write.events, this.options) };
    });
  }

  /**
   * One append statement on `on` (the pool, or a transaction's client). lx_append_batch (migration
   * 006) for the usual call; lx_append_many for a call that names a stream twice or an event id twice
   * (`viaMany`, or seen here), and for one that lx_append_batch sends back because some of its event
   * ids exist (an idempotent retry or a duplicate; see retryingAppend): its answers are the reference.
   */
  private async appendPrepared(
    on: pg.Pool | pg.PoolClient,
    prepared: readonly PreparedWrite[],
    viaMany: boolean,
  ): Promise<AppendResult[]> {
    try {
      const { rows } =
        viaMany || !distinctWrites(prepared)
          ? await on.query(
              `SELECT outcome, revision, tx_id::text AS tx_id, last_position
               FROM lx_append_many($1,$2,$3,$4::bigint[],$5::int[],$6::uuid[],$7,$8::jsonb[],$9::jsonb[],$10)`,
              appendManyParams(prepared),
            )
          : await on.query(
              `SELECT outcome, revision, tx_id::text AS tx_id, last_position
               FROM lx_append_batch($1,$2,$3,$4::bigint[],$5::int[],$6::uuid[],$7,$8::jsonb)`,
              appendBatchParams(prepared),
            );
      return (rows as { outcome: string; revision: string; tx_id: string; last_position: string }[]).map(
        (row) => ({
          nextRevision: Number(row.revision),
          position: { commit: BigInt(row.tx_id), prepare: BigInt(row.last_position) },
          written: row.outcome === 'ok',
        }),
      );
    } catch (error) {
      const failure = error as { code?: string; detail?: string };
      if (failure.code !== 'LX001') throw error;
      const refused = JSON.parse(failure.detail ?? '{}') as {
        stream: string;
        outcome: string;
        revision: number | null;
      };
      const write = prepared.find((p) => p.write.stream === refused.stream)!;
      if (refused.outcome === 'wrong')
        throw new WrongExpectedVersionError(
          refused.stream,
          write.write.expectedRevision,
          refused.revision === null || refused.revision < 0 ? 'no_stream' : refused.revision,
        );
      throw new DuplicateEventIdError(write.events.map((e) => e.id));
    }
  }

  /** Runs an attempt at an append (`attempt(viaMany)`), again while its failure says that another may succeed. */
  private async retryingAppend<R>(attempt: (viaMany: boolean) => Promise<R>): Promise<R> {
    let viaMany = false;
    for (let tries = 0; ; tries++) {
      try {
        return await attempt(viaMany);
      } catch (error) {
        const failure = error as { code?: string; constraint?: string };
        const idTaken = failure.code === '23505' && failure.constraint === 'lx_events_event_id_key';
        if (!viaMany && (failure.code === 'LX002' || idTaken)) {
          // Nothing was written: the same call through lx_append_many, with its own retries.
          viaMany = true;
          tries = -1;
          continue;
        }
        // Two concurrent retries of the same events: the loser sees the unique violation and,
        // on its next attempt, the winner's events (an idempotent success).
        if (idTaken && tries < 2) continue;
        // An append whose transaction id is older than a stream's last event (migration 004):
        // nothing was written; again, in a new transaction with a later id. Since migration 005
        // locks the streams before the first write this is a safety net, not a path taken.
        if (failure.code === '40001' && tries < 20) continue;
        throw error;
      }
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertValidStreamName(stream);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? Number.MAX_SAFE_INTEGER : 0);
    const { rows } = await this.pool.query(
      `SELECT ${EVENT_COLUMNS} FROM lx_events WHERE stream_name = $1 AND stream_version ${backwards ? '<=' : '>='} $2
       ORDER BY stream_version ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [stream, from, options.maxCount ?? 1_000_000],
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllPage> {
    const after = options.after ?? { commit: 0n, prepare: 0n };
    const conditions = [
      '(transaction_id, global_position) > ($1::text::xid8, $2::bigint)',
      'transaction_id < horizon.xmin',
    ];
    const params: unknown[] = [after.commit.toString(), after.prepare.toString()];
    if (options.filter?.streamCategories?.length) {
      params.push(options.filter.streamCategories);
      conditions.push(`category = ANY($${params.length}::text[])`);
    }
    if (options.filter?.eventTypes?.length) {
      params.push(options.filter.eventTypes);
      conditions.push(`event_type = ANY($${params.length}::text[])`);
    }
    params.push(options.maxCount);
    const { rows } = await this.pool.query(
      `WITH horizon AS (SELECT lx_read_horizon() AS xmin)
       SELECT ${EVENT_COLUMNS}, horizon.xmin::text AS horizon FROM horizon
       LEFT JOIN LATERAL (SELECT * FROM lx_events, horizon WHERE ${conditions.join(' AND ')}
         ORDER BY transaction_id, global_position LIMIT $${params.length}) e ON true`,
      params,
    );
    const horizon = BigInt((rows[0] as { horizon: string }).horizon);
    const events = rows.filter((row) => row.global_position !== null).map(toRecordedEvent);
    const isEnd = events.length < options.maxCount;
    // Everything below the horizon is visible and has been scanned: a filtered reader may skip it.
    const scannedTo: LogPosition = { commit: horizon - 1n, prepare: MAX_BIGINT };
    const last = events.at(-1)?.position ?? options.after ?? null;
    const nextAfter = isEnd && horizon - 1n > (last?.commit ?? -1n) ? scannedTo : last;
    return { events, nextAfter, isEnd };
  }

  protected catchUpSources(): CatchUpSources {
    return {
      readAll: (o) => this.tail.read(o),
      checkpoints: this,
      wakeUp: this.wakeUps.waiter(),
      newestCommitted: () => this.newestCommitted(),
      log: this.options.log,
    };
  }

  async load(name: string): Promise<LogPosition | null> {
    const { rows } = await this.pool.query(
      'SELECT position_commit::text AS c, position_prepare::text AS p FROM lx_subscriptions WHERE name = $1',
      [name],
    );
    const row = rows[0] as { c: string; p: string } | undefined;
    return row ? { commit: BigInt(row.c), prepare: BigInt(row.p) } : null;
  }

  async save(name: string, position: LogPosition): Promise<void> {
    await this.pool.query(
      `INSERT INTO lx_subscriptions (name, position_commit, position_prepare) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET position_commit = $2, position_prepare = $3, updated_at = now()`,
      [name, position.commit.toString(), position.prepare.toString()],
    );
  }

  /**
   * Verifies inside one REPEATABLE READ, read-only transaction, so that the log and the stream
   * heads come from the same snapshot. A read-only transaction takes no transaction id and so
   * does not hold back the xmin horizon that subscriptions read below.
   *
   * Two passes over that snapshot. The first reads the table in whatever order is cheapest (a
   * sequential scan through a cursor, split by stream across worker threads: `firstPass`) and names
   * the suspect streams (`ChainScan`); on a clean log that is all. If any stream is suspect, the
   * second walks only those streams in log order
   * (`verifyHashChains`), so the first failure reported is the one a walk of the whole log in
   * log order finds first — see `ChainScan` for why the other streams cannot hold an earlier one.
   */
  async verifyIntegrity(options: VerifyOptions = {}): Promise<IntegrityReport> {
    const only = options.streams ? [...new Set(options.streams)] : null;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const findings = await firstPass({
        client,
        connectionString: this.options.connectionString,
        only,
        onProgress: options.onProgress,
      });
      const report: IntegrityReport =
        findings.suspects.length === 0
          ? { ok: true, streamsChecked: findings.streamsChecked, eventsChecked: findings.eventsChecked }
          : await walkSuspects(client, findings);
      await client.query('COMMIT');
      return report;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async headPosition(): Promise<LogPosition | null> {
    return this.newestEvent(true);
  }

  /** Newest committed event, ignoring the xmin horizon: only a target to wait for, never a place to read from. */
  private newestCommitted(): Promise<LogPosition | null> {
    return this.newestEvent(false);
  }

  private async newestEvent(readableOnly: boolean): Promise<LogPosition | null> {
    const { rows } = await this.pool.query(
      `SELECT transaction_id::text AS c, global_position::text AS p FROM lx_events
       ${readableOnly ? 'WHERE transaction_id < (SELECT lx_read_horizon())' : ''}
       ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    const row = rows[0] as { c: string; p: string } | undefined;
    return row ? { commit: BigInt(row.c), prepare: BigInt(row.p) } : null;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1 FROM lx_streams LIMIT 1');
  }

  async close(): Promise<void> {
    await this.wakeUps.close();
    if (this.ownsPool) await this.pool.end();
  }
}

interface PreparedWrite {
  write: StreamWrite;
  events: PreparedEvent[];
}

/** True when no stream and no event id appears twice in the call (within a write, prepareAppend checks ids). */
function distinctWrites(prepared: readonly PreparedWrite[]): boolean {
  if (prepared.length === 1) return true;
  const streams = new Set<string>();
  const ids = new Set<string>();
  for (const { write, events } of prepared) {
    if (streams.has(write.stream)) return false;
    streams.add(write.stream);
    for (const event of events) {
      if (ids.has(event.id)) return false;
      ids.add(event.id);
    }
  }
  return true;
}

/** The per-stream parameters both append functions take first. */
function streamParams(prepared: readonly PreparedWrite[]): unknown[] {
  return [
    prepared.map((p) => p.write.stream),
    prepared.map((p) => p.events[0]!.category),
    prepared.map((p) => (typeof p.write.expectedRevision === 'number' ? 'exact' : p.write.expectedRevision)),
    prepared.map((p) => (typeof p.write.expectedRevision === 'number' ? p.write.expectedRevision : null)),
    prepared.map((p) => p.events.length),
  ];
}

/**
 * lx_append_batch's parameters: the ids and digests as arrays (no character there needs escaping
 * in an array literal), and every event's type, data and metadata as ONE jsonb text into which
 * each event's JSON, serialised once by prepareAppend, is written as it is.
 */
function appendBatchParams(prepared: readonly PreparedWrite[]): unknown[] {
  const ids: string[] = [];
  const digests: string[] = [];
  let events = '[';
  for (const { events: written } of prepared)
    for (const event of written) {
      if (ids.length > 0) events += ',';
      events += `{"t":${JSON.stringify(event.type)},"d":${event.dataJson},"m":${event.metadataJson}}`;
      ids.push(event.id);
      digests.push(event.digest);
    }
  return [...streamParams(prepared), ids, digests, `${events}]`];
}

/** lx_append_many's parameters: five arrays, one element per event. */
function appendManyParams(prepared: readonly PreparedWrite[]): unknown[] {
  const all = prepared.flatMap((p) => p.events);
  return [
    ...streamParams(prepared),
    all.map((e) => e.id),
    all.map((e) => e.type),
    all.map((e) => e.dataJson),
    all.map((e) => e.metadataJson),
    all.map((e) => e.digest),
  ];
}
/**
 * Second pass, only when the first found suspects: the log-order walk over just those streams,
 * whose first failure is the first failure of the whole log. The counts stay the first pass's.
 */
async function walkSuspects(client: pg.PoolClient, findings: ScanFindings): Promise<IntegrityReport> {
  const { suspects } = findings;
  const report = await verifyHashChains(
    rowsOf(
      cursorBatches(
        client,
        'lx_verify_suspects',
        `SELECT ${EVENT_COLUMNS} FROM lx_events WHERE stream_name = ANY($1::text[])
         ORDER BY transaction_id, global_position`,
        [suspects],
      ),
      toRecordedEvent,
    ),
    () =>
      rowsOf(
        cursorBatches(
          client,
          'lx_verify_suspect_heads',
          'SELECT stream_name, version, last_hash FROM lx_streams WHERE stream_name = ANY($1::text[]) ORDER BY stream_name',
          [suspects],
        ),
        (row): StreamHead => ({
          stream: row.stream_name as string,
          revision: Number(row.version),
          hash: row.last_hash as string,
        }),
      ),
    new Set(suspects),
  );
  return { ...report, streamsChecked: findings.streamsChecked, eventsChecked: findings.eventsChecked };
}

async function* rowsOf<T>(
  batches: AsyncIterable<unknown[]>,
  map: (row: Record<string, unknown>) => T,
): AsyncIterable<T> {
  for await (const rows of batches) for (const row of rows) yield map(row as Record<string, unknown>);
}

function toRecordedEvent(row: Record<string, unknown>): RecordedEvent {
  return {
    id: row.event_id as string,
    type: row.event_type as string,
    streamName: row.stream_name as string,
    revision: Number(row.stream_version),
    data: row.data,
    metadata: row.metadata as EventMetadata,
    position: {
      commit: BigInt(row.transaction_id as string),
      prepare: BigInt(row.global_position as string),
    },
    hash: row.hash as string,
    previousHash: row.previous_hash as string,
    recordedAt: row.recorded_at as Date,
  };
}
