import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { eventCatalogue } from '#lx/contracts';
import { PostgresEventStore } from '#lx/event-store';
import { AggregateRepository } from '#lx/event-sourcing';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '#lx/testing';
import { buyerAccountDecider } from '../domain/buyer-account-decider.js';
import { verifyWebhook } from '../domain/webhook-signature.js';
import { buyerStream, loadBuyerAccount } from '../application/buyer-account-stream.js';
import type { BuyersOptions } from '../application/buyers-options.js';
import type { PersonalDataReader } from '../application/personal-data-reader.js';
import { webhookSecret } from '../application/webhook-secrets.js';
import { leadAllocated, leadListed } from '../testing/catalogue-fixtures.js';
import { WebhookTargets } from './webhook-targets.js';
import { DeliveryRecords } from './delivery-records.js';
import { WebhookDelivery } from './webhook-delivery.js';

jest.setTimeout(120_000);

/** Stands in for libs/vault behind the application's own port (no database or queue is faked). */
const vault: PersonalDataReader = {
  available: true,
  read: async (leadId) => ({
    name: `Person ${leadId}`,
    phone: '+79991234567',
    email: `${leadId}@example.com`,
  }),
  openTexts: async (envelopes) => envelopes.map(() => null),
  sealText: () => Promise.reject(new Error('webhooks seal nothing')),
};

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  answered: number;
}

