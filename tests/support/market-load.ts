// A mixed market driven over HTTP, as real clients drive it, for the fault tests (tests/faults),
// `npm run chaos` and `npm run soak`: sellers upload, buyers place orders and return leads, the
// engine trades, webhooks go out. Every write carries an Idempotency-Key and is retried with the
// same key until it is acknowledged, as a careful client does; then the log is read to count what
// was acknowledged, lost and doubled. No Jest here: bench/ uses it too.
import pg from 'pg';
import { generateLeadRows, leadRowsToCsv } from '#lx/market-generator';
import type { RunningExchange } from '#lx/testing';
import {
  confirmDeposit,
  openMarket,
  register,
  sleep,
  startWebhookReceiver,
  type Registered,
  type WebhookReceiver,
} from './scenarios.js';

export const LOAD_PRICE = 60_000;

export interface MarketLoadOptions {
  /** Leads listed per second, in batches of `batchRows`. */
  leadsPerSecond: number;
  batchRows: number;
  /** One order every this many ms (each for `orderQuantity` leads; a third of them by webhook). */
  orderEveryMs: number;
  orderQuantity: number;
  /** One return every this many ms, of a lead the buyer bought. */
  returnEveryMs: number;
  /** A write retried this long without an acknowledgement counts as failed (never acknowledged). */
  giveUpAfterMs?: number;
  vertical?: string;
  log?: (message: string) => void;
}

/**
 * A little trading for a test that needs some on the books (transfers, payouts): ten leads a second
 * in batches of five, an order for five a second, one return a minute (most sales post).
 */
export const LIGHT_TRADING: MarketLoadOptions = {
  leadsPerSecond: 10,
  batchRows: 5,
  orderEveryMs: 1_000,
  orderQuantity: 5,
  returnEveryMs: 60_000,
};

type WriteKind = 'upload' | 'order' | 'return';

interface Acknowledged {
  kind: WriteKind;
  /** The batch, order or allocation the acknowledgement named. */
  id: string;
  rows: number;
  at: number;
}

export interface LoadCounts {
  acknowledged: number;
  lost: number;
  doubled: number;
  /** Writes never acknowledged (retried until giving up): the client knows they may not have happened. */
  unacknowledged: number;
}

export interface LoadVerdict {
  byKind: Record<WriteKind, LoadCounts>;
  total: LoadCounts;
  leadsListed: number;
  allocations: number;
  /** Leads sold twice to exclusive orders (never allowed). */
  leadsSoldTwice: number;
  /** Allocations of webhook orders never delivered (at-least-once delivery). */
  webhooksMissing: number;
  webhooksDelivered: number;
  /** The buyers' read model holds every allocation of the log (projections resumed). */
  purchasesInReadModel: number;
  details: string[];
}

/** A running mixed market; `stop()` ends the load, `verify()` reads the log and counts. */
export class MarketLoad {
  readonly acknowledged: Acknowledged[] = [];
  /** Attempts that failed (5xx, connection refused …) and were retried. */
  retries = 0;
  /** The HTTP statuses of the failed attempts (what the apps answered while the fault lasted). */
  readonly failedStatuses = new Map<number, number>();
  /**
   * Writes refused (a 4xx) after an earlier attempt of the same request failed: that attempt may
   * have been written, so the client cannot know; each one is named in the verdict's details.
   */
  readonly refusedAfterRetry: string[] = [];
  unacknowledged: Record<WriteKind, number> = { upload: 0, order: 0, return: 0 };
  private stopping = false;
  /** Aborted by `stop()`: wakes the loops from their pause between writes. */
  private halt = new AbortController();
  private loops: Promise<void>[] = [];
  private sequence = 0;
  private readonly returned = new Set<string>();
  private readonly webhookOrders = new Set<string>();

  private constructor(
    readonly exchange: RunningExchange,
    private readonly options: MarketLoadOptions,
    readonly seller: Registered,
    readonly buyer: Registered,
    readonly receiver: WebhookReceiver,
    private readonly run: string,
  ) {}

  /** Opens the market, registers a seller and a buyer (funded), points the buyer's webhook at a receiver. */
  static async prepare(exchange: RunningExchange, options: MarketLoadOptions): Promise<MarketLoad> {
    const vertical = options.vertical ?? 'eyewear';
    await openMarket(exchange, vertical);
    const seller = await register(exchange, 'seller', 'Load Seller');
    const buyer = await register(exchange, 'buyer', 'Load Buyer');
    await confirmDeposit(exchange, buyer, 1_000_000_000_000, 'load-deposit');
    const receiver = await startWebhookReceiver();
    const webhook = await exchange.call('buyers', 'PUT', '/v1/webhook', {
      key: buyer.apiKey,
      body: { url: receiver.url },
    });
    if (webhook.status !== 200) throw new Error(`webhook: ${webhook.status} ${JSON.stringify(webhook.body)}`);
    return new MarketLoad(
      exchange,
      { vertical, ...options },
      seller,
      buyer,
      receiver,
      Date.now().toString(36),
    );
  }

