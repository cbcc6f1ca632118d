import pg from 'pg';
import { WakeSignal } from '../wake-signal.js';

/** The shortest and longest pause between two looks at a horizon that hides committed events. */
const HIDDEN_RECHECK_FIRST_MS = 2;
const HIDDEN_RECHECK_MAX_MS = 25;

/**
 * Where the readable log ends (`xmin`: readers read below it) and the oldest transaction with
 * committed events at or above it (`hidden`, null when none): those events wait for an older
 * transaction, possibly one that appends nothing and so sends no NOTIFY, to end.
 */
const HORIZON_SQL = `WITH horizon AS (SELECT lx_read_horizon() AS xmin)
  SELECT horizon.xmin::text AS xmin,
    (SELECT min(e.transaction_id) FROM lx_events e WHERE e.transaction_id >= horizon.xmin)::text AS hidden
  FROM horizon`;

/**
 * The NOTIFY an append sends after commit. A wake-up, not a write: its transaction (NOTIFY takes a
 * transaction id, so it commits a WAL record) need not wait for the flush; the append it announces
 * was flushed already.
 */
const NOTIFY_SQL = "SELECT set_config('synchronous_commit', 'off', true), pg_notify('lx_events', '')";

/**
 * Wake-ups for the subscriptions of one store. One LISTEN connection per store receives the
 * NOTIFYs that appenders (in any process) send after commit; appends in this process wake local
 * subscriptions directly. A wake-up that arrives while a subscription is busy is remembered (a
 * generation counter), never lost.
 *
 * An event committed while an older transaction is still open is not readable yet (subscriptions
 * read below the xmin horizon), and the transaction that finally makes it readable may append
 * nothing and so send no NOTIFY. So a NOTIFY first looks at the horizon on the LISTEN connection
 * (one small query per NOTIFY for the whole process, not one per subscription), then wakes the
 * subscriptions; if committed events are still hidden it looks again, 2 ms later and then at most
 * every 25 ms, and wakes the subscriptions as soon as the horizon has passed them. Looking before
 * waking leaves no gap: whatever the look saw readable, the reads it wakes see too. Subscriptions
 * also wake on their poll interval, so a lost connection is still only a delay.
 */
export class PostgresWakeUps {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly signal = new WakeSignal();
  private notifying: Promise<void> | null = null;
  private notifyAgain = false;
  private closed = false;
  /** A NOTIFY arrived that no look at the horizon has answered yet. */
  private notified = false;
  /** The oldest transaction whose committed events the last look found hidden, or null. */
  private hidden: bigint | null = null;
  private looking: Promise<void> | null = null;
  private pause: { timer: NodeJS.Timeout; resolve: () => void } | null = null;

  /**
   * `query` runs a statement on a pooled connection: the NOTIFY's way when this process does not
   * listen (yet). Once it listens, the NOTIFY goes on the LISTEN connection: through a busy pool it
   * would wait behind every query queued for a connection, and every subscriber of the log, in
   * every process, would wake that much later.
   */
  constructor(
    private readonly connectionString: string,
    private readonly query: (sql: string) => Promise<unknown>,
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
        await (this.client ? this.client.query(NOTIFY_SQL) : this.query(NOTIFY_SQL)).catch((error: unknown) =>
          this.log?.('event-store NOTIFY failed', error),
        );
      } while (this.notifyAgain && !this.closed);
      this.notifying = null;
    })();
  }

  private wakeAll(): void {
    this.signal.wakeAll();
  }

  private onNotification(): void {
    this.notified = true;
    if (this.pause) {
      // Looking again at a hidden horizon: a NOTIFY cuts the pause short.
      clearTimeout(this.pause.timer);
      this.pause.resolve();
    }
    this.looking ??= this.lookAtHorizon().finally(() => (this.looking = null));
  }

  /**
   * One look per NOTIFY (NOTIFYs arriving during a look share the next one), then, while committed
   * events are hidden, a look after each pause; the subscriptions are woken after each look that
   * answers a NOTIFY or finds the horizon past the hidden events. Any failure wakes them and stops:
   * their poll interval covers the rest.
   */
  private async lookAtHorizon(): Promise<void> {
    let pauseMs = HIDDEN_RECHECK_FIRST_MS;
    while (!this.closed && (this.notified || this.hidden !== null)) {
      if (!this.notified) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pauseMs);
          this.pause = { timer, resolve };
        });
        this.pause = null;
        pauseMs = Math.min(pauseMs * 2, HIDDEN_RECHECK_MAX_MS);
        if (this.closed) return;
      }
      const answersNotify = this.notified;
      this.notified = false;
      const client = this.client;
      let horizon: { xmin: bigint; hidden: bigint | null };
      try {
        if (!client) throw new Error('not listening');
        const { rows } = await client.query<{ xmin: string; hidden: string | null }>(HORIZON_SQL);
        horizon = {
          xmin: BigInt(rows[0]!.xmin),
          hidden: rows[0]!.hidden === null ? null : BigInt(rows[0]!.hidden),
        };
      } catch {
        this.hidden = null;
        this.wakeAll();
        continue;
      }
      const uncovered = this.hidden !== null && horizon.xmin > this.hidden;
      if (answersNotify || uncovered) this.wakeAll();
      if (horizon.hidden === null) pauseMs = HIDDEN_RECHECK_FIRST_MS;
      else if (uncovered || this.hidden === null) pauseMs = HIDDEN_RECHECK_FIRST_MS;
      this.hidden = horizon.hidden;
    }
  }

  private ensureListening(): void {
    if (this.client || this.connecting || this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString });
    this.connecting = (async () => {
      try {
        await client.connect();
        client.on('notification', () => this.onNotification());
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
    if (this.pause) {
      clearTimeout(this.pause.timer);
      this.pause.resolve();
    }
    await this.connecting;
    await this.notifying;
    await this.looking;
    const client = this.client;
    this.client = null;
    this.wakeAll();
    if (client) await client.end().catch(() => undefined);
  }
}