describe('webhook delivery over BullMQ and Redis', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let repository: AggregateRepository;
  let redis: Redis;
  let dataSource: DataSource;
  let records: DeliveryRecords;
  let delivery: WebhookDelivery;
  let receiver: Server;
  let url: string;
  let answer = 200;
  const received: Received[] = [];
  const buyerId = randomUUID();
  const orderId = randomUUID();
  const options: BuyersOptions = {
    redisUrl: 'redis://127.0.0.1:6379',
    redisPrefix: testRedisPrefix('webhooks').replace(/:$/, ''),
    webhookSigningKey: 'test-webhook-signing-key-0123456789abcdef',
    webhookAttempts: 3,
    webhookBackoffMs: 20,
    webhookTimeoutMs: 10_000, // a loaded CI machine answers slowly; a timeout would send a second attempt
    webhookReconcileMs: 60_000,
    webhookTargets: { allowPrivate: true, requireHttps: false },
    defaultCurrency: 'RUB',
    runBackgroundWork: true,
  };

  const waitFor = async (condition: () => Promise<boolean> | boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  /** The buyer's eyewear order for any lead at 600 RUB, delivered as `terms.delivery` says. */
  const placeOrder = (
    id: string,
    terms: { quantity: number; budget: number; delivery: 'webhook' | 'pull' },
  ) =>
    repository.handle(buyerStream(buyerId), buyerAccountDecider, {
      kind: 'place-order',
      marketOpen: true,
      buyerId,
      orderId: id,
      vertical: 'eyewear',
      currency: 'RUB',
      terms: { filters: {}, bid: 60000, modifiers: [], exclusivity: 'any', ...terms },
    });

  /** A delivery instance of the buyers app, on the suite's store, vault and delivery records. */
  const startDelivery = async (settings: BuyersOptions) => {
    const instance = new WebhookDelivery(
      settings,
      store,
      repository,
      vault,
      records,
      new WebhookTargets(settings.webhookTargets),
    );
    await instance.start(true);
    return instance;
  };

  beforeAll(async () => {
    database = await createTestDatabase('buyers_webhooks');
    store = await PostgresEventStore.connect({ connectionString: database.url, registry: eventCatalogue });
    repository = new AggregateRepository(store);
    redis = new Redis(options.redisUrl);
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body, answered: answer });
        response.statusCode = answer;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks/leads`;

    const stream = buyerStream(buyerId);
    await repository.handle(stream, buyerAccountDecider, {
      kind: 'deposit',
      buyerId,
      depositId: 'd1',
      amount: 1_000_000,
      currency: 'RUB',
      reference: 'r',
    });
    await placeOrder(orderId, { quantity: 5, budget: 300_000, delivery: 'webhook' });
    await repository.handle(stream, buyerAccountDecider, {
      kind: 'configure-webhook',
      buyerId,
      url,
      secretRef: 'derived:v1:test',
    });
    dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    records = new DeliveryRecords(dataSource);
    await records.ensureSchema();
    delivery = await startDelivery(options);
  });

  afterAll(async () => {
    await delivery?.stop();
    const keys = await redis.keys(`${options.redisPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis?.disconnect();
    await dataSource?.destroy();
    await new Promise((resolve) => receiver?.close(resolve));
    await store?.close();
    await database?.drop();
  });

  /** The lead listed, then sold at 600 RUB to the buyer's order (the webhook one unless named). */
  const allocate = async (allocationId: string, leadId: string, toOrder = orderId) => {
    await store.appendToStream(`lead-${leadId}`, [leadListed(leadId)], { expectedRevision: 'any' });
    await store.appendToStream(
      'market-eyewear',
      [leadAllocated({ allocationId, leadId, orderId: toOrder, buyerId, price: 60000 })],
      { expectedRevision: 'any' },
    );
  };

  it('delivers an allocation to the webhook, signed over timestamp.body, with the decrypted lead', async () => {
    await allocate('aw1', 'w1');
    await waitFor(() => received.length === 1);
    const [hit] = received;
    const account = await loadBuyerAccount(repository, buyerId);
    const secret = webhookSecret(options.webhookSigningKey, buyerId, account.webhook!.secretRef);
    const headers = {
      timestamp: hit!.headers['x-lx-timestamp'] as string,
      signature: hit!.headers['x-lx-signature'] as string,
    };
    expect(headers.signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(secret, headers, hit!.body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifyWebhook('another secret', headers, hit!.body, Math.floor(Date.now() / 1000))).toBe(false);
    expect(JSON.parse(hit!.body)).toMatchObject({
      type: 'lead.allocated',
      deliveryId: 'aw1',
      allocation: { orderId, price: { amount: 60000, currency: 'RUB' } },
      personalData: { name: 'Person w1', phone: '+79991234567' },
      personalDataStatus: 'available',
    });
    await waitFor(async () => (await delivery.status(buyerId, 'aw1'))?.state === 'delivered');
  });

  it('retries with backoff, dead-letters after the last attempt, and redelivers on request', async () => {
    answer = 503;
    const before = received.length;
    await allocate('aw2', 'w2');
    await waitFor(async () => (await delivery.status(buyerId, 'aw2'))?.state === 'dead');
    expect(received.length - before).toBe(3);
    expect(await delivery.status(buyerId, 'aw2')).toMatchObject({
      state: 'dead',
      attempts: 3,
      lastStatus: 503,
    });

    answer = 200;
    const job = {
      allocationId: 'aw2',
      leadId: 'w2',
      orderId,
      buyerId,
      sellerId: 'seller-1',
      vertical: 'eyewear',
      currency: 'RUB',
      price: 60000,
      allocatedAt: new Date().toISOString(),
    };
    expect(await delivery.redeliver(job)).toBe(true);
    await waitFor(async () => (await delivery.status(buyerId, 'aw2'))?.state === 'delivered');
    expect(received.length - before).toBe(4);
  });

  it('does not call the webhook for an order that pulls', async () => {
    const pullOrder = randomUUID();
    await placeOrder(pullOrder, { quantity: 1, budget: 60000, delivery: 'pull' });
    const before = received.length;
    await allocate('aw3', 'w3', pullOrder);
    // A webhook allocation appended after it proves the dispatcher got past the pull one.
    await allocate('aw4', 'w4');
    await waitFor(async () => (await delivery.status(buyerId, 'aw4'))?.state === 'delivered');
    expect(received.slice(before).map((hit) => JSON.parse(hit.body).deliveryId)).toEqual(['aw4']);
    expect(await delivery.status(buyerId, 'aw3')).toBeNull();
  });

  it('after a rotation signs with the new and the previous secret until the overlap ends', async () => {
    const before = await loadBuyerAccount(repository, buyerId);
    const oldSecret = webhookSecret(options.webhookSigningKey, buyerId, before.webhook!.secretRef);
    const newRef = 'derived:v1:rotated';
    const newSecret = webhookSecret(options.webhookSigningKey, buyerId, newRef);
    await repository.handle(buyerStream(buyerId), buyerAccountDecider, {
      kind: 'rotate-webhook-secret',
      buyerId,
      secretRef: newRef,
      previousValidUntil: new Date(Date.now() + 60_000).toISOString(),
    });
    const signatureOf = async (allocationId: string, leadId: string) => {
      const from = received.length;
      await allocate(allocationId, leadId);
      await waitFor(() => received.length > from);
      const hit = received[from]!;
      return {
        headers: {
          timestamp: hit.headers['x-lx-timestamp'] as string,
          signature: hit.headers['x-lx-signature'] as string,
        },
        body: hit.body,
      };
    };
    const during = await signatureOf('aw5', 'w5');
    const now = Math.floor(Date.now() / 1000);
    expect(during.headers.signature).toMatch(/^v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(newSecret, during.headers, during.body, now)).toBe(true);
    expect(verifyWebhook(oldSecret, during.headers, during.body, now)).toBe(true);

    // An overlap that has ended: the previous secret signs no more.
    await repository.handle(buyerStream(buyerId), buyerAccountDecider, {
      kind: 'rotate-webhook-secret',
      buyerId,
      secretRef: 'derived:v1:rotated-again',
      previousValidUntil: new Date(Date.now() - 1).toISOString(),
    });
    const after = await signatureOf('aw6', 'w6');
    const latest = webhookSecret(options.webhookSigningKey, buyerId, 'derived:v1:rotated-again');
    expect(after.headers.signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(latest, after.headers, after.body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifyWebhook(newSecret, after.headers, after.body, Math.floor(Date.now() / 1000))).toBe(false);
  });

  describe("when Redis loses everything (the machine's Redis keeps nothing on disk)", () => {
    // What FLUSHALL does to this deployment, without flushing a Redis other test runs share.
    const loseRedis = async () => {
      const keys = await redis.keys(`${options.redisPrefix}:*`);
      if (keys.length) await redis.del(...keys);
    };
    const hitsOf = (allocationId: string) =>
      received.filter((hit) => JSON.parse(hit.body).deliveryId === allocationId).map((hit) => hit.answered);
    // Retries ten minutes apart: a delivery that failed once waits in Redis as a delayed job.
    const patient = { ...options, webhookBackoffMs: 600_000, webhookReconcileMs: 200 };

    it('the periodic reconciliation queues a pending delivery again; it arrives once', async () => {
      await delivery.stop();
      delivery = await startDelivery(patient);
      answer = 503;
      await allocate('aw7', 'w7');
      await waitFor(async () => (await delivery.status(buyerId, 'aw7'))?.attempts === 1);
      expect(await delivery.status(buyerId, 'aw7')).toMatchObject({ state: 'pending', lastStatus: 503 });

      await loseRedis();
      answer = 200;
      await waitFor(async () => (await delivery.status(buyerId, 'aw7'))?.state === 'delivered');
      // Give a second, wrong re-queue the chance to show itself.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(hitsOf('aw7')).toEqual([503, 200]);
    });

    it('a restarted instance re-derives the lost jobs at start; delivered ones are not sent again', async () => {
      answer = 503;
      await allocate('aw8', 'w8');
      await waitFor(async () => (await delivery.status(buyerId, 'aw8'))?.attempts === 1);
      await delivery.stop();
      await loseRedis();
      answer = 200;
      delivery = await startDelivery({ ...patient, webhookReconcileMs: 600_000 });
      await waitFor(async () => (await delivery.status(buyerId, 'aw8'))?.state === 'delivered');
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(hitsOf('aw8')).toEqual([503, 200]);
      expect(hitsOf('aw7')).toEqual([503, 200]);
      expect(hitsOf('aw1').filter((status) => status === 200)).toHaveLength(1);
      // The history the buyer sees survived too.
      const states = Object.fromEntries(
        (await delivery.statuses(buyerId)).map((status) => [status.allocationId, status.state]),
      );
      expect(states).toMatchObject({
        aw1: 'delivered',
        aw2: 'delivered',
        aw7: 'delivered',
        aw8: 'delivered',
      });
    });

    it('keeps the pull cursor in PostgreSQL', async () => {
      await records.acknowledge(buyerId, 'cursor-1');
      await loseRedis();
      expect(await records.pullCursor(buyerId)).toBe('cursor-1');
      await records.acknowledge(buyerId, 'cursor-2');
      expect(await records.pullCursor(buyerId)).toBe('cursor-2');
    });
  });
});
