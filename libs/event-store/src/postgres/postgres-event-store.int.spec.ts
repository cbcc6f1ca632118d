import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase } from '#lx/testing';
import {
  describeEventStoreContract,
  otherConnections,
  type StorageBackdoor,
} from '../testing/event-store.contract.js';
import { contractTestCatalogue } from '../testing/test-catalogue.js';
import { prepareAppend } from '../prepare-append.js';
import { PostgresEventStore } from './postgres-event-store.js';

describeEventStoreContract('PostgreSQL', async () => {
  const database = await createTestDatabase('event_store');
  const connect = () =>
    PostgresEventStore.connect({ connectionString: database.url, registry: contractTestCatalogue });
  const store = await connect();
  const sql = new pg.Pool({ connectionString: database.url, max: 12 });
  sql.on('error', () => undefined);
  const others = otherConnections(connect);

  const backdoor: StorageBackdoor = {
    async appendWithCommitDelay(stream, events, commitDelayMs) {
      const prepared = prepareAppend(stream, events, { registry: contractTestCatalogue });
      const client = await sql.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          'SELECT * FROM lx_append($1,$2,$3,NULL,$4::uuid[],$5,$6::jsonb[],$7::jsonb[],$8)',
          [
            stream,
            prepared[0]!.category,
            'any',
            prepared.map((e) => e.id),
            prepared.map((e) => e.type),
            prepared.map((e) => JSON.stringify(e.data)),
            prepared.map((e) => JSON.stringify(e.metadata)),
            prepared.map((e) => e.digest),
          ],
        );
        await client.query('SELECT pg_sleep($1)', [commitDelayMs / 1000]);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
    async alterEventData(stream, revision) {
      await sql.query(
        `UPDATE lx_events SET data = jsonb_set(data, '{n}', '999') WHERE stream_name = $1 AND stream_version = $2`,
        [stream, revision],
      );
    },
    async deleteEvent(stream, revision) {
      await sql.query('DELETE FROM lx_events WHERE stream_name = $1 AND stream_version = $2', [
        stream,
        revision,
      ]);
    },
    async insertForgedEvent(stream, afterRevision) {
      // Make room the way a forger would: shift the later events up by one, then slot one in.
      await sql.query(
        'UPDATE lx_events SET stream_version = -stream_version - 1 WHERE stream_name = $1 AND stream_version > $2',
        [stream, afterRevision],
      );
      await sql.query(
        'UPDATE lx_events SET stream_version = -stream_version WHERE stream_name = $1 AND stream_version < 0',
        [stream],
      );
      await sql.query(
        `INSERT INTO lx_events (event_id, stream_name, category, stream_version, event_type, data, metadata, previous_hash, hash)
         SELECT $3, stream_name, category, stream_version + 1, event_type, '{"n": 42}', metadata, hash, hash
         FROM lx_events WHERE stream_name = $1 AND stream_version = $2`,
        [stream, afterRevision, randomUUID()],
      );
      await sql.query('UPDATE lx_streams SET version = version + 1 WHERE stream_name = $1', [stream]);
    },
  };

  return {
    store,
    backdoor,
    atomicMultiStreamAppends: true,
    reconnect: others.reconnect,
    cleanup: async () => {
      await store.close();
      await others.closeAll();
      await sql.end();
      await database.drop();
    },
  };
});
