// Helpers shared by the cross-app scenario tests (tests/scenario-*.e2e.spec.ts) and bench/delivery.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ageOn,
  generateLeadRows,
  type GeneratedLeads,
  type LeadRow,
  type OrderSpec,
} from '#lx/market-generator';
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

/** The three sides of an eyewear trade and its audit, on one exchange. */
export interface EyewearParties {
  seller: Registered;
  buyer: Registered;
  auditor: Registered;
}

/**
 * Registers the seller "Vera Leads", the buyer `buyerName` and the auditor "Audit & Co", opens the
 * eyewear market with its default settings, and confirms the buyer's RUB deposit.
 */
export async function eyewearParties(
  exchange: RunningExchange,
  buyerName: string,
  deposit: { amount: number; reference: string },
): Promise<EyewearParties> {
  const seller = await register(exchange, 'seller', 'Vera Leads');
  const buyer = await register(exchange, 'buyer', buyerName);
  const auditor = await register(exchange, 'auditor', 'Audit & Co');
  await openMarket(exchange, 'eyewear');
  await confirmDeposit(exchange, buyer, deposit.amount, deposit.reference);
  return { seller, buyer, auditor };
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

/**
 * A test's calls as one participant or another: `call(app, who, method, path, body?)` sends `who`'s
 * key. `exchange` is read at each call, since the tests start it in beforeAll.
 */
export function participantCalls(exchange: () => RunningExchange) {
  return (
    app: 'sellers' | 'buyers' | 'settlement',
    who: Registered,
    method: string,
    path: string,
    body?: unknown,
  ) => exchange().call(app, method, path, { key: who.apiKey, ...(body !== undefined ? { body } : {}) });
}

/** An order that takes any `quantity` leads of the market at `bid`, its budget exactly that, pulled by the buyer. */
export function pullOrder(options: {
  bid: number;
  quantity: number;
  vertical?: string;
  filters?: Record<string, unknown>;
}) {
  const { bid, quantity, vertical = 'eyewear', filters = {} } = options;
  return {
    vertical,
    filters,
    bid,
    modifiers: [],
    quantity,
    budget: quantity * bid,
    exclusivity: 'any',
    delivery: 'pull',
  };
}

/**
 * Seeded RU eyewear leads captured in the last `captureWindowMinutes`, none partial or duplicate;
 * `badShare` of them carry one defect that verification rejects.
 */
export function eyewearLeads(
  seed: string,
  count: number,
  { captureWindowMinutes = 120, badShare = 0 }: { captureWindowMinutes?: number; badShare?: number } = {},
): GeneratedLeads {
  return generateLeadRows({
    seed,
    count,
    vertical: 'eyewear',
    country: 'RU',
    capturedAround: new Date(),
    captureWindowMinutes,
    partialShare: 0,
    duplicateShare: 0,
    badShare,
  });
}

/** Seeded RU eyewear leads with none partial, duplicate or bad: every row is listed. */
export function cleanEyewearRows(seed: string, count: number, captureWindowMinutes = 120): LeadRow[] {
  return eyewearLeads(seed, count, { captureWindowMinutes }).rows;
}

/**
 * Scenario 1's upload (docs/scenarios.md) from a seeded pool of RU eyewear people: 60 inside the
 * order's filters, 30 near misses failing exactly each one filter (so that a filter the engine
 * ignored would show), and 30 far off, failing two or more.
 */
export function scenarioOneRows(): { inside: LeadRow[]; nearMisses: LeadRow[]; farOff: LeadRow[] } {
  const pool = generateLeadRows({
    seed: 'scenario-1-e2e',
    count: 6000,
    vertical: 'eyewear',
    country: 'RU',
    capturedAround: new Date(),
    captureWindowMinutes: 600,
    partialShare: 0.15,
    duplicateShare: 0,
    badShare: 0,
  }).rows;
  const inside = pool.filter((row) => scenarioOneFailures(row).length === 0).slice(0, 60);
  const nearMisses = ['ageMin', 'regions', 'requiredContacts', 'maritalStatus', 'interestsAny'].flatMap(
    (filter) =>
      pool
        .filter((row) => {
          const failures = scenarioOneFailures(row);
          return failures.length === 1 && failures[0] === filter;
        })
        .slice(0, 30),
  );
  const farOff = pool.filter((row) => scenarioOneFailures(row).length >= 2).slice(0, 30);
  return { inside, nearMisses, farOff };
}

/** Rows in the order of the sellers' external ids, as the scenarios upload them. */
export const byExternalId = (rows: LeadRow[]): LeadRow[] =>
  [...rows].sort((a, b) => (a.external_id < b.external_id ? -1 : 1));

/**
 * Scenario 3's sellers' rows (docs/scenarios.md): Anna's 30 (anna-01…) and Boris's 20 (boris-01…),
 * all inside scenario 1's filters; Irina is anna-05, and Boris captured her an hour ago for an
 * insurance comparison site, with the same phone and e-mail.
 */
export function scenarioThreeRows() {
  const pool = generateLeadRows({
    seed: 'scenario-3-e2e',
    count: 4000,
    vertical: 'eyewear',
    country: 'RU',
    capturedAround: new Date(),
    captureWindowMinutes: 600,
    partialShare: 0,
    duplicateShare: 0,
    badShare: 0,
  }).rows.filter((row) => scenarioOneFailures(row).length === 0);
  const named = (prefix: string, from: LeadRow[]) =>
    from.map((row, index) => ({ ...row, external_id: `${prefix}-${String(index + 1).padStart(2, '0')}` }));
  const annaRows = named('anna', pool.slice(0, 30));
  const borisRows = named('boris', pool.slice(30, 50));
  const irina = annaRows[4]!;
  const irinaInsurance: LeadRow = {
    ...irina,
    external_id: 'irina-insurance',
    interests: ['car_insurance'],
    captured_at: new Date(Date.now() - 3_600_000).toISOString(),
  };
  return { annaRows, borisRows, irina, irinaInsurance };
}
