import type { DataSource } from 'typeorm';
import {
  APPENDS_NOTHING_SQL,
  comparePositions,
  formatPosition,
  LAG_COUNT_CAP,
  Supervisor,
  type EventStore,
  type LogPosition,
  type RecordedEvent,
  type Subscription,
} from '#lx/event-store';
import { liveSchemaOf, type Projection } from './projection.js';
import {
  advanceCheckpoint,
  ensureProjectionSchema,
  readCheckpoint,
  sharedProjectionLockSql,
} from './projection-schema.js';
import { CheckpointMovedError, ProjectionVersionMismatchError } from './errors.js';

export interface ProjectionRunnerOptions {
  projection: Projection;
  store: EventStore;
  /** Initialised, with the projection's entities; the runner sets search_path per transaction. */
  dataSource: DataSource;
  /** Default: the live schema `rm_<name>`; a rebuild runs the same code into `rm_<name>__next`. */
  schema?: string;
  /** Events read per round trip (default 500): also the most one transaction applies. */
  batchSize?: number;
  /**
   * At most this many events per transaction. Default: the whole page the subscription read
   * (catching up: up to `batchSize`; live: usually one or a few). 1 applies one event per
   * transaction, as the runner did before pages (slower; the benchmark's baseline).
   */
  eventsPerTransaction?: number;
  pollIntervalMs?: number;
  /** Pause after a failed event before trying again; doubles up to 30 s. Default 500 ms. */
  retryDelayMs?: number;
  /** Stop for good (rejecting `caughtUp`) after this many failures in a row. Default: never. */
  giveUpAfterFailures?: number;
  log?: (message: string, error?: unknown) => void;
}

export interface ProjectionStatus {
  name: string;
  schema: string;
  version: number;
  /** The stored checkpoint: the last event applied, by any process. */
  position: LogPosition | null;
  eventsApplied: number;
  /** Events matching the filter are readable after the checkpoint. */
  lagging: boolean;
  paused: boolean;
  running: boolean;
  lastError: string | null;
}

/**
 * Keeps one projection's tables up to date: one subscription with an external checkpoint, and one
 * transaction per page of events holding the handler's writes for each event of the page and the
 * checkpoint's compare-and-set to the page's last event, so a crash at any point applies every
 * event exactly once. A projection with a `handleBatch` gets the transaction's events in one call
 * (fewer statements per page); otherwise `handle` runs once per event. Pages are what the subscription read at once: up to `batchSize` events
 * while catching up, usually one or a few when live.
 *
 * When a page's transaction fails, the runner applies that page again one event per transaction:
 * the events before the failing one are committed and the failure is reported on the event that
 * caused it (the checkpoint stops just before it), as if every event had its own transaction.
 */
export class ProjectionRunner {
  /** Resolves the first time everything readable has been applied; rejects if the runner gives up or stops first. */
  readonly caughtUp: Promise<void>;
  private settleCaughtUp!: { resolve: () => void; reject: (error: unknown) => void };
  private committed: LogPosition | null = null;
  private subscription: Subscription | null = null;
  private readonly stopping = new AbortController();
  private pauseGate: { promise: Promise<void>; open: () => void } | null = null;
  private inFlight: Promise<void> | null = null;
  private readonly supervisor: Supervisor;
  private finished = false;
  private readonly waiters = new Set<{ target: LogPosition; settle: (error?: unknown) => void }>();
  private readonly supervising: Promise<void>;

  private constructor(
    private readonly options: ProjectionRunnerOptions,
    readonly schema: string,
  ) {
    this.caughtUp = new Promise<void>((resolve, reject) => (this.settleCaughtUp = { resolve, reject }));
    this.caughtUp.catch(() => undefined); // a runner nobody awaits must not raise an unhandled rejection
    const { retryDelayMs = 500, giveUpAfterFailures, log } = options;
    this.supervisor = new Supervisor(`projection ${schema}`, {
      retryDelayMs,
      ...(giveUpAfterFailures === undefined ? {} : { giveUpAfterFailures }),
      ...(log ? { log } : {}),
      // Another applier moved the checkpoint: resume from the stored one at once.
      resumesAtOnce: (failure) => failure instanceof CheckpointMovedError,
      isFatal: (failure) => failure instanceof ProjectionVersionMismatchError,
    });
    this.supervising = this.supervise();
  }

