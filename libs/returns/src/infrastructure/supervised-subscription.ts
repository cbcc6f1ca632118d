import { setTimeout as sleep } from 'node:timers/promises';
import type { EventFilter, EventHandler, EventStore, Subscription } from '#lx/event-store';

/**
 * A durable subscription that is started again after its handler fails (the store stops a
 * subscription on a handler error); the failed event is delivered again, so handlers are idempotent.
 */
export class SupervisedSubscription {
  private current: Subscription | null = null;
  private readonly stopping = new AbortController();
  private readonly running: Promise<void>;
  lastError: unknown = null;

  constructor(
    private readonly store: EventStore,
    readonly name: string,
    private readonly handler: EventHandler,
    private readonly filter: EventFilter,
    private readonly log: (message: string, error?: unknown) => void = () => undefined,
  ) {
    this.running = this.run();
  }

  private async run(): Promise<void> {
    for (let failures = 0; !this.stopping.signal.aborted;) {
      let failed = false;
      this.current = this.store.subscribe(this.name, this.handler, {
        filter: this.filter,
        checkpoint: { kind: 'store' },
        pollIntervalMs: 250,
        onError: (error, event) => {
          failed = true;
          this.lastError = error;
          this.log(`subscription ${this.name} failed on ${event.type} ${event.id}`, error);
        },
      });
      await this.current.stopped;
      if (this.stopping.signal.aborted) break;
      failures = failed ? failures + 1 : 0;
      await sleep(Math.min(200 * 2 ** failures, 10_000), undefined, { signal: this.stopping.signal }).catch(
        () => undefined,
      );
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.current?.stop();
    await this.running;
  }
}
