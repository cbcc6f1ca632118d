import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import { isEvent, LeadListed, LeadWithdrawn, type EventInput } from '#lx/contracts';
import type { PostgresEventStore, RecordedEvent } from '#lx/event-store';
import { generateLeadRows, leadRowsToCsv, type LeadRow } from '#lx/market-generator';
import type { ProjectionRunner } from '#lx/projections';
import { runProjection } from '../../../projections/src/testing/run-projection.js';
import {
  DoNotContactProcess,
  doNotContactWithdrawalReason,
} from '../application/do-not-contact/do-not-contact-process.js';
import { VerifyBatch } from '../application/verification/verify-batch.js';
import { doNotContactDecider } from '../domain/do-not-contact.js';
import { normaliseEmail } from '../domain/fingerprint.js';
import { openLeadsDatabase, type LeadsDatabase } from '../testing/leads-database.js';
import { pausingListings } from '../testing/pausing-listings.js';
import { PostgresVerificationStore } from './postgres-verification-store.js';
import { packagedContactChecks } from './contact-checks.js';
import { createLeadsRuntime, type LeadsRuntime } from './leads-runtime.js';
import { sellerReadModel } from './read-model/seller-read-model.projection.js';

/*
 * The do-not-contact process on a real database and event store (docs/architecture.md §4.3): a
 * list's entries withdraw the resting leads they match, also one whose listing is being appended
 * as the entries arrive (the read model has not seen it); a lead verified after is refused; a
 * redelivered event changes nothing; another market's list withdraws nothing.
 */
