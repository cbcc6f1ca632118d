import pg from 'pg';
import { WakeSignal } from '../wake-signal.js';

/**
 * Wake-ups for the subscriptions of one store. One LISTEN connection per store receives the
 * NOTIFYs that appenders (in any process) send after commit; appends in this process wake local
 * subscriptions directly. A wake-up that arrives while a subscription is busy is remembered (a
 * generation counter), never lost. Subscriptions also wake on their poll interval, so a lost
 * connection, or an event made readable by an unrelated transaction ending (the xmin horizon
 * moving), is still seen.
 */
export class PostgresWakeUps {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly signal = new WakeSignal();
  private notifying: Promise<void> | null = null;
  private notifyAgain = false;
  private closed = false;

  constructor(
    private readonly connectionString: string,
    private readonly sendNotify: () => Promise<unknown>,
    private readonly log?: (message: string, error?: unknown) => void,
  ) {}

  /** A wait function for one subscription: returns at once if woken since its last wait. */
  waiter(): (timeoutMs: number, signal: AbortSignal) => Promise<void> {
    return this.signal.waiter(() => this.ensureListening());
  }

  /**
   * Called after an append committed: wakes this process's subscriptions now and sends one
   * NOTIFY for other processes, coalescing appends that commit while a NOTIFY is in flight.
   */
  announce(): void {
    this.wakeAll();
    if (this.closed) return;
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = (async () => {
      do {
        this.notifyAgain = false;
        await this.sendNotify().catch((error: unknown) => this.log?.('event-store NOTIFY failed', error));
      } while (this.notifyAgain && !this.closed);
      this.notifying = null;
    })();
  }

  private wakeAll(): void {
    this.signal.wakeAll();
  }

  private ensureListening(): void {
    if (this.client || this.connecting || this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString });
    this.connecting = (async () => {
      try {
        await client.connect();
        client.on('notification', () => this.wakeAll());
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
    await this.notifying;
    const client = this.client;
    this.client = null;
    this.wakeAll();
    if (client) await client.end().catch(() => undefined);
  }
}
