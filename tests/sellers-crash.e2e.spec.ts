import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generateLeadRows, leadRowsToCsv } from '#lx/market-generator';
import { startExchange, testRedisPrefix, type RunningExchange } from './support/exchange.js';
import {
  allLeads,
  registerParticipant,
  upload,
  waitForVerified,
  type Participant,
} from './support/sellers.js';

const root = fileURLToPath(new URL('../', import.meta.url));

// A worker process started, killed mid-batch, its lock left to expire, a second one finishing 4 000
// rows: on a 2-core machine shared with the other test workers this can take well over a minute.
jest.setTimeout(240_000);

/** A verification worker killed with SIGKILL in the middle of a batch: the batch resumes and lists each row once. */
describe('sellers: verification survives kill -9 of its worker process', () => {
  let exchange: RunningExchange;
  let seller: Participant;
  const workers: ChildProcess[] = [];
  const env: Record<string, string> = {
    LX_RATE_LIMIT_PER_MINUTE: '100000',
    LX_SELLERS_VERIFICATION_WORKER: 'false',
    LX_VERIFICATION_CHUNK_ROWS: '100',
    LX_VERIFICATION_LOCK_MS: '3000',
    LX_REDIS_PREFIX: testRedisPrefix('crash').replace(/:$/, ''),
  };

  const startWorker = () => {
    const child = spawn(process.execPath, [`${root}dist/apps/sellers/src/verification-worker.js`], {
      env: { ...process.env, ...env, LX_DATABASE_URL: exchange.database.url, LX_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && signal !== 'SIGTERM' && code !== 0)
        console.error(`worker exited ${code}: ${output}`);
    });
    workers.push(child);
    return child;
  };

  beforeAll(async () => {
    exchange = await startExchange('sellers_crash', env);
    seller = await registerParticipant(exchange, 'seller', 'Crash Test Leads');
  });
  afterAll(async () => {
    for (const worker of workers)
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    await exchange?.stop();
  });

  it('resumes after the kill; every accepted row is listed exactly once and every rejected row reported once', async () => {
    const { rows } = generateLeadRows({
      seed: 'crash',
      count: 4000,
      vertical: 'eyewear',
      capturedAround: new Date(),
      country: 'mixed',
    });
    const uploaded = await upload(exchange, { key: seller.apiKey, body: leadRowsToCsv(rows) });
    expect(uploaded.status).toBe(202);
    const batchId: string = uploaded.body.batchId;

    const first = startWorker();
    // Listened for from the start: a worker killed quickly has exited before a later listener.
    const firstExited = new Promise((resolve) => first.once('exit', resolve));
    let killedAt = 0;
    const deadline = Date.now() + 60_000;
    while (!killedAt) {
      const view = await exchange.call('sellers', 'GET', `/v1/batches/${batchId}`, { key: seller.apiKey });
      const { processed, totalRows } = view.body.progress;
      if (processed > 0 && processed < totalRows) {
        first.kill('SIGKILL');
        killedAt = processed;
      } else if (processed >= totalRows)
        throw new Error('the batch finished before the worker could be killed');
      if (Date.now() > deadline) throw new Error('the worker never started on the batch');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await firstExited;
    expect(first.signalCode).toBe('SIGKILL');
    const stalled = await exchange.call('sellers', 'GET', `/v1/batches/${batchId}`, { key: seller.apiKey });
    expect(stalled.body.status).toBe('verifying');
    expect(stalled.body.progress.processed).toBeLessThan(4000);

    startWorker();
    const { batch } = await waitForVerified(exchange, seller.apiKey, batchId);
    expect(batch.progress.processed).toBe(4000);
    expect(batch.progress.accepted + batch.progress.rejected).toBe(4000);

    const client = new pg.Client({ connectionString: exchange.database.url });
    await client.connect();
    try {
      const listed = await client.query(
        `SELECT data->>'leadId' AS lead_id FROM lx_events WHERE event_type = 'LeadListed' AND data->>'batchId' = $1`,
        [batchId],
      );
      expect(listed.rows).toHaveLength(batch.progress.accepted);
      expect(new Set(listed.rows.map((row) => row.lead_id)).size).toBe(batch.progress.accepted);
      const rejected = await client.query(
        `SELECT (r->>'line')::int AS line FROM lx_events, jsonb_array_elements(data->'rows') AS r
          WHERE event_type = 'LeadBatchRowsRejected' AND stream_name = $1`,
        [`batch-${batchId}`],
      );
      expect(rejected.rows).toHaveLength(batch.progress.rejected);
      expect(new Set(rejected.rows.map((row) => row.line)).size).toBe(batch.progress.rejected);
      const verified = await client.query(
        `SELECT count(*)::int AS n FROM lx_events WHERE stream_name = $1 AND event_type = 'LeadBatchVerified'`,
        [`batch-${batchId}`],
      );
      expect(verified.rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
    expect(await allLeads(exchange, seller.apiKey, batchId)).toHaveLength(batch.progress.accepted);
  });
});