  /** Creates the schema if missing and starts applying; refuses tables built by another version. */
  static async start(options: ProjectionRunnerOptions): Promise<ProjectionRunner> {
    const schema = options.schema ?? liveSchemaOf(options.projection);
    await ensureProjectionSchema(options.dataSource, options.projection, schema);
    const stored = await readCheckpoint(options.dataSource, schema);
    if (stored && stored.version !== options.projection.version)
      throw new ProjectionVersionMismatchError(schema, stored.version, options.projection.version);
    return new ProjectionRunner(options, schema);
  }

  get name(): string {
    return this.options.projection.name;
  }

  /** The last position this runner committed or loaded. */
  position(): LogPosition | null {
    return this.committed;
  }

  async status(): Promise<ProjectionStatus> {
    const { projection, store, dataSource } = this.options;
    const stored = await readCheckpoint(dataSource, this.schema);
    const position = stored?.position ?? null;
    const ahead = await store.readAll({ after: position, maxCount: 1, filter: projection.filter });
    return {
      name: projection.name,
      schema: this.schema,
      version: stored?.version ?? projection.version,
      position,
      eventsApplied: stored?.eventsApplied ?? 0,
      lagging: ahead.events.length > 0,
      paused: this.pauseGate !== null,
      running: !this.finished,
      lastError: this.supervisor.status().lastError,
    };
  }

