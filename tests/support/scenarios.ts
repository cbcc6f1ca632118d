// Helpers shared by the cross-app scenario tests (tests/scenario-*.e2e.spec.ts) and bench/delivery.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ageOn, type LeadRow, type OrderSpec } from '#lx/market-generator';
import type { RunningExchange } from '#lx/testing';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value that is not undefined/false; throws with `what` on timeout. */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** One POST the receiver got: the raw body as sent (the signature covers it), its headers, when. */
export interface ReceivedWebhook {
  headers: Record<string, string | string[] | undefined>;
  rawBody: string;
  body: any;
  receivedAt: number;
}

/** A buyer's CRM endpoint: records every delivery and answers 200. */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Called for each delivery as it arrives (after it is recorded). */
  onDelivery?: (delivery: ReceivedWebhook) => void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown = null;
      try {
        body = JSON.parse(rawBody);
      } catch {
        // recorded as is: the test asserts on it
      }
      const delivery: ReceivedWebhook = { headers: request.headers, rawBody, body, receivedAt: Date.now() };
      received.push(delivery);
      receiver.onDelivery?.(delivery);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  const receiver: WebhookReceiver = {
    url: '',
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/leads`;
  return receiver;
}

/**
 * What the receiver does with the documented scheme (buyers OpenAPI, PUT /v1/webhook): recompute
 * `v1=<hex HMAC-SHA256("<X-LX-Timestamp>.<raw body>")>` with the secret and compare in constant
 * time (any of the comma-separated signatures); refuse a timestamp more than 5 minutes away. Written here independently of libs/buyers.
 */
export function webhookSignatureValid(secret: string, delivery: ReceivedWebhook): boolean {
  const timestamp = Number(delivery.headers['x-lx-timestamp']);
  const signature = String(delivery.headers['x-lx-signature'] ?? '');
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const expected = Buffer.from(
    `v1=${createHmac('sha256', secret).update(`${timestamp}.${delivery.rawBody}`).digest('hex')}`,
  );
  // During a secret rotation's overlap the header lists one signature per secret.
  return signature.split(',').some((one) => {
    const given = Buffer.from(one.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface Registered {
  participantId: string;
  apiKey: string;
}

/** Registers a participant through the operator API and issues it a key (no Jest: usable from bench/). */
export async function register(
  exchange: RunningExchange,
  role: 'seller' | 'buyer' | 'auditor' | 'operator',
  name: string,
): Promise<Registered> {
  const created = await exchange.call('settlement', 'POST', '/v1/participants', {
    key: exchange.operatorKey,
    body: { role, name },
  });
  if (created.status !== 201)
    throw new Error(`register ${name}: ${created.status} ${JSON.stringify(created.body)}`);
  const issued = await exchange.call(
    'settlement',
    'POST',
    `/v1/participants/${created.body.participantId}/api-keys`,
    { key: exchange.operatorKey },
  );
  if (issued.status !== 201) throw new Error(`api key for ${name}: ${issued.status}`);
  return { participantId: created.body.participantId, apiKey: issued.body.apiKey };
}

/** Publishes a market's settings through the operator API (RUB, 15 % commission by default). */
export async function openMarket(
  exchange: RunningExchange,
  vertical: string,
  settings: Record<string, unknown> = {
    currency: 'RUB',
    commissionBps: 1500,
    returnWindowHours: 72,
    dedupeWindowDays: 30,
  },
): Promise<void> {
  const response = await exchange.call('settlement', 'POST', `/v1/markets/${vertical}/settings`, {
    key: exchange.operatorKey,
    body: settings,
  });
  if (response.status !== 200 && response.status !== 201)
    throw new Error(`settings of ${vertical}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** The operator confirms a buyer's deposit (what a payment provider's callback does). */
export async function confirmDeposit(
  exchange: RunningExchange,
  buyer: Registered,
  amount: number,
  reference: string,
  currency = 'RUB',
): Promise<void> {
  const response = await exchange.call('buyers', 'POST', `/v1/buyers/${buyer.participantId}/deposits`, {
    key: exchange.operatorKey,
    body: { amount, currency, reference },
  });
  if (response.status !== 201)
    throw new Error(`deposit ${reference}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** The order as the buyers API takes it: the generator's spec without the currency (the market's). */
export function orderRequest(spec: OrderSpec, change: Partial<Omit<OrderSpec, 'currency'>> = {}) {
  const { currency: _currency, ...request } = spec;
  return { ...request, ...change };
}

/** The person's age when captured, from the row as the seller sent it. */
export function rowAge(row: LeadRow): number {
  if (row.age !== undefined) return row.age;
  return ageOn(row.date_of_birth!, new Date(row.captured_at));
}

/** Scenario 1's filters, checked on the seller's own row: the ground truth the allocations are held to. */
export function scenarioOneFailures(row: LeadRow): string[] {
  const failures: string[] = [];
  if (row.country !== 'RU') failures.push('country');
  if (rowAge(row) < 30) failures.push('ageMin');
  if (!['RU-MOW', 'RU-SPE'].includes(row.region)) failures.push('regions');
  if (!row.phone || !row.email) failures.push('requiredContacts');
  if (!['married', 'partnered'].includes(row.marital_status ?? '')) failures.push('maritalStatus');
  if (!(row.interests ?? []).some((interest) => ['premium_glasses', 'luxury_glasses'].includes(interest)))
    failures.push('interestsAny');
  return failures;
}
