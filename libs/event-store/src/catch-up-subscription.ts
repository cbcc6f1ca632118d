import type {
  EventFilter,
  EventHandler,
  PageHandler,
  ReadAllOptions,
  ReadAllPage,
  RecordedEvent,
  Subscription,
  SubscriptionOptions,
} from './event-store.port.js';
import { comparePositions, type LogPosition } from './log-position.js';

export interface CheckpointStore {
  load(name: string): Promise<LogPosition | null>;
  save(name: string, position: LogPosition): Promise<void>;
}

/** Something that resolves when new events may be readable, or after `timeoutMs`. */
export type WakeUp = (timeoutMs: number, signal: AbortSignal) => Promise<void>;

export interface CatchUpSources {
  readAll(options: ReadAllOptions): Promise<ReadAllPage>;
  checkpoints: CheckpointStore;
  wakeUp: WakeUp;
  /**
   * The newest event committed when the subscription starts, even if not yet readable in log
   * order (PostgreSQL: above the xmin horizon). `caughtUp` waits until the subscription has
   * passed it, so "caught up" means "has seen everything committed before it started".
   */
  newestCommitted?: () => Promise<LogPosition | null>;
  log?: (message: string, error?: unknown) => void;
}

/** What a subscription hands its events to: each event on its own (`subscribe`), or each page (`subscribePages`). */
export type SubscriptionDelivery = { each: EventHandler } | { pages: PageHandler };

/**
 * The port's two subscriptions as every adapter serves them: the catch-up loop below, over the
 * sources the adapter names when a subscription starts (its reads, checkpoints and wake-ups).
 */
export abstract class CatchUpSubscriber {
  subscribe(name: string, handler: EventHandler, options: SubscriptionOptions = {}): Subscription {
    return startCatchUpSubscription(name, { each: handler }, options, this.catchUpSources());
  }

  subscribePages(name: string, handler: PageHandler, options: SubscriptionOptions = {}): Subscription {
    return startCatchUpSubscription(name, { pages: handler }, options, this.catchUpSources());
  }

  /** Called once per subscription, as it starts. */
  protected abstract catchUpSources(): CatchUpSources;
}

/**
 * The subscription loop shared by the adapters: read a page after the checkpoint, hand each
 * event (or the whole page) to the handler in order (awaiting it), advance the checkpoint, and
 * when the page reached the head wait for a wake-up (LISTEN/NOTIFY or a poll interval).
 */
export function startCatchUpSubscription(
  name: string,
  delivery: SubscriptionDelivery,
  options: SubscriptionOptions,
  sources: CatchUpSources,
): Subscription {
  const controller = new AbortController();
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const external = options.checkpoint?.kind === 'external' ? options.checkpoint : null;
  const filter: EventFilter | undefined = options.filter;
  let lastHandled: LogPosition | null = null;
  let markCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => (markCaughtUp = resolve));

  const run = async (): Promise<void> => {
    let after = external ? await external.load() : await sources.checkpoints.load(name);
    const target = (await sources.newestCommitted?.()) ?? null;
    const reachedTarget = () => !target || (after !== null && comparePositions(after, target) >= 0);
    while (!controller.signal.aborted) {
      const page = await sources.readAll({ after, maxCount: batchSize, filter });
      for (const unit of unitsOf(delivery, page.events)) {
        if (controller.signal.aborted) return;
        try {
          if ('pages' in delivery) await delivery.pages(unit);
          else await delivery.each(unit[0]!);
        } catch (error) {
          const event = unit[0]!;
          if (options.onError) options.onError(error, event);
          else
            sources.log?.(
              `subscription ${name} stopped at ${event.type} ${event.streamName}@${event.revision}` +
                (unit.length > 1 ? ` (the first of a page of ${unit.length})` : ''),
              error,
            );
          controller.abort();
          return;
        }
        lastHandled = unit.at(-1)!.position;
        after = lastHandled;
        if (!external) await sources.checkpoints.save(name, after);
      }
      if (page.nextAfter && (!after || page.nextAfter !== after)) {
        const moved =
          !after || page.nextAfter.commit !== after.commit || page.nextAfter.prepare !== after.prepare;
        after = page.nextAfter;
        if (moved && !external && page.events.length === 0) await sources.checkpoints.save(name, after);
      }
      if (page.isEnd) {
        if (reachedTarget()) markCaughtUp();
        await sources.wakeUp(pollIntervalMs, controller.signal);
      }
    }
  };

  const stopped = run()
    .catch((error: unknown) => {
      if (!controller.signal.aborted) sources.log?.(`subscription ${name} failed`, error);
      controller.abort();
    })
    .finally(() => markCaughtUp());

  return {
    name,
    caughtUp,
    stopped,
    lastHandled: () => lastHandled,
    stop: async () => {
      controller.abort();
      await stopped;
    },
  };
}

/** The slices of a page handed to the handler one after another: the page itself, or each event. */
function unitsOf(delivery: SubscriptionDelivery, events: RecordedEvent[]): RecordedEvent[][] {
  if (events.length === 0) return [];
  return 'pages' in delivery ? [events] : events.map((event) => [event]);
}
