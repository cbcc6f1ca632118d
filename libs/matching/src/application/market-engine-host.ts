import {
  comparePositions,
  lagAfter,
  parsePosition,
  Supervisor,
  WrongExpectedVersionError,
  type EventFilter,
  type EventStore,
  type LogPosition,
  type NewEvent,
  type RecordedEvent,
  type Subscription,
} from '#lx/event-store';
import { deterministicUuid } from '#lx/contracts';
import { MarketEngine } from '../domain/market-engine.js';
import { MARKET_INPUT_TYPES, type MarketInput, type MarketOutput } from '../domain/market-model.js';
import { MARKET_INPUT_CATEGORIES, marketStream, toMarketInput } from './market-inputs.js';

/** What an engine folds: every market input, from whichever stream it comes. */
const MARKET_INPUTS: EventFilter = {
  streamCategories: MARKET_INPUT_CATEGORIES,
  eventTypes: MARKET_INPUT_TYPES,
};

export interface MarketEngineHostOptions {
  store: EventStore;
  vertical: string;
  /** Tells instances apart in logs and subscription names. */
  instance: string;
  pollIntervalMs?: number;
  batchSize?: number;
  /** Wait before rebuilding after a failure (a conflict it could not explain, a lost connection). */
  restartDelayMs?: number;
  log?: (message: string, error?: unknown) => void;
  /** Called after outputs were committed by this instance (metrics, benchmarks). */
  onWritten?: (outputs: readonly MarketOutput[]) => void;
}

export interface HostStats {
  inputs: number;
  appends: number;
  /** Appends that found the same events already written (by the other instance, or before a restart). */
  alreadyWritten: number;
  rebuilds: number;
}

/**
 * Runs one market's engine over the log: the single writer of `market-<vertical>`.
 *
 * Leadership without a lock: every instance folds the same inputs in the same order and so
 * produces the same outputs, with ids derived from (market, input position, index). Each append
 * names the exact revision it expects. Whoever appends first writes; the other's append of the
 * same ids is an idempotent no-op, so a standby running hot is a live copy that takes over the
 * moment the leader stops, with nothing lost and nothing written twice. An append refused for a
 * revision that the same ids do not explain means this instance's view diverged: it throws its
 * state away, rebuilds from the log and continues.
 *
 * Restart: the tail of `market-<vertical>` records the input position of the last output; the
 * engine re-folds the inputs up to it without writing, then writes what follows.
 */
export class MarketEngineHost {
  readonly stats: HostStats = { inputs: 0, appends: 0, alreadyWritten: 0, rebuilds: 0 };
  private engine!: MarketEngine;
  private revision = -1;
  private writtenUpTo: LogPosition | null = null;
  private subscription: Subscription | null = null;
  private running = false;
  private killed = false;
  private supervisor: Supervisor | null = null;
  /** What stopped the current subscription's handler, if anything did. */
  private subscriptionFailure: unknown = null;

  constructor(private readonly options: MarketEngineHostOptions) {}

  get vertical(): string {
    return this.options.vertical;
  }

  /** Position of the last input this instance folded. */
  lastHandled(): LogPosition | null {
    return this.subscription?.lastHandled() ?? null;
  }

  /** Resolves once the engine has folded everything committed before it (re)started. */
  get caughtUp(): Promise<void> {
    return this.subscription?.caughtUp ?? Promise.resolve();
  }

  /**
   * Starts folding, supervised: whatever stops the subscription (a write it could not explain, a
   * lost connection, a restarted database) rebuilds the engine from the log after a backoff.
   * Resolves once the first subscription runs (or rejects if the first rebuild failed).
   */
  async start(): Promise<void> {
    this.running = true;
    const supervisor = new Supervisor(`matching ${this.options.vertical}/${this.options.instance}`, {
      retryDelayMs: this.options.restartDelayMs ?? 1000,
      ...(this.options.log ? { log: this.options.log } : {}),
    });
    this.supervisor = supervisor;
    let firstRun!: { resolve: () => void; reject: (error: unknown) => void };
    const started = new Promise<void>((resolve, reject) => (firstRun = { resolve, reject }));
    let runs = 0;
    void supervisor.start(
      async () => {
        if (runs++ > 0) this.stats.rebuilds++;
        try {
          await this.recover();
        } catch (error) {
          firstRun.reject(error);
          return error;
        }
        firstRun.resolve();
        return this.runSubscription(this.subscription!);
      },
      // Shown on /metrics like every subscription's: the inputs this instance has not folded yet.
      () => lagAfter(this.options.store, this.lastHandled(), MARKET_INPUTS),
    );
    await started;
  }

