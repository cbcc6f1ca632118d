import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#lx/event-store';
import * as contracts from './index.js';
import {
  allEvents,
  createEventCatalogue,
  defineEvent,
  DuplicateEventTypeError,
  eventCatalogue,
  isEvent,
  LeadAllocated,
  LeadListed,
  newEvent,
  OrderPlaced,
  ReturnRequested,
  WebhookConfigured,
  type AnyEventDefinition,
  type EventData,
  type EventInput,
} from './index.js';
import { z } from 'zod';

const hex64 = (digit: string) => digit.repeat(64);

const validListing = (): EventInput<typeof LeadListed> => ({
  leadId: 'lead_01',
  sellerId: 'seller_01',
  batchId: 'batch_01',
  attributes: {
    vertical: 'auto_insurance',
    age: 34,
    gender: 'female',
    country: 'ES',
    region: 'ES-M',
    postalPrefix: '280',
    contacts: { phone: { present: true, verified: true }, email: { present: true, verified: false } },
    employment: 'employed',
    maritalStatus: 'married',
    interests: ['car', 'home'],
    stage: 'MQL',
    sourceChannel: 'paid_search',
    capturedAt: '2026-03-01T09:30:00.000Z',
  },
  floor: 1500,
  currency: 'EUR',
  exclusivity: { kind: 'shared', maxSales: 3 },
  expiresAt: '2026-03-04T09:30:00.000Z',
  quality: { score: 82, parts: { completeness: 90, verification: 75, freshness: 95, sellerHistory: 70 } },
  fingerprints: { phone: hex64('a'), email: hex64('b') },
  consent: {
    textVersion: 'v7',
    textHash: hex64('c'),
    pageUrl: 'https://quotes.example.es/auto',
    capturedAt: '2026-03-01T09:29:40.000Z',
    ipFingerprint: hex64('d'),
    sellersNamed: ['Seguros Ejemplo SL'],
    certificate: { provider: 'TrustedForm', reference: 'https://cert.trustedform.com/0123abcd' },
  },
  personalData: {
    algorithm: 'AES-256-GCM',
    keyId: 'key_lead_01',
    iv: 'AAECAwQFBgcICQoL',
    ciphertext: 'c2VjcmV0IHBlcnNvbmFsIGRhdGE=',
    tag: 'AAECAwQFBgcICQoLDA0ODw==',
  },
});

const validOrder = (): EventInput<typeof OrderPlaced> => ({
  orderId: 'order_01',
  buyerId: 'buyer_01',
  vertical: 'auto_insurance',
  currency: 'EUR',
  filters: {
    ageMin: 25,
    ageMax: 60,
    countries: ['ES'],
    regions: ['ES-M', 'RU-MOW'],
    requiredContacts: ['phone'],
    requireVerified: true,
    employment: ['employed', 'self_employed'],
    stages: ['MQL', 'SQL'],
    minQuality: 60,
  },
  bid: 2000,
  maxBid: 2600,
  modifiers: [
    { attribute: 'employment', equals: 'employed', add: 50 },
    { attribute: 'region', in: ['ES-M', 'ES-B'], add: 100 },
  ],
  quantity: 100,
  budget: 250_000,
  dailyCapCount: 20,
  exclusivity: 'any',
  delivery: 'webhook',
});

const isDefinition = (value: unknown): value is AnyEventDefinition =>
  typeof value === 'object' && value !== null && 'validate' in value && 'schemaVersion' in value;

const issuesOf = (definition: AnyEventDefinition, data: unknown): string[] => {
  const result = definition.validate(data);
  return result.ok ? [] : result.issues;
};

