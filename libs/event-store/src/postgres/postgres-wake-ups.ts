import pg from 'pg';

/**
 * One LISTEN connection per store, shared by its subscriptions. A NOTIFY on `lx_events` wakes
 * every waiter; waiters also wake on their poll interval, so a lost connection or an event made
 * readable by an unrelated transaction ending (the xmin horizon moving) is still seen.
 */
export class PostgresWakeUps {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private waiters = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly connectionString: string,
    private readonly log?: (message: string, error?: unknown) => void,
  ) {}

  async next(timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    this.ensureListening();
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  private ensureListening(): void {
    if (this.client || this.connecting || this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString });
    this.connecting = (async () => {
      try {
        await client.connect();
        client.on('notification', () => {
          const waiting = [...this.waiters];
          this.waiters.clear();
          waiting.forEach((wake) => wake());
        });
        client.on('error', (error) => {
          this.log?.('event-store LISTEN connection lost; polling until it is back', error);
          this.client = null;
          client.end().catch(() => undefined);
        });
        await client.query('LISTEN lx_events');
        if (this.closed) await client.end();
        else this.client = client;
      } catch (error) {
        this.log?.('event-store LISTEN connection failed; polling', error);
        await client.end().catch(() => undefined);
      } finally {
        this.connecting = null;
      }
    })();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.connecting;
    const client = this.client;
    this.client = null;
    this.waiters.forEach((wake) => wake());
    if (client) await client.end().catch(() => undefined);
  }
}
