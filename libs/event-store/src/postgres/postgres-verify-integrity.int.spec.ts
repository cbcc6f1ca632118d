import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase } from '#lx/testing';
import type { IntegrityReport, NewEvent } from '../event-store.port.js';
import { chainHash, contentDigest } from '../hash-chain.js';
import { contractTestCatalogue } from '../testing/test-catalogue.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { scanChains, type ScanFindings } from './verify-scan.js';
import { firstPass } from './verify-workers.js';

/**
 * Tampering underneath the PostgreSQL adapter, each case in a database of its own so that a
 * whole-log verification sees only that case. The verifier scans the table in physical order and
 * re-walks suspect streams in log order: these cases pin that the report is still the first
 * failure in log order, with the reason the log-order walk gives.
 */
async function withLog(
  work: (
    store: PostgresEventStore,
    sql: (text: string, params?: unknown[]) => Promise<unknown[]>,
    pool: pg.Pool,
    url: string,
  ) => Promise<void>,
): Promise<void> {
  const database = await createTestDatabase('verify_integrity');
  const store = await PostgresEventStore.connect({
    connectionString: database.url,
    registry: contractTestCatalogue,
  });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  pool.on('error', () => undefined);
  try {
    await work(store, async (text, params) => (await pool.query(text, params)).rows, pool, database.url);
  } finally {
    await store.close();
    await pool.end();
    await database.drop();
  }
}

const things = (count: number): NewEvent[] =>
  Array.from({ length: count }, (_, n) => ({ type: 'ThingHappened', data: { n } }));

/** Streams a, b and c of four events each, appended in that order (so a's events come first in the log). */
async function threeStreams(store: PostgresEventStore): Promise<void> {
  for (const stream of ['thing-a', 'thing-b', 'thing-c'])
    await store.appendToStream(stream, things(4), { expectedRevision: 'no_stream' });
}

const failure = (report: IntegrityReport) => (report.ok ? null : report.firstFailure);

