import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventCatalogue, isEvent, LeadErased, LeadListed } from '#lx/contracts';
import { createPostgresPool, PostgresEventStore } from '#lx/event-store';
import { generateLeadRows, type LeadRow } from '#lx/market-generator';
import type pg from 'pg';
import type { ProjectionRunner } from '#lx/projections';
import { DataSource } from 'typeorm';
import { runProjection } from '../../../projections/src/testing/run-projection.js';
import { RealtimeSelling, type PostAnswer } from '../application/realtime/realtime-selling.js';
import { normaliseEmail } from '../domain/fingerprint.js';
import { openLeadsDatabase, type LeadsDatabase } from '../testing/leads-database.js';
import { packagedContactChecks } from './contact-checks.js';
import { createLeadsRuntime, type LeadsRuntime } from './leads-runtime.js';
import { sellerReadModel } from './read-model/seller-read-model.projection.js';

const PERSONS = 25;
const POOL_SIZE = 4;

/*
 * Posted leads verified and listed all at once (docs/architecture.md §5.2) on a pool smaller than
 * the burst: every person is posted twice under two external ids, 50 posts in flight together, while
 * five of the persons revoke their consent. Each person not revoked is listed exactly once (the
 * other post is a duplicate on the exchange), no revoked person keeps a readable listing, every post
 * is answered, and the pool is left idle: a listing holds one connection, never waits for a second.
 */
describe('concurrent posts with overlapping contacts and a concurrent revocation', () => {
  let leads: LeadsDatabase;
  let pool: pg.Pool;
  let store: PostgresEventStore;
  let runtime: LeadsRuntime;
  let realtime: RealtimeSelling;
  let dataSource: DataSource;
  let sellerLeads: ProjectionRunner;

  beforeAll(async () => {
    leads = await openLeadsDatabase('concurrent_posts');
    pool = createPostgresPool({ connectionString: leads.database.url, max: POOL_SIZE, purpose: 'test' });
    store = await PostgresEventStore.connect({
      connectionString: leads.database.url,
      pool,
      registry: eventCatalogue,
    });
    runtime = await createLeadsRuntime(leads.config, store, pool);
    // The read model exists but lags the log, as it may: a revocation must not depend on it.
    dataSource = new DataSource({ type: 'postgres', url: leads.database.url, entities: [] });
    await dataSource.initialize();
    sellerLeads = await runProjection(sellerReadModel, store, dataSource);
    await sellerLeads.caughtUp;
    await sellerLeads.pause();
    realtime = new RealtimeSelling({
      store,
      verifyBatch: runtime.verifyBatch,
      answers: runtime.realtimeAnswers,
      checks: packagedContactChecks,
      marketSettings: async () => ({ currency: 'RUB', dedupeWindowDays: 30, listingLifetimeHours: 72 }),
      maxLeadAgeDays: 90,
      sellerHistory: async () => ({ sold: 0, returned: 0, conversions: 0 }),
      // No engine runs here: a listed post answers `pending` at once.
      waitMs: 1,
    });
  });
  afterAll(async () => {
    await sellerLeads?.stop();
    await dataSource?.destroy();
    await runtime?.close();
    await store?.close();
    await pool?.end();
    await leads?.close();
  });

  const fingerprintsOf = (row: LeadRow) => [
    ...(row.phone
      ? runtime.fingerprints.phones(packagedContactChecks.normalisePhone(row.phone, row.country)!)
      : []),
    ...(row.email ? runtime.fingerprints.emails(normaliseEmail(row.email)) : []),
  ];

  it('lists each person once, keeps no revoked person readable, and answers every post', async () => {
    const { rows } = generateLeadRows({
      seed: 'concurrent-posts',
      count: PERSONS,
      vertical: 'eyewear',
      capturedAround: new Date(),
      badShare: 0,
      duplicateShare: 0,
      partialShare: 0,
    });
    const revoked = new Set([0, 5, 10, 15, 20]);
    const post = (person: number, copy: 'a' | 'b') =>
      realtime.post({
        sellerId: 'seller-concurrent',
        externalId: `${copy}-${person}`,
        terms: { vertical: 'eyewear', floor: 30_000, exclusivity: { kind: 'exclusive' } },
        lead: { ...rows[person]! },
      });
    const posting = rows.flatMap((_, person) => [post(person, 'a'), post(person, 'b')]);
    // The revocations arrive while the posts are being verified and listed.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const revoking = Promise.all(
      [...revoked].map((person) => {
        const fingerprints = fingerprintsOf(rows[person]!);
        return runtime.eraseLeads.revokeConsent(fingerprints, fingerprints, 'operator-concurrent');
      }),
    );
    const answers = await Promise.all(posting);
    await revoking;

    for (let person = 0; person < PERSONS; person++) {
      const pair = answers.slice(2 * person, 2 * person + 2) as PostAnswer[];
      const states = await Promise.all(pair.map((answer) => leadState(answer.leadId)));
      const listedCount = states.filter((state) => state.listed).length;
      if (revoked.has(person)) {
        expect(states.filter((state) => state.readable)).toEqual([]);
        expect(listedCount).toBeLessThanOrEqual(1);
        for (const [index, answer] of pair.entries())
          if (answer.status === 'rejected')
            expect(answer.reasons).toEqual(
              expect.arrayContaining([expect.stringMatching(/suppressed|duplicate_on_exchange/)]),
            );
          else expect(states[index]).toMatchObject({ listed: true, erased: true });
      } else {
        expect(pair.map((answer) => answer.status).sort()).toEqual(['pending', 'rejected']);
        expect(pair.find((answer) => answer.status === 'rejected')).toMatchObject({
          reasons: ['duplicate_on_exchange'],
        });
        expect(listedCount).toBe(1);
        expect(states.filter((state) => state.readable)).toHaveLength(1);
      }
    }
    // Exactly one claim per fingerprint of each person still listed, none for the revoked.
    for (let person = 0; person < PERSONS; person++) {
      const claimants = await runtime.verification.leadsClaiming(fingerprintsOf(rows[person]!));
      expect(claimants).toHaveLength(revoked.has(person) ? 0 : 1);
    }
    // Nothing is left holding or waiting for a connection (a NOTIFY in flight may take a moment).
    for (let tries = 0; tries < 40 && pool.totalCount - pool.idleCount + pool.waitingCount > 0; tries++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect({ waiting: pool.waitingCount, busy: pool.totalCount - pool.idleCount }).toEqual({
      waiting: 0,
      busy: 0,
    });
  }, 60_000);

  async function leadState(leadId: string) {
    const events = await store.readStream(`lead-${leadId}`);
    const listed = events.find((event) => isEvent(LeadListed, event));
    return {
      listed: listed !== undefined,
      erased: events.some((event) => isEvent(LeadErased, event)),
      readable:
        listed !== undefined &&
        isEvent(LeadListed, listed) &&
        (await runtime.vault.open(listed.data.personalData)) !== null,
    };
  }
});
