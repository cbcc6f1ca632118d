import type { EventStore, RecordedEvent, Subscription } from '#lx/event-store';
import { marketDefaultsOf, publishedMarketDefaults, type MarketDefaults } from '../upload/receive-upload.js';

const STREAM_PREFIX = 'marketSettings-';
/** How long after its subscription stopped (the database went away) a new one is started. */
const RESTART_AFTER_MS = 1000;

/**
 * The markets' published settings as posts and pings read them (docs/architecture.md §5.2), kept in
 * memory instead of read from the log by every request. A market's settings are read from its
 * stream the first time they are asked for, then kept current by a subscription to
 * `marketSettings-*` that started before that read: a change reaches this process when the
 * subscription is woken (LISTEN/NOTIFY; its poll interval at the latest), as it reaches every other
 * subscriber of the log. While no subscription runs (before `start`, or after one stopped: the
 * database went away) every request reads the stream, and what was kept is forgotten.
 */
export class PublishedMarketSettings {
  private readonly known = new Map<string, MarketDefaults>();
  private subscription: Subscription | null = null;
  /** Moves whenever the subscription stops: a read begun before must not fill the map after. */
  private generation = 0;
  private closed = false;
  private restart: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly defaults: MarketDefaults,
    private readonly log?: (message: string, error?: unknown) => void,
  ) {}

  /** Starts the subscription; resolves once it runs (from the log's head: nothing before it is replayed). */
  async start(): Promise<void> {
    if (this.closed || this.subscription) return;
    try {
      const from = await this.store.headPosition();
      if (this.closed) return;
      const subscription = this.store.subscribe(
        'sellers-market-settings',
        async (event) => this.apply(event),
        {
          filter: { streamCategories: ['marketSettings'] },
          checkpoint: { kind: 'external', load: async () => from },
          pollIntervalMs: 1000,
          onError: (error) => this.log?.('published market settings: the subscription stopped', error),
        },
      );
      this.subscription = subscription;
      void subscription.stopped.then(() => this.forget(subscription));
    } catch (error) {
      this.log?.('published market settings: no subscription, reading the log meanwhile', error);
      this.scheduleRestart();
    }
  }

  async stop(): Promise<void> {
    this.closed = true;
    if (this.restart) clearTimeout(this.restart);
    await this.subscription?.stop();
  }

  /** The market's published settings, or the configured defaults for a market not configured yet. */
  async of(vertical: string): Promise<MarketDefaults> {
    const known = this.known.get(vertical);
    if (known) return known;
    const generation = this.generation;
    const running = this.subscription !== null;
    const read = await publishedMarketDefaults(this.store, vertical, this.defaults);
    // Kept only if the subscription ran throughout: it delivers whatever the read may have missed.
    if (running && this.subscription && generation === this.generation && !this.known.has(vertical))
      this.known.set(vertical, read);
    return read;
  }

  private apply(event: RecordedEvent): void {
    if (!event.streamName.startsWith(STREAM_PREFIX)) return;
    const settings = marketDefaultsOf(event);
    if (settings) this.known.set(event.streamName.slice(STREAM_PREFIX.length), settings);
  }

  private forget(subscription: Subscription): void {
    if (this.subscription !== subscription) return;
    this.subscription = null;
    this.generation++;
    this.known.clear();
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    if (this.closed) return;
    this.restart = setTimeout(() => {
      this.restart = null;
      void this.start();
    }, RESTART_AFTER_MS);
    this.restart.unref();
  }
}
