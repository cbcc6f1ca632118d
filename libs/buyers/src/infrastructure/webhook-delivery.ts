import { createHash } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { isEvent, LeadAllocated } from '#lx/contracts';
import { SupervisedSubscription, type EventStore, type RecordedEvent } from '#lx/event-store';
import type { AggregateRepository } from '#lx/event-sourcing';
import {
  openQueue,
  registerScrapedGauge,
  startQueueWorker,
  type OpenedQueue,
  type QueueConnection,
  type StartedWorker,
} from '#lx/http';
import { loadBuyerAccount } from '../application/buyer-account-stream.js';
import type { BuyersOptions } from '../application/buyers-options.js';
import type { PersonalDataReader } from '../application/personal-data-reader.js';
import { webhookSecretsInForce } from '../application/webhook-secrets.js';
import { signWebhookWithEach } from '../domain/webhook-signature.js';
import type { DeliveryRecords, DeliveryStatus, WebhookJob } from './delivery-records.js';
import { discloseLeadToItsBuyer } from './lead-personal-data.js';
import { postWebhook } from './webhook-http.js';
import type { WebhookTargets } from './webhook-targets.js';

export type { DeliveryState, DeliveryStatus, WebhookJob } from './delivery-records.js';

const QUEUE = 'buyers-webhooks';

/** BullMQ job ids may not contain ':'; an allocation id may. */
const jobIdOf = (allocationId: string) =>
  `a${createHash('sha256').update(allocationId).digest('hex').slice(0, 40)}`;

class WebhookRefused extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Webhook delivery: a subscription to LeadAllocated queues one job per allocation whose order
 * asked for webhooks; a BullMQ worker POSTs the signed lead, retrying with exponential backoff;
 * after the last attempt the delivery is dead-lettered and can be redelivered on request.
 */
export class WebhookDelivery {
  private readonly logger = new Logger('buyers');
  private opened: OpenedQueue<WebhookJob> | null = null;
  private queue!: Queue<WebhookJob>;
  private worker: StartedWorker<WebhookJob> | null = null;
  private subscription: SupervisedSubscription | null = null;
  private readonly unobserve: (() => void)[] = [];

  constructor(
    private readonly options: BuyersOptions,
    private readonly store: EventStore,
    private readonly repository: AggregateRepository,
    private readonly personalData: PersonalDataReader,
    private readonly records: DeliveryRecords,
    private readonly targets: WebhookTargets,
  ) {}

  private reconciliation: NodeJS.Timeout | null = null;
  private reconciling: Promise<number> | null = null;

  private get redis(): QueueConnection {
    return { redisUrl: this.options.redisUrl, prefix: this.options.redisPrefix };
  }

  /** The queue is always available (for redelivery); the worker and subscription run when `work`. */
  async start(work: boolean): Promise<void> {
    // Connection hiccups: BullMQ reconnects by itself. At stop the connections are dropped at once.
    this.opened = openQueue<WebhookJob>(this.redis, QUEUE, { release: 'disconnect' });
    const queue = this.opened.queue;
    this.queue = queue;
    // A job that used its last attempt stays failed (removeOnFail: false) until it is redelivered.
    this.unobserve.push(
      registerScrapedGauge({
        name: 'lx_webhook_dead_letters',
        help: 'Webhook deliveries that used every attempt and wait for a redelivery (failed jobs)',
        read: async () => [{ value: await queue.getFailedCount() }],
      }),
    );
    if (!work) return;
    this.worker = startQueueWorker<WebhookJob>(this.redis, QUEUE, (job) => this.send(job), {
      concurrency: 16,
      release: 'disconnect',
    });
    this.worker.worker.on('failed', (job, error) => void this.onFailed(job, error));
    // Redis keeps nothing on disk: the jobs of pending deliveries are re-derived from PostgreSQL.
    await this.reconcile();
    this.reconciliation = setInterval(
      () => void this.reconcile().catch(() => undefined),
      this.options.webhookReconcileMs,
    );
    this.reconciliation.unref();
    // A page at a time: its checkpoint is saved once per page, and each buyer's account is read once
    // per page. A crash mid-page dispatches the page again; dispatch is idempotent (status, job id).
    // Supervised: a lost connection or a restarted database restarts it from its checkpoint.
    this.subscription = new SupervisedSubscription(
      this.store,
      'buyers:webhook-dispatch',
      { pages: (page) => this.dispatchPage(page) },
      {
        filter: { streamCategories: ['market'], eventTypes: [LeadAllocated.type] },
        pollIntervalMs: 500,
        log: (message, error) => this.logger.warn(error ? `${message}: ${String(error)}` : message),
      },
    );
  }

