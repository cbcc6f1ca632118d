import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { eventCatalogue } from '#lx/contracts';
import { PostgresEventStore } from '#lx/event-store';
import { ProjectionRunner, readModelEntities, readModelSearchPath } from '#lx/projections';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { leadListed, pingReceived } from '../../../matching/src/testing/market-fixtures.js';
import { auditIndexProjection } from '../infrastructure/audit-index.projection.js';
import { AuditTimelines } from './timeline.js';

/*
 * The streams of real-time selling, do-not-contact lists and authenticity samples, as the audit
 * index sees them (docs/architecture.md §7): a ping's history runs from the ping to the outcome of
 * the post that followed it; a list's from its creation to the leads it withdrew, its fingerprints
 * counted and never shown; a sample's under the batch's id. Each event says what it was in words.
 */
describe('audit timelines of pings, do-not-contact lists and authenticity samples', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let timelines: AuditTimelines;
  const at = '2030-01-01T10:00:00.000Z';
  const metadata = { occurredAt: at, actor: 'test' };
  const fingerprints = ['1', '2', '3'].map((n) => n.repeat(64));

  beforeAll(async () => {
    database = await createTestDatabase('audit_timeline_kinds');
    store = await PostgresEventStore.connect({ connectionString: database.url, registry: eventCatalogue });
    const append = (stream: string, type: string, data: unknown) =>
      store.appendToStream(stream, [{ type, data, metadata }], { expectedRevision: 'any' });
    const ping = pingReceived('p1');
    await append('ping-p1', ping.type, ping.data);
    await append('market-eyewear', 'PingAnswered', {
      pingId: 'p1',
      sellerId: 'seller-1',
      vertical: 'eyewear',
      outcome: 'bid',
      currency: 'RUB',
      price: 42000,
      sales: 1,
      bids: [{ orderId: 'o1', buyerId: 'buyer-1', effectiveBid: 50000 }],
      validUntil: '2030-01-01T10:00:10.000Z',
      inputPosition: '1/1',
    });
    const posted = leadListed('l1', { posted: { pingId: 'p1' } });
    await append('lead-l1', posted.type, posted.data);
    await append('market-eyewear', 'LeadPostOutcome', {
      leadId: 'l1',
      sellerId: 'seller-1',
      vertical: 'eyewear',
      outcome: 'sold',
      currency: 'RUB',
      sales: [{ allocationId: 'a1', orderId: 'o1', buyerId: 'buyer-1', price: 42000, proceeds: 35700 }],
      ping: { pingId: 'p1', honoured: true, price: 42000 },
      inputPosition: '2/1',
    });
    await append('dncList-d1', 'DoNotContactListCreated', {
      listId: 'd1',
      name: 'Regulator register',
      vertical: 'eyewear',
      expiresAt: '2031-01-01T00:00:00.000Z',
      createdBy: 'operator-1',
    });
    await append('dncList-d1', 'DoNotContactEntriesAdded', { listId: 'd1', contacts: 2, fingerprints });
    const resting = leadListed('l2');
    await append('lead-l2', resting.type, resting.data);
    await append('lead-l2', 'LeadWithdrawn', {
      leadId: 'l2',
      sellerId: 'seller-1',
      reason: 'do_not_contact: on list d1',
    });
    await append('dncList-d1', 'DoNotContactListEnded', {
      listId: 'd1',
      endedAt: '2030-01-02T00:00:00.000Z',
      endedBy: 'operator-1',
    });
    await append('authenticity-batch-1', 'AuthenticitySampleDrawn', {
      batchId: 'batch-1',
      sellerId: 'seller-1',
      vertical: 'eyewear',
      rule: 'sha256-batch-lead-v1',
      population: 2,
      samplePercent: 50,
      sampleMin: 1,
      holdThresholdPercent: 20,
      leadIds: ['l2'],
    });
    dataSource = await new DataSource({
      type: 'postgres',
      url: database.url,
      entities: readModelEntities([auditIndexProjection]) as never[],
      extra: { options: readModelSearchPath([auditIndexProjection]) },
    }).initialize();
    const runner = await ProjectionRunner.start({ projection: auditIndexProjection, store, dataSource });
    await runner.caughtUp;
    await runner.stop();
    timelines = new AuditTimelines(dataSource, store);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await store?.close();
    await database?.drop();
  });

  it('follows a ping to its answer, the lead posted after it and that post’s outcome', async () => {
    const { events } = await timelines.page('ping', 'p1', 100, null);
    expect(events.map((event) => [event.type, event.summary])).toEqual([
      [
        'PingReceived',
        'Ping: what would the eyewear market pay now for an exclusive lead at a floor of 300.00 RUB (quality 80)',
      ],
      [
        'PingAnswered',
        'Ping answered: 1 buyer would pay 420.00 RUB each, if listed by 2030-01-01T10:00:10.000Z',
      ],
      ['LeadListed', null],
      ['LeadPostOutcome', 'Posted lead sold: 1 sale, 420.00 RUB in all; its ping was honoured at 420.00 RUB'],
    ]);
  });

  it('shows a list’s history with the lead it withdrew, its fingerprints counted and never shown', async () => {
    const { events } = await timelines.page('doNotContactList', 'd1', 100, null);
    expect(events.map((event) => event.type)).toEqual([
      'DoNotContactListCreated',
      'DoNotContactEntriesAdded',
      'LeadWithdrawn',
      'DoNotContactListEnded',
    ]);
    expect(events[1]).toMatchObject({
      summary:
        '2 contacts added to the list as 3 keyed fingerprints (the phones and e-mails themselves are never kept)',
      data: { listId: 'd1', contacts: 2, fingerprints: '(3 keyed fingerprints, not shown)' },
    });
    expect(events[0]!.summary).toBe(
      'Do-not-contact list "Regulator register" created for the eyewear market, in force until 2031-01-01T00:00:00.000Z',
    );
    const shown = JSON.stringify(events);
    for (const fingerprint of fingerprints) expect(shown).not.toContain(fingerprint);
  });

  it('files a sample under its batch’s id as an authenticity sample, and in the batch’s history too', async () => {
    const sample = await timelines.page('authenticitySample', 'batch-1', 100, null);
    expect(sample.events.map((event) => [event.type, event.summary])).toEqual([
      [
        'AuthenticitySampleDrawn',
        "Authenticity sample drawn: 1 lead of the batch's 2 accepted (rule sha256-batch-lead-v1: 50 %, at least 1; held above 20 % failures)",
      ],
    ]);
    const batch = await timelines.page('batch', 'batch-1', 100, null);
    expect(batch.events.map((event) => event.type)).toContain('AuthenticitySampleDrawn');
  });
});
