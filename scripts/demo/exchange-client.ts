import { setTimeout as sleep } from 'node:timers/promises';
import type { AppName, HttpResult, RunningExchange } from '#lx/testing';

/** A participant of the demo market, with the API key the operator issued to it. */
export interface Actor {
  id: string;
  key: string;
  name: string;
  role: 'seller' | 'buyer' | 'auditor';
}

/** Thrown when an app answers something the demo did not expect; carries the app's answer. */
export class DemoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoError';
  }
}

/**
 * The exchange as the demo drives it: every call names the status it expects, and any other
 * answer stops the demo with the app's problem+json in the message.
 */
export class DemoClient {
  constructor(private readonly exchange: RunningExchange) {}

  get operatorKey(): string {
    return this.exchange.operatorKey;
  }

  async call<T = any>(
    app: AppName,
    method: string,
    path: string,
    options: { key: string; body?: unknown; expect?: number | number[] },
  ): Promise<T> {
    const result = await this.exchange.call(app, method, path, {
      key: options.key,
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    return this.checked(app, method, path, result, options.expect ?? [200, 201]);
  }

  /** GET returning the raw text (CSV, HTML). */
  async text(app: AppName, path: string, key: string): Promise<string> {
    const response = await fetch(`${this.exchange.url(app)}${path}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const text = await response.text();
    if (response.status !== 200)
      throw new DemoError(`GET ${app}${path} → ${response.status}: ${text.slice(0, 500)}`);
    return text;
  }

  /** GET returning bytes (PDF). */
  async bytes(app: AppName, path: string, key: string): Promise<Buffer> {
    const response = await fetch(`${this.exchange.url(app)}${path}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200)
      throw new DemoError(`GET ${app}${path} → ${response.status}: ${bytes.toString('utf8').slice(0, 500)}`);
    return bytes;
  }

  /** A seller's upload: the file is the body, the listing terms are the query (tests/support/sellers.ts). */
  async upload(seller: Actor, csv: string, query: string): Promise<{ batchId: string }> {
    const response = await fetch(`${this.exchange.url('sellers')}/v1/batches?${query}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${seller.key}`, 'content-type': 'text/csv' },
      body: csv,
    });
    const text = await response.text();
    if (response.status !== 202)
      throw new DemoError(`upload by ${seller.name} → ${response.status}: ${text.slice(0, 1000)}`);
    return JSON.parse(text) as { batchId: string };
  }

  /** Registers a participant through the operator API and issues it an API key. */
  async register(role: Actor['role'], name: string, country: string): Promise<Actor> {
    const created = await this.call('settlement', 'POST', '/v1/participants', {
      key: this.operatorKey,
      body: { role, name, country },
      expect: 201,
    });
    const issued = await this.call(
      'settlement',
      'POST',
      `/v1/participants/${created.participantId}/api-keys`,
      {
        key: this.operatorKey,
        expect: 201,
      },
    );
    return { id: created.participantId, key: issued.apiKey, name, role };
  }

  /** Every item of a cursor-paginated list. */
  async all<T = any>(app: AppName, path: string, key: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    const separator = path.includes('?') ? '&' : '?';
    do {
      const page = await this.call(
        app,
        'GET',
        `${path}${separator}limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        {
          key,
        },
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  logs(app: AppName): string {
    return this.exchange.logs(app);
  }

  private checked(
    app: AppName,
    method: string,
    path: string,
    result: HttpResult,
    expected: number | number[],
  ) {
    const statuses = Array.isArray(expected) ? expected : [expected];
    if (!statuses.includes(result.status))
      throw new DemoError(
        `${method} ${app}${path} → ${result.status} (expected ${statuses.join(' or ')}): ${JSON.stringify(result.body).slice(0, 1500)}`,
      );
    return result.body;
  }
}

/**
 * Polls until `probe` returns a value (not undefined), or fails naming what it waited for.
 * The apps are asynchronous by design (verification, engine, projections): the demo waits for
 * each outcome the way a client would, by reading it back.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 60_000, intervalMs = 400 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new DemoError(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Polls a count until it stops moving for `quietMs` (the engine has nothing more to trade). */
export async function waitUntilSettled(
  what: string,
  count: () => Promise<number>,
  { quietMs = 4_000, timeoutMs = 60_000, atLeast = 1 } = {},
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let since = Date.now();
  for (;;) {
    const now = await count();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (now >= atLeast && Date.now() - since >= quietMs) return now;
    if (Date.now() > deadline) {
      if (now >= atLeast) return now;
      throw new DemoError(`timed out after ${timeoutMs / 1000} s waiting for ${what} (at ${now})`);
    }
    await sleep(500);
  }
}