  async stop(): Promise<void> {
    for (const unobserve of this.unobserve.splice(0)) unobserve();
    if (this.reconciliation) clearInterval(this.reconciliation);
    await this.reconciling?.catch(() => undefined);
    await this.subscription?.stop();
    await this.worker?.close();
    await this.opened?.close();
  }

  /**
   * Queues the page's allocations whose order delivers by webhook (and whose buyer configured one):
   * each buyer's account read once (the buyers' reads side by side), the deliveries recorded in one
   * statement and their jobs queued in one Redis round trip. Per event this used to be three
   * round trips one after another, and a page waited for all of them.
   */
  async dispatchPage(events: readonly RecordedEvent[]): Promise<void> {
    const allocations = events.filter((event) => isEvent(LeadAllocated, event)).map((event) => event.data);
    if (allocations.length === 0) return;
    const buyerIds = [...new Set(allocations.map((d) => d.buyerId))];
    const loaded = await Promise.all(buyerIds.map((buyerId) => loadBuyerAccount(this.repository, buyerId)));
    const accounts = new Map(buyerIds.map((buyerId, i) => [buyerId, loaded[i]!]));
    const jobs: WebhookJob[] = [];
    for (const d of allocations) {
      const account = accounts.get(d.buyerId)!;
      if (account.orders[d.orderId]?.terms.delivery !== 'webhook' || !account.webhook) continue;
      jobs.push({
        allocationId: d.allocationId,
        leadId: d.leadId,
        orderId: d.orderId,
        buyerId: d.buyerId,
        sellerId: d.sellerId,
        vertical: d.vertical,
        currency: d.currency,
        price: d.price,
        allocatedAt: d.at,
      });
    }
    // Another instance (or a replay of this subscription) recorded some already; if their jobs were
    // lost before they reached Redis, the reconciliation queues them.
    const created = await this.records.createPendingMany(jobs);
    await this.addJobs(jobs.filter((job) => created.has(job.allocationId)));
  }

  /** Queues the allocation if its order delivers by webhook and a webhook is configured. */
  async dispatch(event: RecordedEvent): Promise<void> {
    await this.dispatchPage([event]);
  }

  /**
   * Queues again every pending delivery whose job Redis no longer has (a flush, a restart of a Redis
   * that keeps nothing) or whose job completed without its result being recorded (a crash between
   * the POST and the record: sent again, the receiver dedupes by X-LX-Delivery). A job queued twice
   * by two instances is one job (its id), and a delivery recorded as delivered is never sent again.
   */
  async reconcile(): Promise<number> {
    this.reconciling ??= (async () => {
      let queued = 0;
      for (const job of await this.records.pending(1000)) {
        const existing = await this.queue.getJob(jobIdOf(job.allocationId));
        if (existing && (await existing.getState()) !== 'completed') continue;
        await existing?.remove();
        await this.addJob(job);
        queued++;
      }
      return queued;
    })().finally(() => (this.reconciling = null));
    return this.reconciling;
  }

  /** Sends again, with a fresh set of attempts; false when a delivery is already under way. */
  async redeliver(job: WebhookJob): Promise<boolean> {
    const existing = await this.queue.getJob(jobIdOf(job.allocationId));
    if (existing) {
      const state = await existing.getState();
      if (state === 'active' || state === 'waiting' || state === 'delayed' || state === 'prioritized')
        return false;
      await existing.remove();
    }
    await this.records.restartPending(job);
    await this.addJob(job);
    return true;
  }

  async statuses(buyerId: string): Promise<DeliveryStatus[]> {
    return this.records.statuses(buyerId);
  }

  async status(buyerId: string, allocationId: string): Promise<DeliveryStatus | null> {
    return this.records.status(buyerId, allocationId);
  }