describe('do-not-contact lists withdrawing and refusing leads', () => {
  let leads: LeadsDatabase;
  let store: PostgresEventStore;
  let pool: pg.Pool;
  let runtime: LeadsRuntime;
  let dataSource: DataSource;
  let sellerLeads: ProjectionRunner;
  let process: DoNotContactProcess;
  const until = new Date(Date.now() + 3_600_000);

  beforeAll(async () => {
    leads = await openLeadsDatabase('do_not_contact');
    ({ pool, store } = leads);
    runtime = await createLeadsRuntime(leads.config, store, pool);
    dataSource = new DataSource({ type: 'postgres', url: leads.database.url, entities: [] });
    await dataSource.initialize();
    sellerLeads = await runProjection(sellerReadModel, store, dataSource);
    await sellerLeads.caughtUp;
    process = new DoNotContactProcess({
      lists: runtime.doNotContact,
      aggregates: runtime.aggregates,
      leadsOnSale: (fingerprints, vertical, at) =>
        runtime.doNotContact.leadsOnSale(fingerprints, vertical, at),
    });
  });
  afterAll(async () => {
    await sellerLeads?.stop();
    await dataSource?.destroy();
    await runtime?.close();
    await leads?.close();
  });

  const rowsOf = (seed: string, count: number) =>
    generateLeadRows({
      seed,
      count,
      vertical: 'eyewear',
      capturedAround: new Date(),
      badShare: 0,
      duplicateShare: 0,
      partialShare: 0,
    }).rows;

  async function submit(rows: LeadRow[], vertical: string, seed: string): Promise<string> {
    const receipt = await runtime.receiveUpload.receive({
      sellerId: 'seller-dnc',
      format: 'csv',
      body: (async function* () {
        yield Buffer.from(leadRowsToCsv(rows));
      })(),
      terms: { vertical, floor: 60_000, exclusivity: { kind: 'exclusive' } },
      idempotencyKey: seed,
    });
    return receipt.batchId;
  }

  /** A verifier listing through `listingStore` (the store, or one that pauses its listings). */
  const verifier = (listingStore: PostgresEventStore = store) =>
    new VerifyBatch({
      store,
      aggregates: runtime.aggregates,
      verification: new PostgresVerificationStore(pool, listingStore),
      vault: runtime.vault,
      checks: packagedContactChecks,
      fingerprints: runtime.fingerprints,
      maxLeadAgeDays: 90,
    });

  /** A person's fingerprints under every key held, as the operator API makes them. */
  const fingerprintsOf = (row: LeadRow) => [
    ...(row.phone
      ? runtime.fingerprints.phones(packagedContactChecks.normalisePhone(row.phone, row.country)!)
      : []),
    ...(row.email ? runtime.fingerprints.emails(normaliseEmail(row.email)) : []),
  ];

  /** Creates a list with the contacts through its decider, as the API does; returns its events. */
  async function list(
    listId: string,
    vertical: string | null,
    contacts: string[][],
  ): Promise<RecordedEvent[]> {
    const stream = `dncList-${listId}`;
    await runtime.aggregates.handle(stream, doNotContactDecider, {
      type: 'CreateList',
      listId,
      name: listId,
      vertical,
      expiresAt: until,
      actor: 'operator-1',
    });
    await runtime.aggregates.handle(stream, doNotContactDecider, { type: 'AddEntries', listId, contacts });
    return store.readStream(stream);
  }

  const leadEvents = (leadId: string) => store.readStream(`lead-${leadId}`);
  const withdrawals = async (leadId: string) =>
    (await leadEvents(leadId)).filter((event) => isEvent(LeadWithdrawn, event)).map((event) => event.data);

  it('withdraws a lead whose listing was being appended when the entries arrived, and only it', async () => {
    await sellerLeads.pause(); // the read model lags: the process must not depend on it
    const batchId = await submit(rowsOf('dnc-race', 3), 'eyewear', 'dnc-race');
    let reached!: () => void;
    let open!: () => void;
    const appendReached = new Promise<void>((resolve) => (reached = resolve));
    const appendOpen = new Promise<void>((resolve) => (open = resolve));
    let person: string[] = [];
    let personsLead = '';
    const leadIds: string[] = [];
    const gatedStore = pausingListings(store, async (writes) => {
      const first = writes[0]!.events[0]!.data as EventInput<typeof LeadListed>;
      person = [first.fingerprints.phone, first.fingerprints.email].filter((f): f is string => !!f);
      personsLead = first.leadId;
      leadIds.push(...writes.map((write) => (write.events[0]!.data as EventInput<typeof LeadListed>).leadId));
      reached();
      await appendOpen;
    });
    const verifying = verifier(gatedStore).run(batchId);
    await appendReached;
    const [created, added] = await list('race', null, [person]);
    await process.handle(created!);
    const handling = process.handle(added!);
    await new Promise((resolve) => setTimeout(resolve, 200));
    open();
    await verifying;
    await handling;

    expect(await withdrawals(personsLead)).toEqual([
      { leadId: personsLead, sellerId: 'seller-dnc', reason: doNotContactWithdrawalReason('race') },
    ]);
    for (const other of leadIds.filter((id) => id !== personsLead))
      expect(await withdrawals(other)).toEqual([]);

    // Redelivered (a restart before the checkpoint moved): nothing new is appended or counted.
    const before = (await leadEvents(personsLead)).length;
    await process.handle(added!);
    expect((await leadEvents(personsLead)).length).toBe(before);
    expect(await runtime.doNotContact.list('race')).toMatchObject({
      contacts: 1,
      fingerprints: person.length,
    });
    sellerLeads.resume();
  });

  it("refuses a listed person at verification, and another market's list withdraws nothing", async () => {
    const [listed, resting] = rowsOf('dnc-refused', 2);
    const [created, added] = await list('eyewear-only', 'eyewear', [fingerprintsOf(listed!)]);
    for (const event of [created!, added!]) await process.handle(event);
    const batchId = await submit([listed!, resting!], 'eyewear', 'dnc-refused');
    await verifier().run(batchId);
    expect(await runtime.verification.progress(batchId)).toMatchObject({
      accepted: 1,
      rejected: 1,
      reasons: { do_not_contact: 1 },
    });

    // The resting lead's person on a list of another market: it stays for sale.
    await sellerLeads.caughtUp;
    const restingLead = (
      await pool.query<{ lead_id: string }>(
        `SELECT lead_id FROM rm_seller_leads.seller_leads WHERE batch_id = $1`,
        [batchId],
      )
    ).rows[0]!.lead_id;
    const elsewhere = await list('insurance-only', 'insurance', [fingerprintsOf(resting!)]);
    for (const event of elsewhere) await process.handle(event);
    expect(await withdrawals(restingLead)).toEqual([]);
  });
});