  /** Resolves once this runner has committed `target` or a later position. */
  waitForPosition(target: LogPosition, timeoutMs = 30_000): Promise<void> {
    if (reached(this.committed, target)) return Promise.resolve();
    if (this.finished) return Promise.reject(new Error(`projection ${this.schema} is not running`));
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        target,
        settle: (error?: unknown) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          if (error) reject(error);
          else resolve();
        },
      };
      const timer = setTimeout(
        () => waiter.settle(new Error(`projection ${this.schema} did not reach ${formatPosition(target)}`)),
        timeoutMs,
      );
      this.waiters.add(waiter);
    });
  }

  /** Holds further events; resolves when the transaction being applied (if any) has committed or rolled back. */
  async pause(): Promise<void> {
    if (!this.pauseGate) {
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      this.pauseGate = { promise, open };
    }
    await this.inFlight?.catch(() => undefined);
  }

  resume(): void {
    const gate = this.pauseGate;
    this.pauseGate = null;
    gate?.open();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    const stopping = this.supervisor.stop();
    this.resume();
    await this.subscription?.stop();
    await stopping;
    await this.supervising;
  }

  /** Runs subscriptions one after another under the exchange's one restart policy (see Supervisor). */
  private async supervise(): Promise<void> {
    const gaveUp = await this.supervisor.start(
      () => this.runSubscription(),
      () => this.lag(),
    );
    const outcome = gaveUp ?? new Error(`projection ${this.schema} stopped before catching up`);
    this.finished = true;
    this.settleCaughtUp.reject(outcome);
    for (const waiter of [...this.waiters]) waiter.settle(outcome);
  }

  /** Events of the projection's filter after its stored checkpoint (counted up to LAG_COUNT_CAP). */
  private async lag(): Promise<number> {
    const { projection, store, dataSource } = this.options;
    const stored = await readCheckpoint(dataSource, this.schema);
    const ahead = await store.readAll({
      after: stored?.position ?? null,
      maxCount: LAG_COUNT_CAP,
      filter: projection.filter,
    });
    return ahead.events.length;
  }

  /** One subscription from the stored checkpoint; resolves with what ended it (null: a stop). */
  private async runSubscription(): Promise<unknown> {
    const { projection, store, dataSource, batchSize, pollIntervalMs } = this.options;
    let failure: unknown = null;
    try {
      await ensureProjectionSchema(dataSource, projection, this.schema);
      const stored = (await readCheckpoint(dataSource, this.schema))!;
      if (stored.version !== projection.version)
        return new ProjectionVersionMismatchError(this.schema, stored.version, projection.version);
      this.moveTo(stored.position);
      if (this.stopping.signal.aborted) return null;
      const subscription = store.subscribePages(`projection:${this.schema}`, (page) => this.apply(page), {
        filter: projection.filter,
        batchSize,
        pollIntervalMs,
        checkpoint: { kind: 'external', load: async () => stored.position },
        onError: (error) => (failure = error),
      });
      this.subscription = subscription;
      let ended = false;
      void subscription.stopped.then(() => (ended = true));
      // The subscription also reports "caught up" when it ends; by the next macrotask an ending
      // subscription has settled `stopped`, so only a live one counts.
      void subscription.caughtUp.then(() =>
        setImmediate(() => {
          if (!ended && failure === null && !this.stopping.signal.aborted) this.settleCaughtUp.resolve();
        }),
      );
      await subscription.stopped;
    } catch (error) {
      failure = error;
    } finally {
      this.subscription = null;
    }
    if (failure === null && !this.stopping.signal.aborted)
      failure = new Error(`subscription of ${this.schema} ended (see the event-store log)`);
    return failure;
  }

  /** Applies a page in transactions of at most `eventsPerTransaction` events, honouring pause and stop between them. */
  private async apply(page: readonly RecordedEvent[]): Promise<void> {
    const size = Math.max(1, this.options.eventsPerTransaction ?? page.length);
    for (let from = 0; from < page.length; from += size) {
      while (this.pauseGate && !this.stopping.signal.aborted) await this.pauseGate.promise;
      // Stopping: leave the rest unapplied; the external checkpoint has not moved, so the next run gets it.
      if (this.stopping.signal.aborted) return;
      const applying = this.applyBatch(page.slice(from, from + size));
      this.inFlight = applying;
      try {
        await applying;
      } finally {
        this.inFlight = null;
      }
    }
  }

  /**
   * One transaction for the batch; if it fails, one transaction per event, so that the events
   * before the failing one commit and the failure is the failing event's own.
   */
  private async applyBatch(events: readonly RecordedEvent[]): Promise<void> {
    if (events.length === 1) return this.applyInTransaction(events);
    try {
      await this.applyInTransaction(events);
    } catch (error) {
      // Another applier moved the checkpoint: nothing here to retry, the runner resumes from the store.
      if (error instanceof CheckpointMovedError) throw error;
      this.options.log?.(
        `projection ${this.schema}: a transaction of ${events.length} events failed; applying them one by one`,
        error,
      );
      for (const event of events) {
        if (this.stopping.signal.aborted) return;
        await this.applyInTransaction([event]);
      }
    }
  }

  /** Applies `events` (consecutive, in log order) and moves the checkpoint to the last, in one transaction. */
  private async applyInTransaction(events: readonly RecordedEvent[]): Promise<void> {
    const { projection, dataSource } = this.options;
    const to = events.at(-1)!.position;
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      // First, before the page writes anything: this transaction appends nothing to the log, so
      // readers of the log need not wait for it (APPENDS_NOTHING_SQL, libs/event-store).
      await runner.query(
        `SELECT ${APPENDS_NOTHING_SQL}, ${sharedProjectionLockSql}, set_config('search_path', $2, true)`,
        [projection.name, `${this.schema}, public`],
      );
      // The compare-and-set comes first: it locks the checkpoint row, so a second applier of the
      // same projection waits here and then backs off, instead of running the handler twice.
      const from = this.committed;
      if (!(await advanceCheckpoint(runner, this.schema, projection.version, from, to, events.length)))
        throw new CheckpointMovedError(this.schema, from);
      if (events.length > 1 && projection.handleBatch) await projection.handleBatch(events, runner.manager);
      else for (const event of events) await projection.handle(event, runner.manager);
      await projection.afterBatch?.(events, runner.manager);
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
    this.supervisor.succeeded();
    this.moveTo(to);
  }

  private moveTo(position: LogPosition | null): void {
    this.committed = position;
    for (const waiter of [...this.waiters]) if (reached(position, waiter.target)) waiter.settle();
  }
}

function reached(position: LogPosition | null, target: LogPosition): boolean {
  return position !== null && comparePositions(position, target) >= 0;
}