describe('defineEvent', () => {
  it('returns the parsed value of valid data', () => {
    const result = LeadListed.validate(validListing());
    expect(result).toEqual({ ok: true, value: validListing() });
  });

  it('refuses an unknown key and names it', () => {
    const listing = { ...validListing(), note: 'hello' };
    expect(issuesOf(LeadListed, listing)).toEqual(['(root): Unrecognized key: "note"']);
  });

  it('refuses clear personal data smuggled into the attributes', () => {
    const listing = validListing();
    const attributes = { ...listing.attributes, email: 'ana@example.es' };
    expect(issuesOf(LeadListed, { ...listing, attributes })).toEqual([
      'attributes: Unrecognized key: "email"',
    ]);
  });

  it('refuses a negative price with its path', () => {
    const allocation = {
      allocationId: 'alloc_01',
      leadId: 'lead_01',
      orderId: 'order_01',
      buyerId: 'buyer_01',
      sellerId: 'seller_01',
      vertical: 'auto_insurance',
      currency: 'EUR',
      price: 2100,
      commission: 210,
      proceeds: 1890,
      rule: 'exclusive-second-price',
      competingBids: [
        { orderId: 'order_01', buyerId: 'buyer_01', effectiveBid: 2500 },
        { orderId: 'order_02', buyerId: 'buyer_02', effectiveBid: 2100 },
      ],
      inputPosition: '812/4031',
      at: '2026-03-01T09:31:00.000Z',
    };
    expect(LeadAllocated.validate(allocation).ok).toBe(true);
    expect(issuesOf(LeadAllocated, { ...allocation, price: -1 })).toContain(
      'price: Too small: expected number to be >=0',
    );
    expect(issuesOf(LeadAllocated, { ...allocation, commission: 211 })).toEqual([
      'proceeds: price must equal proceeds + commission',
    ]);
  });

  it('checks the cross-field rules of an order', () => {
    expect(OrderPlaced.validate(validOrder()).ok).toBe(true);
    const order = validOrder();
    expect(issuesOf(OrderPlaced, { ...order, maxBid: 1999 })).toEqual(['maxBid: must not be below bid']);
    expect(issuesOf(OrderPlaced, { ...order, filters: { ...order.filters, ageMin: 61 } })).toEqual([
      'filters.ageMax: must not be below ageMin',
    ]);
    expect(issuesOf(OrderPlaced, { ...order, filters: { regions: ['Madrid'] } })).toEqual([
      'filters.regions.0: expected an ISO 3166-2 subdivision code such as RU-MOW',
    ]);
    expect(issuesOf(OrderPlaced, { ...order, filters: { genders: ['male', 'male'] } })).toEqual([
      'filters.genders: must not repeat a value',
    ]);
    expect(issuesOf(OrderPlaced, { ...order, modifiers: [{ attribute: 'stage', add: 10 }] })).toEqual([
      'modifiers.0: needs exactly one of equals or in',
    ]);
  });

  it('keeps contacts, fingerprints and return reasons consistent', () => {
    const listing = validListing();
    expect(issuesOf(LeadListed, { ...listing, fingerprints: { email: hex64('b') } })).toEqual([
      'fingerprints.phone: a present phone needs its fingerprint, or duplicates go undetected',
    ]);
    const contacts = { ...listing.attributes.contacts, email: { present: false, verified: true } };
    expect(issuesOf(LeadListed, { ...listing, attributes: { ...listing.attributes, contacts } })).toEqual([
      'attributes.contacts.email: an absent contact cannot be verified',
    ]);
    const request = {
      allocationId: 'alloc_01',
      leadId: 'lead_01',
      orderId: 'order_01',
      buyerId: 'buyer_01',
      sellerId: 'seller_01',
      reason: 'other',
      evidence: [],
    };
    expect(issuesOf(ReturnRequested, request)).toEqual(['text: is required when the reason is other']);
    expect(ReturnRequested.validate({ ...request, text: 'not interested' }).ok).toBe(true);
  });

  it('accepts only http(s) webhook URLs', () => {
    const webhook = { buyerId: 'buyer_01', secretRef: 'vault:webhooks/buyer_01' };
    expect(WebhookConfigured.validate({ ...webhook, url: 'https://crm.example.com/leads' }).ok).toBe(true);
    expect(WebhookConfigured.validate({ ...webhook, url: 'ftp://crm.example.com/leads' }).ok).toBe(false);
  });

  it('refuses a malformed definition when it is declared', () => {
    const schema = z.strictObject({});
    expect(() =>
      defineEvent({ type: 'lead_listed', schemaVersion: 1, categories: ['lead'], schema }),
    ).toThrow(TypeError);
    expect(() => defineEvent({ type: 'LeadListed', schemaVersion: 0, categories: ['lead'], schema })).toThrow(
      TypeError,
    );
    expect(() => defineEvent({ type: 'LeadListed', schemaVersion: 1, categories: [], schema })).toThrow(
      TypeError,
    );
  });
});

describe('newEvent and isEvent', () => {
  it('builds the store shape and narrows recorded events by type', () => {
    const metadata = { actor: 'seller_01', correlationId: 'c-1' };
    expect(newEvent(LeadListed, validListing(), metadata)).toEqual({
      type: 'LeadListed',
      data: validListing(),
      metadata,
    });
    expect(newEvent(LeadListed, validListing())).not.toHaveProperty('metadata');

    const recorded = { type: 'LeadListed', data: validListing() } as RecordedEvent;
    expect(isEvent(LeadListed, recorded)).toBe(true);
    expect(isEvent(OrderPlaced, recorded)).toBe(false);
    if (isEvent(LeadListed, recorded)) {
      const data: EventData<typeof LeadListed> = recorded.data;
      expect(data.exclusivity).toEqual({ kind: 'shared', maxSales: 3 });
    }
  });
});