  async stop(): Promise<void> {
    this.running = false;
    const stopping = this.supervisor?.stop();
    await this.subscription?.stop();
    await stopping;
  }

  /** Stops at once, dropping whatever is in flight — a crash, for failover tests. */
  kill(): void {
    this.killed = true;
    this.running = false;
    void this.supervisor?.stop();
    void this.subscription?.stop().catch(() => undefined);
  }

  /** Waits for the subscription to end; resolves with what ended it (null: a stop). */
  private async runSubscription(subscription: Subscription): Promise<unknown> {
    if (!this.running) await subscription.stop();
    await subscription.stopped;
    if (!this.running || this.killed) return null;
    return (
      this.subscriptionFailure ??
      new Error(`matching ${this.options.vertical}: the subscription ended (see the event-store log)`)
    );
  }

  private async recover(): Promise<void> {
    const { store, vertical } = this.options;
    this.engine = new MarketEngine({ vertical });
    this.subscriptionFailure = null;
    const [last] = await store.readStream(marketStream(vertical), { direction: 'backwards', maxCount: 1 });
    this.revision = last?.revision ?? -1;
    const recorded = (last?.data as { inputPosition?: string } | undefined)?.inputPosition;
    this.writtenUpTo = recorded ? parsePosition(recorded) : null;
    this.subscription = store.subscribe(
      `matching-${vertical}-${this.options.instance}`,
      (event) => this.handle(event),
      {
        filter: MARKET_INPUTS,
        // The engine folds the whole log on every start: its state is a function of the inputs.
        checkpoint: { kind: 'external', load: async () => null },
        batchSize: this.options.batchSize ?? 1000,
        pollIntervalMs: this.options.pollIntervalMs ?? 250,
        onError: (error, event) => this.failed(error, event),
      },
    );
  }

  private async handle(event: RecordedEvent): Promise<void> {
    if (this.killed) throw new Error('killed');
    this.supervisor?.succeeded(); // reading the log again: the next failure waits the shortest pause
    const input = toMarketInput(event, this.options.vertical);
    if (!input) return;
    this.stats.inputs++;
    const outputs = this.engine.apply(input);
    if (outputs.length === 0) return;
    if (this.writtenUpTo && comparePositions(event.position, this.writtenUpTo) <= 0) return;
    await this.write(outputs, input, event);
  }

  private async write(outputs: MarketOutput[], input: MarketInput, cause: RecordedEvent): Promise<void> {
    const { store, vertical } = this.options;
    const events: NewEvent[] = outputs.map((output, index) => ({
      id: deterministicUuid('market-output', vertical, input.position, String(index)),
      type: output.type,
      data: output.data,
      metadata: {
        correlationId: cause.metadata.correlationId,
        causationId: cause.id,
        actor: `engine:${vertical}`,
        occurredAt: this.engine.clock,
      },
    }));
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await store.appendToStream(marketStream(vertical), events, {
          expectedRevision: this.revision < 0 ? 'no_stream' : this.revision,
        });
        this.revision = result.nextRevision;
        if (result.written) {
          this.stats.appends++;
          this.options.onWritten?.(outputs);
        } else this.stats.alreadyWritten++;
        return;
      } catch (error) {
        // The other instance may have committed these very events between our check and our
        // write: the retry then finds them (idempotent). Anything else is a divergence.
        if (!(error instanceof WrongExpectedVersionError) || attempt > 0) throw error;
      }
    }
  }

  private failed(error: unknown, event: RecordedEvent): void {
    this.subscriptionFailure = error;
    if (this.killed || !this.running) return;
    this.options.log?.(
      `matching ${this.options.vertical}/${this.options.instance} stopped at ${event.type} ${event.streamName}@${event.revision}; rebuilding`,
      error,
    );
  }
}
