import type {
  EventFilter,
  EventHandler,
  EventStore,
  PageHandler,
  RecordedEvent,
  Subscription,
} from './event-store.port.js';
import type { LogPosition } from './log-position.js';
import { Supervisor, type SupervisorOptions } from './supervision.js';

/** Lag is counted up to this many events (one page read); more reads as this number. */
export const LAG_COUNT_CAP = 1000;

/**
 * How far behind the log a subscription is: the events its filter takes after the last one it
 * handled, counted up to LAG_COUNT_CAP; null before it handled any (unknown, not zero).
 */
export async function lagAfter(
  store: EventStore,
  lastHandled: LogPosition | null,
  filter: EventFilter | undefined,
): Promise<number | null> {
  if (lastHandled === null) return null;
  const page = await store.readAll({ after: lastHandled, maxCount: LAG_COUNT_CAP, filter });
  return page.events.length;
}

export interface SupervisedSubscriptionOptions extends Omit<SupervisorOptions, 'isFatal' | 'resumesAtOnce'> {
  filter?: EventFilter;
  pollIntervalMs?: number;
  batchSize?: number;
}

/**
 * A durable subscription with a store-kept checkpoint that never stops for good: when its handler
 * throws or the store fails (a lost connection, a restarted database) it is started again from its
 * checkpoint after a backoff, so the failed event is delivered again — handlers are idempotent.
 * Its lag (events after the last handled) and restarts are visible in /metrics and /health.
 */
export class SupervisedSubscription {
  private current: Subscription | null = null;
  private readonly supervisor: Supervisor;
  readonly outcome: Promise<unknown>;

  /** `handler`: one event at a time, or `{ pages }` for a handler that takes a page of events at once. */
  constructor(
    private readonly store: EventStore,
    readonly name: string,
    private readonly handler: EventHandler | { pages: PageHandler },
    private readonly options: SupervisedSubscriptionOptions = {},
  ) {
    this.supervisor = new Supervisor(`subscription ${name}`, {
      retryDelayMs: 200,
      maxRetryDelayMs: 10_000,
      ...options,
    });
    this.outcome = this.supervisor.start(
      () => this.runOnce(),
      () => this.lag(),
    );
  }

  /** Resolves once the current run has caught up with the log. */
  get caughtUp(): Promise<void> {
    return this.current?.caughtUp ?? Promise.resolve();
  }

  status() {
    return this.supervisor.status();
  }

  get lastError(): unknown {
    return this.supervisor.failure;
  }

  async stop(): Promise<void> {
    const stopping = this.supervisor.stop();
    await this.current?.stop();
    await stopping;
  }

  private async runOnce(): Promise<unknown> {
    let failure: unknown = null;
    const handler = this.handler;
    const settings = {
      filter: this.options.filter,
      checkpoint: { kind: 'store' as const },
      pollIntervalMs: this.options.pollIntervalMs ?? 250,
      ...(this.options.batchSize ? { batchSize: this.options.batchSize } : {}),
    };
    // A page handler that throws ends the subscription (none of the page counts as handled): the
    // supervisor starts it again from the checkpoint, as for a failed event.
    const subscription =
      typeof handler !== 'function'
        ? this.store.subscribePages(
            this.name,
            async (page) => {
              await handler.pages(page);
              this.supervisor.succeeded();
            },
            settings,
          )
        : this.store.subscribe(
            this.name,
            async (event: RecordedEvent) => {
              await handler(event);
              this.supervisor.succeeded();
            },
            {
              filter: this.options.filter,
              checkpoint: { kind: 'store' },
              pollIntervalMs: this.options.pollIntervalMs ?? 250,
              ...(this.options.batchSize ? { batchSize: this.options.batchSize } : {}),
              onError: (error, event) => {
                failure = error ?? new Error(`handler of ${this.name} failed on ${event.id}`);
                this.options.log?.(`subscription ${this.name} failed on ${event.type} ${event.id}`, error);
              },
            },
          );
    this.current = subscription;
    if (this.supervisor.signal.aborted) await subscription.stop();
    await subscription.stopped;
    // A store failure (read, checkpoint save) ends the subscription without calling onError.
    return (
      failure ?? (this.supervisor.signal.aborted ? null : new Error(`subscription ${this.name} stopped`))
    );
  }

  private async lag(): Promise<number | null> {
    return lagAfter(this.store, this.current?.lastHandled() ?? null, this.options.filter);
  }
}