  start(): void {
    this.stopping = false;
    this.halt = new AbortController();
    const { leadsPerSecond, batchRows, orderEveryMs, returnEveryMs } = this.options;
    this.loops = [
      this.every((batchRows / leadsPerSecond) * 1000, () => this.uploadBatch()),
      this.every(orderEveryMs, () => this.placeOrder()),
      this.every(returnEveryMs, () => this.returnALead()),
    ];
  }

  /**
   * Ends the loops at once (not after their pause: a return every 60 s would otherwise hold `stop()`
   * for up to a minute) and waits for the writes in flight, which still retry until acknowledged.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.halt.abort();
    await Promise.all(this.loops);
  }

  /** The first acknowledgement at or after `at` (ms epoch), if any. */
  firstAcknowledgedAfter(at: number): number | null {
    let first: number | null = null;
    for (const ack of this.acknowledged)
      if (ack.at >= at && (first === null || ack.at < first)) first = ack.at;
    return first;
  }

  /** Starts one write every `everyMs` (not waiting for the previous: clients do not queue politely). */
  private async every(everyMs: number, write: () => Promise<void>): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    for (let next = Date.now(); !this.stopping; next += everyMs) {
      const pending = write().catch((error: unknown) => this.options.log?.(`write failed: ${String(error)}`));
      inFlight.add(pending);
      void pending.finally(() => inFlight.delete(pending));
      await this.pause(Math.max(0, next + everyMs - Date.now()));
    }
    await Promise.all(inFlight);
  }

  /** Sleeps `ms`, or less if the load is stopped meanwhile. */
  private pause(ms: number): Promise<void> {
    const { signal } = this.halt;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * Sends until acknowledged (`ok`), with the same Idempotency-Key each time; null when it gave up
   * or when a retry was refused (the verdict names those).
   * A 4xx other than 409/429 is a refusal, not a fault: it is reported, not retried.
   */
  private async send(
    app: 'sellers' | 'buyers',
    attempt: () => Promise<{ status: number; body: any }>,
    ok: number,
  ): Promise<any | null> {
    const deadline = Date.now() + (this.options.giveUpAfterMs ?? 120_000);
    for (let pause = 200; ; pause = Math.min(pause * 2, 2_000)) {
      try {
        const response = await attempt();
        if (response.status === ok) return response.body;
        this.failedStatuses.set(response.status, (this.failedStatuses.get(response.status) ?? 0) + 1);
        if (response.status < 500 && response.status !== 409 && response.status !== 429) {
          const refusal = `${app} refused: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
          if (pause > 200) {
            // Not the first attempt: the earlier one may have been written; the client cannot tell.
            this.refusedAfterRetry.push(refusal);
            return null;
          }
          throw new Error(refusal);
        }
        this.options.log?.(
          `${app}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}; retrying`,
        );
      } catch (error) {
        if (error instanceof Error && error.message.includes('refused:')) throw error;
        this.options.log?.(`${app}: ${String(error)}; retrying`);
      }
      this.retries++;
      if (Date.now() > deadline) return null;
      await sleep(pause);
    }
  }

  private async uploadBatch(): Promise<void> {
    const n = this.sequence++;
    const rows = generateLeadRows({
      seed: `load-${this.run}-${n}`,
      count: this.options.batchRows,
      vertical: this.options.vertical as 'eyewear',
      country: 'RU',
      capturedAround: new Date(),
      captureWindowMinutes: 1,
      partialShare: 0,
      duplicateShare: 0,
      badShare: 0,
    }).rows;
    const csv = leadRowsToCsv(rows);
    const url = `${this.exchange.url('sellers')}/v1/batches?vertical=${this.options.vertical}&floor=${LOAD_PRICE}&exclusivity=exclusive`;
    const key = `upload-${this.run}-${n}`;
    const body = await this.send(
      'sellers',
      async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.seller.apiKey}`,
            'content-type': 'text/csv',
            'idempotency-key': key,
          },
          body: csv,
        });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : null };
      },
      202,
    );
    if (body) this.acknowledged.push({ kind: 'upload', id: body.batchId, rows: rows.length, at: Date.now() });
    else this.unacknowledged.upload++;
  }

  private async placeOrder(): Promise<void> {
    const n = this.sequence++;
    const { orderQuantity: quantity } = this.options;
    const webhook = n % 3 === 0;
    const body = await this.send(
      'buyers',
      () =>
        this.exchange.call('buyers', 'POST', '/v1/orders', {
          key: this.buyer.apiKey,
          headers: { 'idempotency-key': `order-${this.run}-${n}` },
          body: {
            vertical: this.options.vertical,
            filters: {},
            bid: LOAD_PRICE,
            modifiers: [],
            quantity,
            budget: quantity * LOAD_PRICE,
            exclusivity: 'any',
            delivery: webhook ? 'webhook' : 'pull',
          },
        }),
      201,
    );
    if (!body) return void this.unacknowledged.order++;
    if (webhook) this.webhookOrders.add(body.orderId);
    this.acknowledged.push({ kind: 'order', id: body.orderId, rows: 0, at: Date.now() });
  }

  private async returnALead(): Promise<void> {
    const page = await this.exchange
      .call('buyers', 'GET', '/v1/purchased-leads?limit=50', { key: this.buyer.apiKey })
      .catch(() => null);
    const candidate = (page?.status === 200 ? (page.body.items as { allocationId: string }[]) : []).find(
      (item) => !this.returned.has(item.allocationId),
    );
    if (!candidate) return;
    this.returned.add(candidate.allocationId);
    const n = this.sequence++;
    const body = await this.send(
      'buyers',
      () =>
        this.exchange.call('buyers', 'POST', `/v1/purchased-leads/${candidate.allocationId}/return`, {
          key: this.buyer.apiKey,
          headers: { 'idempotency-key': `return-${this.run}-${n}` },
          body: { reason: 'other', text: 'Was not interested', evidence: [] },
        }),
      201,
    );
    if (body) this.acknowledged.push({ kind: 'return', id: candidate.allocationId, rows: 0, at: Date.now() });
    else this.unacknowledged.return++;
  }

  /**
   * Waits until the exchange has settled what was acknowledged (every batch verified, the buyers'
   * read model holding every allocation, webhooks out), then counts against the log.
   */
  async verify({ settleTimeoutMs = 120_000, waitForWebhooks = true } = {}): Promise<LoadVerdict> {
    const sql = await this.connectToLog();
    try {
      const deadline = Date.now() + settleTimeoutMs;
      const batches = this.acknowledged.filter((ack) => ack.kind === 'upload');
      const unverified = new Set(batches.map((batch) => batch.id));
      const details: string[] = this.refusedAfterRetry.map((refusal) => `after a retry: ${refusal}`);
      while (unverified.size > 0 && Date.now() < deadline) {
        for (const id of [...unverified]) {
          const view = await this.exchange
            .call('sellers', 'GET', `/v1/batches/${id}`, { key: this.seller.apiKey })
            .catch(() => null);
          if (view?.status === 200 && view.body.status === 'verified') unverified.delete(id);
        }
        if (unverified.size > 0) await sleep(500);
      }
      const allocationsOfBuyer = async () =>
        Number(
          (
            await sql.query(
              `SELECT count(*) AS n FROM lx_events WHERE event_type = 'LeadAllocated' AND data->>'buyerId' = $1`,
              [this.buyer.participantId],
            )
          ).rows[0].n,
        );
      let purchasesInReadModel = 0;
      for (;;) {
        const inLog = await allocationsOfBuyer();
        purchasesInReadModel = await this.countPurchases();
        if (purchasesInReadModel >= inLog || Date.now() > deadline) break;
        await sleep(500);
      }
      const webhookAllocations = async () =>
        (
          await sql.query<{ allocation_id: string }>(
            `SELECT data->>'allocationId' AS allocation_id FROM lx_events
              WHERE event_type = 'LeadAllocated' AND data->>'orderId' = ANY($1)`,
            [[...this.webhookOrders]],
          )
        ).rows.map((row) => row.allocation_id);
      const delivered = () =>
        new Set(this.receiver.received.map((delivery) => delivery.body?.allocation?.allocationId as string));
      while (
        waitForWebhooks &&
        Date.now() < deadline &&
        (await webhookAllocations()).some((id) => !delivered().has(id))
      )
        await sleep(500);

      const countBy = async (type: string, field: string) => {
        const { rows } = await sql.query<{ id: string; n: string }>(
          `SELECT data->>'${field}' AS id, count(*) AS n FROM lx_events WHERE event_type = $1 GROUP BY 1`,
          [type],
        );
        return new Map(rows.map((row) => [row.id, Number(row.n)]));
      };
      const written: Record<WriteKind, Map<string, number>> = {
        upload: await countBy('LeadBatchSubmitted', 'batchId'),
        order: await countBy('OrderPlaced', 'orderId'),
        return: await countBy('ReturnRequested', 'allocationId'),
      };
      // Orders of the load's buyer only (its returns ask for no replacement: every order is its own).
      const ordersOfBuyer = new Set(
        (
          await sql.query<{ id: string }>(
            `SELECT data->>'orderId' AS id FROM lx_events WHERE event_type = 'OrderPlaced' AND data->>'buyerId' = $1`,
            [this.buyer.participantId],
          )
        ).rows.map((row) => row.id),
      );
      const byKind = {} as Record<WriteKind, LoadCounts>;
      for (const kind of ['upload', 'order', 'return'] as WriteKind[]) {
        const acks = this.acknowledged.filter((ack) => ack.kind === kind);
        const ids = new Set(acks.map((ack) => ack.id));
        let lost = 0;
        let doubled = 0;
        for (const id of ids) {
          const times = written[kind].get(id) ?? 0;
          if (times === 0) lost++;
          if (times > 1) {
            doubled += times - 1;
            details.push(`${kind} ${id} written ${times} times`);
          }
        }
        // Two acknowledgements of one write for two requests (two keys) would be a double too.
        doubled += acks.length - ids.size;
        const ackCounts = new Map<string, number>();
        for (const ack of acks) ackCounts.set(ack.id, (ackCounts.get(ack.id) ?? 0) + 1);
        for (const [id, times] of ackCounts)
          if (times > 1) details.push(`${kind} ${id} acknowledged to ${times} requests`);
        // Written but never acknowledged under any key: a retry that wrote again.
        const extraIds =
          kind === 'upload'
            ? [...written.upload.keys()].filter((id) => !ids.has(id))
            : kind === 'order'
              ? [...ordersOfBuyer].filter((id) => !ids.has(id))
              : [...written.return.keys()].filter((id) => !ids.has(id));
        const extra = extraIds.length;
        if (extra > this.unacknowledged[kind])
          details.push(
            `${kind}: ${extra} written but never acknowledged (${extraIds.join(', ')}), ` +
              `only ${this.unacknowledged[kind]} requests gave up`,
          );
        doubled += Math.max(0, extra - this.unacknowledged[kind]);
        if (kind === 'upload') {
          lost += unverified.size;
          if (unverified.size) details.push(`batches never verified: ${[...unverified].join(', ')}`);
        }
        byKind[kind] = {
          acknowledged: acks.length,
          lost,
          doubled,
          unacknowledged: this.unacknowledged[kind],
        };
      }
      const sold = await sql.query<{ n: string }>(
        `SELECT count(*) AS n FROM (SELECT data->>'leadId' FROM lx_events WHERE event_type = 'LeadAllocated'
           GROUP BY 1 HAVING count(*) > 1) twice`,
      );
      const listed = await sql.query<{ n: string }>(
        `SELECT count(*) AS n FROM lx_events WHERE event_type = 'LeadListed'`,
      );
      const missing = (await webhookAllocations()).filter((id) => !delivered().has(id));
      const sum = (field: keyof LoadCounts) =>
        Object.values(byKind).reduce((total, counts) => total + counts[field], 0);
      return {
        byKind,
        total: {
          acknowledged: sum('acknowledged'),
          lost: sum('lost'),
          doubled: sum('doubled'),
          unacknowledged: sum('unacknowledged'),
        },
        leadsListed: Number(listed.rows[0]!.n),
        allocations: await allocationsOfBuyer(),
        leadsSoldTwice: Number(sold.rows[0]!.n),
        webhooksMissing: missing.length,
        webhooksDelivered: delivered().size,
        purchasesInReadModel,
        details,
      };
    } finally {
      await sql.end();
    }
  }

  async close(): Promise<void> {
    await this.receiver.close();
  }

  /** The allocations to the load's buyer in the log. */
  async allocationsInLog(): Promise<number> {
    const sql = await this.connectToLog();
    try {
      const { rows } = await sql.query<{ n: string }>(
        `SELECT count(*) AS n FROM lx_events WHERE event_type = 'LeadAllocated' AND data->>'buyerId' = $1`,
        [this.buyer.participantId],
      );
      return Number(rows[0]!.n);
    } finally {
      await sql.end();
    }
  }

  /** A connection for reading the log (verification only), that a fault may cut without harm. */
  private async connectToLog(): Promise<pg.Client> {
    const sql = new pg.Client({ connectionString: this.exchange.database.url });
    sql.on('error', () => undefined);
    await sql.connect();
    return sql;
  }

  private async countPurchases(): Promise<number> {
    let count = 0;
    let cursor: string | undefined;
    do {
      const page = await this.exchange.call(
        'buyers',
        'GET',
        `/v1/purchased-leads?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { key: this.buyer.apiKey },
      );
      if (page.status !== 200) return count;
      count += page.body.items.length;
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    return count;
  }
}
