import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { isEvent, LeadErased, LeadListed, type EventInput } from '#lx/contracts';
import type { PostgresEventStore } from '#lx/event-store';
import { ProjectionRunner } from '#lx/projections';
import { DataSource } from 'typeorm';
import { generateLeadRows, leadRowsToCsv } from '#lx/market-generator';
import type { TestDatabase } from '#lx/testing';
import type { VerificationStore } from '../application/verification/verification-store.port.js';
import { VerifyBatch } from '../application/verification/verify-batch.js';
import { openLeadsDatabase, type LeadsDatabase } from '../testing/leads-database.js';
import { pausingListings } from '../testing/pausing-listings.js';
import { PostgresVerificationStore } from './postgres-verification-store.js';
import { createLeadsRuntime, type LeadsRuntime } from './leads-runtime.js';
import { packagedContactChecks } from './contact-checks.js';
import { sellerReadModel } from './read-model/seller-read-model.projection.js';
import { runProjection } from '../../../projections/src/testing/run-projection.js';

/** A promise the test opens: the verification waits at it until the revocation has been sent. */
function gate() {
  let reached!: () => void;
  let open!: () => void;
  const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
  const openPromise = new Promise<void>((resolve) => (open = resolve));
  return { reached: reachedPromise, open, pass: () => (reached(), openPromise) };
}

/*
 * A revocation can arrive while a batch holding the person's lead is being verified: after the
 * dedupe step checked the suppression list, or while the listing is being appended and no read
 * model shows it yet. Either way none of the person's leads may stay readable or listed.
 */
describe('a consumer revocation racing a batch verification', () => {
  let leads: LeadsDatabase;
  let database: TestDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let runtime: LeadsRuntime;
  let dataSource: DataSource;
  let sellerLeads: ProjectionRunner;

  beforeAll(async () => {
    leads = await openLeadsDatabase('revocation_race');
    ({ database, pool, store } = leads);
    runtime = await createLeadsRuntime(leads.config, store, pool);
    dataSource = new DataSource({ type: 'postgres', url: database.url, entities: [] });
    await dataSource.initialize();
    sellerLeads = await runProjection(sellerReadModel, store, dataSource);
    await sellerLeads.caughtUp;
    // The read model lags the log, as it may at any moment: the revocation must not depend on it.
    await sellerLeads.pause();
  });
  afterAll(async () => {
    await sellerLeads?.stop();
    await dataSource?.destroy();
    await runtime?.close();
    await leads?.close();
  });

  async function submit(seed: string, vertical: 'eyewear' | 'insurance'): Promise<string> {
    const { rows } = generateLeadRows({
      seed,
      count: 3,
      vertical,
      capturedAround: new Date(),
      badShare: 0,
      duplicateShare: 0,
      partialShare: 0,
    });
    const receipt = await runtime.receiveUpload.receive({
      sellerId: 'seller-race',
      format: 'csv',
      body: (async function* () {
        yield Buffer.from(leadRowsToCsv(rows));
      })(),
      terms: { vertical, floor: 60_000, exclusivity: { kind: 'exclusive' } },
      idempotencyKey: seed,
    });
    return receipt.batchId;
  }

  const verifier = (overrides: { verification?: VerificationStore }) =>
    new VerifyBatch({
      store,
      aggregates: runtime.aggregates,
      verification: overrides.verification ?? runtime.verification,
      vault: runtime.vault,
      checks: packagedContactChecks,
      fingerprints: runtime.fingerprints,
      maxLeadAgeDays: 90,
    });

  /** The lead's events, read from its own stream: the log, not a read model. */
  async function lead(leadId: string) {
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

  it('erases a lead whose listing is being appended when the revocation arrives', async () => {
    const batchId = await submit('race-during-append', 'eyewear');
    const appending = gate();
    let person: string[] = [];
    let personsLead = '';
    const gatedStore = pausingListings(store, async (writes) => {
      const first = writes[0]!.events[0]!.data as EventInput<typeof LeadListed>;
      person = [first.fingerprints.phone, first.fingerprints.email].filter((f): f is string => !!f);
      personsLead = first.leadId;
      await appending.pass();
    });
    const verifying = verifier({ verification: new PostgresVerificationStore(pool, gatedStore) }).run(
      batchId,
    );
    await appending.reached;
    const revoking = runtime.eraseLeads.revokeConsent(person, person, 'operator-race');
    // The revocation waits for the listing being written instead of missing it.
    await new Promise((resolve) => setTimeout(resolve, 200));
    appending.open();
    await verifying;
    const erasedIds = await revoking;

    expect(await lead(personsLead)).toEqual({ listed: true, erased: true, readable: false });
    expect(erasedIds).toEqual([personsLead]);
  });

  it('refuses a lead whose listing is written after the revocation, though dedupe let it through', async () => {
    const batchId = await submit('race-after-dedupe', 'insurance');
    const claimed = gate();
    let person: string[] = [];
    let personsLead = '';
    const gatedVerification: VerificationStore = Object.create(runtime.verification, {
      claimFingerprints: {
        value: async (...args: Parameters<VerificationStore['claimFingerprints']>) => {
          const [vertical, fingerprints, windowStart, decide, claimedAt] = args;
          await runtime.verification.claimFingerprints(
            vertical,
            fingerprints,
            windowStart,
            (holders, suppressed) => {
              const claims = decide(holders, suppressed);
              personsLead = claims[0]!.leadId;
              person = claims
                .filter((claim) => claim.leadId === personsLead)
                .map((claim) => claim.fingerprint);
              return claims;
            },
            claimedAt,
          );
          await claimed.pass();
        },
      },
    });
    const verifying = verifier({ verification: gatedVerification }).run(batchId);
    await claimed.reached;
    await runtime.eraseLeads.revokeConsent(person, person, 'operator-race');
    claimed.open();
    await verifying;

    expect(await lead(personsLead)).toEqual({ listed: false, erased: false, readable: false });
    const progress = await runtime.verification.progress(batchId);
    expect(progress).toMatchObject({ accepted: 2, rejected: 1, reasons: { suppressed: 1 } });
    expect(await runtime.verification.leadsClaiming(person)).toEqual([]);
  });
});
