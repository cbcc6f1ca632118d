import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { vaultDatabaseUrl, type ExchangeConfig } from '#lx/config';
import { isEvent, LeadErased, LeadListed } from '#lx/contracts';
import type { PostgresEventStore } from '#lx/event-store';
import { generateLeadRows, leadRowsToCsv } from '#lx/market-generator';
import {
  connectDataKeyDatabase,
  createPersonalDataVault,
  PostgresDataKeyStore,
  vaultMasterKeysOf,
} from '#lx/vault';
import { leadIdFor } from '../domain/deterministic-id.js';
import { leadDecider } from '../domain/lead.decider.js';
import { openLeadsDatabase, type LeadsDatabase } from '../testing/leads-database.js';
import { createLeadsRuntime, type LeadsRuntime } from './leads-runtime.js';

const run = promisify(execFile);

/*
 * Erasure destroys a lead's data key. The keys have their own database, so restoring the log never
 * brings one back; restoring the key store itself does, and the start-up re-applies every erasure
 * the log records: a dump taken before the erasure and restored after it leaves the person unreadable.
 */
describe('an erasure survives a restore of the key store', () => {
  let leads: LeadsDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let config: ExchangeConfig;
  let runtime: LeadsRuntime;
  let dumpDirectory: string;

  beforeAll(async () => {
    leads = await openLeadsDatabase('erasure_restore');
    ({ pool, store, config } = leads);
    runtime = await createLeadsRuntime(config, store, pool);
    dumpDirectory = await mkdtemp(join(tmpdir(), 'lx-vault-dump-'));
  });
  afterAll(async () => {
    await runtime?.close();
    await leads?.close();
    if (dumpDirectory) await rm(dumpDirectory, { recursive: true, force: true });
  });

  it('keeps the keys apart from the log, and re-erases a key restored from before its erasure', async () => {
    const sellerId = 'seller-restore';
    const { rows } = generateLeadRows({
      seed: 'erasure-restore',
      count: 2,
      vertical: 'eyewear',
      capturedAround: new Date(),
      badShare: 0,
      duplicateShare: 0,
      partialShare: 0,
    });
    const receipt = await runtime.receiveUpload.receive({
      sellerId,
      format: 'csv',
      body: (async function* () {
        yield Buffer.from(leadRowsToCsv(rows));
      })(),
      terms: { vertical: 'eyewear', floor: 60_000, exclusivity: { kind: 'exclusive' } },
      idempotencyKey: 'restore-1',
    });
    await runtime.verifyBatch.run(receipt.batchId);
    // Lines 2 and 3 of the file; read from their streams (a log-wide read may lag other transactions).
    const listed = (
      await Promise.all([2, 3].map((line) => store.readStream(`lead-${leadIdFor(receipt.batchId, line)}`)))
    )
      .flat()
      .filter((event) => isEvent(LeadListed, event))
      .map((event) => event.data);
    expect(listed).toHaveLength(2);
    const [erased, kept] = listed as [(typeof listed)[0], (typeof listed)[0]];

    // The log's database holds no key at all.
    const { rows: tables } = await runtime.pool.query(
      `SELECT 1 FROM pg_tables WHERE tablename = 'lx_vault_keys'`,
    );
    expect(tables).toHaveLength(0);

    const dump = join(dumpDirectory, 'vault.dump');
    const vaultUrl = vaultDatabaseUrl(config);
    await run('pg_dump', ['--format=custom', '--file', dump, '--dbname', vaultUrl]);

    await runtime.vault.erase([erased.personalData.keyId]);
    await runtime.aggregates.handle(
      `lead-${erased.leadId}`,
      leadDecider,
      { type: 'EraseLead', leadId: erased.leadId, sellerId, reason: 'data_subject_request' },
      { metadata: { actor: sellerId } },
    );
    expect(await runtime.vault.open(erased.personalData)).toBeNull();
    await runtime.close();
    // The start re-reads erasures from the log: wait until a log-wide read sees this one.
    for (let tries = 0; ; tries++) {
      const { events } = await store.readAll({ maxCount: 100, filter: { eventTypes: [LeadErased.type] } });
      if (events.some((event) => isEvent(LeadErased, event) && event.data.leadId === erased.leadId)) break;
      if (tries > 600) throw new Error('LeadErased never became readable');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    await run('pg_restore', ['--clean', '--if-exists', '--dbname', vaultUrl, dump]);
    // The restore did bring the destroyed key back: without the start-up step the person is readable.
    const restoredPool = await connectDataKeyDatabase(vaultUrl);
    const restored = await createPersonalDataVault(restoredPool, vaultMasterKeysOf(config));
    expect(await restored.open(erased.personalData)).not.toBeNull();
    await restoredPool.end();

    runtime = await createLeadsRuntime(config, store, pool);
    expect(await runtime.vault.open(erased.personalData)).toBeNull();
    expect(await runtime.vault.open(kept.personalData)).not.toBeNull();
  });

  it('moves the keys an earlier version kept in the log database into the key store, once', async () => {
    await PostgresDataKeyStore.migrate(runtime.pool);
    const legacy = await createPersonalDataVault(runtime.pool, vaultMasterKeysOf(config));
    const keyId = '6f1c1a52-3d4e-4f8a-9b0c-1d2e3f405162';
    const envelope = legacy.seal((await legacy.obtainKeys([keyId])).get(keyId)!, { name: 'Ivan' });
    await runtime.close();

    runtime = await createLeadsRuntime(config, store, pool);
    expect(await runtime.vault.open(envelope)).toEqual({ name: 'Ivan' });
    const { rows } = await runtime.pool.query(`SELECT to_regclass('public.lx_vault_keys') AS still_there`);
    expect(rows).toEqual([{ still_there: null }]);
  });
});
