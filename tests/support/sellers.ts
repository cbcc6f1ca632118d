import { expect } from '@jest/globals';
import { leadRowsToCsv, type LeadRow } from '#lx/market-generator';
import type { RunningExchange } from './exchange.js';

/** A participant with its API key, registered through the operator API. */
export { register as registerParticipant, type Registered as Participant } from './scenarios.js';

export interface UploadOptions {
  key: string;
  body: string | Buffer;
  contentType?: string;
  query?: string;
  idempotencyKey?: string;
}

/** POSTs a file to the sellers app as the raw body, the way a seller's script would. */
export async function upload(exchange: RunningExchange, options: UploadOptions) {
  const query = options.query ?? 'vertical=eyewear&floor=60000&exclusivity=exclusive';
  const response = await fetch(`${exchange.url('sellers')}/v1/batches?${query}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.key}`,
      'content-type': options.contentType ?? 'text/csv',
      ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
    },
    body: options.body,
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body };
}

/** Polls the batch until its verification is finished; returns the last view and the progress seen on the way. */
export async function waitForVerified(
  exchange: RunningExchange,
  key: string,
  batchId: string,
  timeoutMs = 120_000,
) {
  const seen: number[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const batch = await exchange.call('sellers', 'GET', `/v1/batches/${batchId}`, { key });
    expect(batch.status).toBe(200);
    seen.push(batch.body.progress.share);
    if (batch.body.status === 'verified') return { batch: batch.body, seen };
    if (Date.now() > deadline)
      throw new Error(
        `batch ${batchId} not verified: ${JSON.stringify(batch.body)}\n${exchange.logs('sellers').slice(-3000)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Uploads as `upload` does, expects the batch accepted (202), and waits until it is verified. */
export async function uploadVerified(exchange: RunningExchange, options: UploadOptions) {
  const uploaded = await upload(exchange, options);
  expect(uploaded.status).toBe(202);
  return waitForVerified(exchange, options.key, uploaded.body.batchId);
}

/**
 * Lists `rows` as one exclusive eyewear batch at `floor`, expects it accepted (202) and waits until
 * it is verified; returns the batch's id, its verified view and its leads.
 */
export async function listExclusiveEyewear(
  exchange: RunningExchange,
  key: string,
  rows: LeadRow[],
  floor: number,
) {
  const uploaded = await upload(exchange, {
    key,
    body: leadRowsToCsv(rows),
    query: `vertical=eyewear&floor=${floor}&exclusivity=exclusive`,
  });
  expect(uploaded.status).toBe(202);
  const batchId = uploaded.body.batchId as string;
  const { batch } = await waitForVerified(exchange, key, batchId);
  return { batchId, batch, leads: await allLeads(exchange, key, batchId) };
}

/** Every lead of a batch, following the cursor. */
export async function allLeads(exchange: RunningExchange, key: string, batchId: string) {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const page = await exchange.call(
      'sellers',
      'GET',
      `/v1/leads?batchId=${batchId}&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      { key },
    );
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}