describe('PostgreSQL verifyIntegrity against tampering', () => {
  it('a clean log verifies even when rows no longer lie in log order in the table', async () => {
    await withLog(async (store, sql) => {
      await threeStreams(store);
      // A no-op update writes new row versions at the end of the table: the scan meets revision 0 last.
      await sql(`UPDATE lx_events SET data = data WHERE stream_version IN (0, 2)`);
      expect(await store.verifyIntegrity()).toEqual({ ok: true, streamsChecked: 3, eventsChecked: 12 });
      expect(await store.verifyIntegrity({ streams: ['thing-b'] })).toEqual({
        ok: true,
        streamsChecked: 1,
        eventsChecked: 4,
      });
    });
  });

  it.each([
    ['metadata', `metadata = jsonb_set(metadata, '{actor}', '"forger"')`],
    ['type', `event_type = 'OtherThingHappened'`],
    ['id', `event_id = gen_random_uuid()`],
    ['data', `data = '{"n": 7}'`],
  ])('an edited %s is content-altered at its revision', async (_, assignment) => {
    await withLog(async (store, sql) => {
      await threeStreams(store);
      await sql(`UPDATE lx_events SET ${assignment} WHERE stream_name = 'thing-b' AND stream_version = 2`);
      expect(failure(await store.verifyIntegrity())).toMatchObject({
        stream: 'thing-b',
        revision: 2,
        reason: 'content-altered',
      });
    });
  });

  it('an edited predecessor hash is chain-broken', async () => {
    await withLog(async (store, sql) => {
      await threeStreams(store);
      await sql(
        `UPDATE lx_events SET previous_hash = repeat('f', 64) WHERE stream_name = 'thing-c' AND stream_version = 1`,
      );
      expect(failure(await store.verifyIntegrity())).toMatchObject({
        stream: 'thing-c',
        revision: 1,
        reason: 'chain-broken',
      });
    });
  });

  it('a deleted last event is a head mismatch; a stream without a head record is unexpected', async () => {
    await withLog(async (store, sql) => {
      await threeStreams(store);
      await sql(`DELETE FROM lx_events WHERE stream_name = 'thing-b' AND stream_version = 3`);
      expect(failure(await store.verifyIntegrity())).toMatchObject({
        stream: 'thing-b',
        revision: 3,
        reason: 'head-mismatch',
      });
      await sql(`DELETE FROM lx_streams WHERE stream_name = 'thing-c'`);
      // Heads are compared in stream-name order, as before: b's mismatch still comes first.
      expect(failure(await store.verifyIntegrity())).toMatchObject({ stream: 'thing-b' });
      expect(failure(await store.verifyIntegrity({ streams: ['thing-c'] }))).toMatchObject({
        stream: 'thing-c',
        revision: 0,
        reason: 'unexpected-event',
      });
    });
  });

  it('a well-chained event beyond the recorded head is unexpected', async () => {
    await withLog(async (store, sql) => {
      await threeStreams(store);
      const [last] = (await sql(
        `SELECT hash, category FROM lx_events WHERE stream_name = 'thing-a' AND stream_version = 3`,
      )) as { hash: string; category: string }[];
      const forged = {
        id: '00000000-0000-4000-8000-000000000001',
        type: 'ThingHappened',
        streamName: 'thing-a',
        data: { n: 4 },
        metadata: {},
      };
      await sql(
        `INSERT INTO lx_events (event_id, stream_name, category, stream_version, event_type, data, metadata, previous_hash, hash)
         VALUES ($1, 'thing-a', $2, 4, 'ThingHappened', '{"n": 4}', '{}', $3, $4)`,
        [forged.id, last!.category, last!.hash, chainHash(last!.hash, 4, contentDigest(forged))],
      );
      expect(failure(await store.verifyIntegrity())).toMatchObject({
        stream: 'thing-a',
        // What verifyHashChains has always reported here: the revision after the log's end.
        revision: 5,
        reason: 'unexpected-event',
      });
    });
  });

  it('an event moved later in the log is missing where it used to be', async () => {
    await withLog(async (store, sql) => {
      await threeStreams(store);
      // Its four events share one transaction: a new position puts revision 1 after revision 3.
      await sql(
        `UPDATE lx_events SET global_position = DEFAULT WHERE stream_name = 'thing-a' AND stream_version = 1`,
      );
      expect(failure(await store.verifyIntegrity())).toMatchObject({
        stream: 'thing-a',
        revision: 1,
        reason: 'missing-event',
      });
    });
  });

  it('the first failure is the first in log order, not in the order the table is read', async () => {
    await withLog(async (store, sql) => {
      await threeStreams(store);
      // c is tampered in place (read first), a's revision 1 is rewritten at the end of the table
      // (read last) — but a's event comes first in the log.
      await sql(
        `UPDATE lx_events SET previous_hash = repeat('f', 64) WHERE stream_name = 'thing-c' AND stream_version = 0`,
      );
      await sql(
        `UPDATE lx_events SET data = '{"n": 5}' WHERE stream_name = 'thing-a' AND stream_version = 1`,
      );
      await sql(`DELETE FROM lx_events WHERE stream_name = 'thing-b' AND stream_version = 1`);
      expect(failure(await store.verifyIntegrity())).toMatchObject({
        stream: 'thing-a',
        revision: 1,
        reason: 'content-altered',
      });
      expect(failure(await store.verifyIntegrity({ streams: ['thing-b', 'thing-c'] }))).toMatchObject({
        stream: 'thing-b',
        revision: 1,
        reason: 'missing-event',
      });
    });
  });

  it('the first pass finds the same suspects whatever the number of parts the log is split into', async () => {
    await withLog(async (store, sql, pool, url) => {
      // More than one cursor batch (so that workers are used), in streams of a few events each.
      for (let from = 0; from < 1100; from += 100)
        await store.appendToStreams(
          Array.from({ length: 100 }, (_, s) => ({
            stream: `thing-${from + s}`,
            expectedRevision: 'no_stream' as const,
            events: things(4),
          })),
        );
      await sql(
        `UPDATE lx_events SET data = '{"n": 9}' WHERE stream_name = 'thing-7' AND stream_version = 2`,
      );
      await sql(
        `UPDATE lx_events SET previous_hash = repeat('f', 64) WHERE stream_name = 'thing-603' AND stream_version = 1`,
      );
      await sql(`DELETE FROM lx_events WHERE stream_name = 'thing-901' AND stream_version = 3`);
      await sql(`DELETE FROM lx_streams WHERE stream_name = 'thing-1005'`);
      await sql(`UPDATE lx_events SET data = data WHERE stream_version = 0 AND stream_name LIKE 'thing-1%'`);
      const sorted = (findings: ScanFindings) => ({ ...findings, suspects: [...findings.suspects].sort() });
      const client = await pool.connect();
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const whole = sorted(await scanChains(client, { only: null, part: 0, parts: 1 }));
        expect(whole).toEqual({
          suspects: ['thing-1005', 'thing-603', 'thing-7', 'thing-901'],
          eventsChecked: 1100 * 4 - 1,
          streamsChecked: 1100,
        });
        for (const parts of [2, 3]) {
          // One connection: the parts are scanned one after another, in the same snapshot.
          const found: ScanFindings[] = [];
          for (let part = 0; part < parts; part++)
            found.push(await scanChains(client, { only: null, part, parts }));
          expect(
            sorted({
              suspects: found.flatMap((f) => f.suspects),
              eventsChecked: found.reduce((sum, f) => sum + f.eventsChecked, 0),
              streamsChecked: found.reduce((sum, f) => sum + f.streamsChecked, 0),
            }),
          ).toEqual(whole);
          // Every part finds something of its own: the split is by stream, not all-or-nothing.
          expect(found.every((f) => f.eventsChecked > 0)).toBe(true);
        }
        // Worker threads run compiled code: this checks the build (`npm run build`) when there is one.
        const built = new URL(
          '../../../../dist/libs/event-store/src/postgres/verify-scan.worker.js',
          import.meta.url,
        );
        if (existsSync(fileURLToPath(built))) {
          let progress = 0;
          const onWorkers = await firstPass({
            client,
            connectionString: url,
            only: null,
            script: built,
            workers: 3,
            onProgress: (n) => (progress = n),
          });
          expect(sorted(onWorkers)).toEqual(whole);
          expect(progress).toBe(whole.eventsChecked);
        }
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      expect(failure(await store.verifyIntegrity())).toMatchObject({
        stream: 'thing-7',
        revision: 2,
        reason: 'content-altered',
      });
    });
  });
});