  private jobOptions(job: WebhookJob) {
    return {
      jobId: jobIdOf(job.allocationId),
      attempts: this.options.webhookAttempts,
      backoff: { type: 'exponential', delay: this.options.webhookBackoffMs },
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: false,
    };
  }

  private async addJob(job: WebhookJob): Promise<void> {
    await this.queue.add('deliver', job, this.jobOptions(job));
  }

  /** Several jobs in one round trip (a job whose id is queued already stays the one job). */
  private async addJobs(jobs: readonly WebhookJob[]): Promise<void> {
    if (jobs.length === 1) await this.addJob(jobs[0]!);
    else if (jobs.length > 1)
      await this.queue.addBulk(
        jobs.map((job) => ({ name: 'deliver', data: job, opts: this.jobOptions(job) })),
      );
  }

  private async send(job: Job<WebhookJob>): Promise<void> {
    const data = job.data;
    // Three reads side by side (they are independent): the delivery's state, the buyer's account
    // (its webhook now) and the lead (decrypted). A job re-derived after a flush, or queued twice,
    // for a delivery already made sends nothing; an unneeded read then is the rare case's cost.
    // A failing read is the job's failure (it is tried again).
    const [status, account, lead] = await Promise.all([
      this.records.status(data.buyerId, data.allocationId),
      loadBuyerAccount(this.repository, data.buyerId),
      discloseLeadToItsBuyer(this.store, this.personalData, data.leadId),
    ]);
    if (status?.state === 'delivered') return;
    if (!account.webhook) throw new WebhookRefused(null, 'no webhook is configured');
    const body = JSON.stringify({
      type: 'lead.allocated',
      deliveryId: data.allocationId,
      attempt: job.attemptsMade + 1,
      allocation: {
        allocationId: data.allocationId,
        orderId: data.orderId,
        leadId: data.leadId,
        sellerId: data.sellerId,
        vertical: data.vertical,
        price: { amount: data.price, currency: data.currency },
        allocatedAt: data.allocatedAt,
      },
      lead: { attributes: lead.attributes, consent: lead.consent },
      personalData: lead.personalData,
      personalDataStatus: lead.personalDataStatus,
    });
    const secrets = webhookSecretsInForce(
      this.options.webhookSigningKey,
      data.buyerId,
      account.webhook,
      new Date(),
    );
    const timestamp = Math.floor(Date.now() / 1000);
    let response: { status: number };
    try {
      // A name is resolved (and its addresses checked) once, by the connection's own lookup.
      await this.targets.checkBeforeConnecting(account.webhook.url);
      response = await postWebhook({
        url: account.webhook.url,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'LeadExchange-Webhooks/1',
          'x-lx-delivery': data.allocationId,
          'x-lx-timestamp': String(timestamp),
          'x-lx-signature': signWebhookWithEach(secrets, timestamp, body),
        },
        body,
        timeoutMs: this.options.webhookTimeoutMs,
        lookup: this.targets.lookup,
      });
    } catch (error) {
      throw new WebhookRefused(null, error instanceof Error ? error.message : String(error));
    }
    if (response.status < 200 || response.status >= 300) {
      await this.record(data, {
        state: 'pending',
        attempts: job.attemptsMade + 1,
        lastError: `HTTP ${response.status}`,
        lastStatus: response.status,
      });
      throw new WebhookRefused(response.status, `the receiver answered HTTP ${response.status}`);
    }
    await this.record(data, {
      state: 'delivered',
      attempts: job.attemptsMade + 1,
      lastError: null,
      lastStatus: response.status,
    });
  }

  private async onFailed(job: Job<WebhookJob> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const last = job.attemptsMade >= (job.opts.attempts ?? 1);
    await this.record(job.data, {
      state: last ? 'dead' : 'pending',
      attempts: job.attemptsMade,
      lastError: error.message,
      lastStatus: error instanceof WebhookRefused ? error.status : null,
    });
  }

  private async record(
    job: WebhookJob,
    status: Omit<DeliveryStatus, 'allocationId' | 'updatedAt'>,
  ): Promise<void> {
    await this.records.update(job.allocationId, status);
  }
}