describe('eventCatalogue', () => {
  it('refuses two definitions of one type', () => {
    const twin = defineEvent({
      type: 'LeadListed',
      schemaVersion: 2,
      categories: ['lead'],
      schema: z.strictObject({}),
    });
    expect(() => createEventCatalogue([LeadListed, twin])).toThrow(DuplicateEventTypeError);
  });

  it('describes known types and nothing else', () => {
    expect(eventCatalogue.describe('LeadListed')).toBe(LeadListed);
    expect(eventCatalogue.describe('LeadSold')).toBeUndefined();
    expect(eventCatalogue.describe('toString')).toBeUndefined();
  });

  it('exports every definition under its own type name, and holds every exported one', () => {
    const exported = Object.entries(contracts as Record<string, unknown>).filter(
      (entry): entry is [string, AnyEventDefinition] => isDefinition(entry[1]),
    );
    for (const [name, definition] of exported) {
      expect(definition.type).toBe(name);
      expect(eventCatalogue.describe(name)).toBe(definition);
      // Version 2: free texts sealed under the lead's key (version-1 events, in clear, still validate).
      expect(definition.schemaVersion).toBe(['ReturnRequested', 'SellerResponded'].includes(name) ? 2 : 1);
    }
    expect(exported.map(([name]) => name).sort()).toEqual(eventCatalogue.list().map((d) => d.type));
  });

  it('lists by type, whatever order the definitions were given in', () => {
    const types = eventCatalogue.list().map((d) => d.type);
    expect(types).toEqual([...types].sort());
    expect(
      createEventCatalogue([...allEvents].reverse())
        .list()
        .map((d) => d.type),
    ).toEqual(types);
    expect(types).toHaveLength(allEvents.length);
  });

  it('allows each event on the streams of docs/architecture.md §3', () => {
    const streams: Record<string, string[]> = {
      participant: [
        'ParticipantRegistered',
        'ApiKeyIssued',
        'ApiKeyRevoked',
        'ParticipantSuspended',
        'ParticipantReinstated',
      ],
      batch: ['LeadBatchSubmitted', 'LeadBatchRowsRejected', 'LeadBatchVerified', 'LeadBatchWithdrawn'],
      lead: ['LeadListed', 'LeadWithdrawn', 'LeadErased', 'LeadPostRejected'],
      ping: ['PingReceived'],
      buyer: [
        'FundsDeposited',
        'OrderPlaced',
        'OrderAmended',
        'OrderPaused',
        'OrderResumed',
        'OrderCancelled',
        'BudgetReleased',
        'RefundCredited',
        'WebhookConfigured',
      ],
      market: [
        'LeadAllocated',
        'OrderFilled',
        'OrderClosed',
        'ReplacementDecided',
        'ListingExpired',
        'PingAnswered',
        'LeadPostOutcome',
      ],
      marketSettings: ['MarketSettingsChanged'],
      marketClock: ['MarketClockTicked'],
      return: [
        'ReturnRequested',
        'ReturnChecked',
        'SellerResponded',
        'ReturnAccepted',
        'ReturnRejected',
        'ReturnEscalated',
        'ReturnWindowClosed',
      ],
      settlement: ['SettlementFinalized'],
      payout: ['PayoutIssued'],
      conversion: ['ConversionReported'],
      authenticity: [
        'AuthenticitySampleDrawn',
        'AuthenticityCheckAnswered',
        'AuthenticitySampleHeld',
        'AuthenticityHoldDecided',
        'AuthenticitySamplePassed',
        'AuthenticitySourceLeadsDrawn',
        'AuthenticitySourceCheckCounted',
        'AuthenticitySourceHeld',
        'AuthenticitySourceVerified',
        'AuthenticitySourceHoldDecided',
      ],
      dncList: ['DoNotContactListCreated', 'DoNotContactEntriesAdded', 'DoNotContactListEnded'],
    };
    const expected = Object.entries(streams).flatMap(([category, types]) =>
      types.map((type) => [type, [category]] as const),
    );
    const actual = eventCatalogue.list().map((d) => [d.type, d.categories] as const);
    expect(actual).toEqual(expected.sort(([a], [b]) => (a < b ? -1 : 1)));
  });

  it('keeps clear personal data out of LeadListed', () => {
    const personal = [
      'name',
      'firstName',
      'lastName',
      'email',
      'phone',
      'address',
      'dateOfBirth',
      'dob',
      'ip',
    ];
    const topLevel = Object.keys(LeadListed.schema.shape);
    const attributes = Object.keys(LeadListed.schema.shape.attributes.shape);
    expect(attributes).toContain('age');
    expect(attributes.filter((key) => personal.includes(key))).toEqual([]);
    expect(topLevel.filter((key) => personal.includes(key))).toEqual([]);
    expect(Object.keys(LeadListed.schema.shape.consent.shape)).not.toContain('ip');
  });
});
