import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { leadRowsToCsv } from '#lx/market-generator';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { registerParticipant, upload, type Participant } from './support/sellers.js';
import { cleanEyewearRows } from './support/scenarios.js';

const QUERY = 'vertical=eyewear&floor=60000&exclusivity=exclusive';

/** The sellers app killed with SIGKILL while it receives an upload: the same Idempotency-Key works again in seconds. */
describe('sellers: an upload whose receiver crashed', () => {
  let exchange: RunningExchange;
  let seller: Participant;
  const rows = cleanEyewearRows('upload-crash', 20, 1440);
  const csv = leadRowsToCsv(rows);

  beforeAll(async () => {
    exchange = await startExchange('upload_crash');
    seller = await registerParticipant(exchange, 'seller', 'Crashing uploader');
  });
  afterAll(async () => exchange?.stop());

  /** Starts an upload that sends half the file and then waits, as a slow client does. */
  function startHangingUpload(idempotencyKey: string) {
    const sent = request(`${exchange.url('sellers')}/v1/batches?${QUERY}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${seller.apiKey}`,
        'content-type': 'text/csv',
        'idempotency-key': idempotencyKey,
        'transfer-encoding': 'chunked',
      },
    });
    sent.on('error', () => undefined); // the server dies under it
    sent.write(csv.slice(0, csv.length / 2));
    return sent;
  }

  async function receivingBatches(): Promise<number> {
    const client = new pg.Client({ connectionString: exchange.database.url });
    await client.connect();
    try {
      const { rows: found } = await client.query(
        "SELECT count(*)::int AS n FROM lx_batch_verification WHERE status = 'receiving'",
      );
      return found[0].n as number;
    } finally {
      await client.end();
    }
  }

  it('lets a retry with the same Idempotency-Key through within seconds of kill -9', async () => {
    const hanging = startHangingUpload('upload-crash-key');
    for (let tries = 0; (await receivingBatches()) === 0; tries++) {
      if (tries > 100) throw new Error('the upload never started being received');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await exchange.crashApp('sellers');
    const crashedAt = Date.now();
    hanging.destroy();
    await exchange.stopApps();
    await exchange.startApps();

    let retry = await upload(exchange, { key: seller.apiKey, body: csv, idempotencyKey: 'upload-crash-key' });
    const statuses = [retry.status];
    while (retry.status === 409 && Date.now() - crashedAt < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      retry = await upload(exchange, { key: seller.apiKey, body: csv, idempotencyKey: 'upload-crash-key' });
      statuses.push(retry.status);
    }
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({ batchId: expect.any(String) });
    expect(Date.now() - crashedAt).toBeLessThan(30_000);
    expect(new Set(statuses)).toEqual(new Set(statuses.length > 1 ? [409, 202] : [202]));
  });
});
