import { newEvent, LeadAllocated, LeadListed, type EventInput } from '#lx/contracts';

/*
 * Real catalogue events, as the sellers' app and the matching engine write them: the inputs the
 * buyers' read models consume. Tests append them to a real event store.
 */

type ListingInput = EventInput<typeof LeadListed>;
type Attributes = ListingInput['attributes'];

/** A verified, employed woman of 41 in Moscow, captured two minutes before noon on 2030-01-01. */
export const LISTED_ATTRIBUTES: Attributes = {
  vertical: 'eyewear',
  age: 41,
  gender: 'female',
  country: 'RU',
  region: 'RU-MOW',
  postalPrefix: '125',
  contacts: { phone: { present: true, verified: true }, email: { present: true, verified: true } },
  employment: 'employed',
  maritalStatus: 'married',
  interests: ['premium_glasses'],
  stage: 'MQL',
  sourceChannel: 'landing_page',
  capturedAt: '2030-01-01T11:58:00.000Z',
};

export function leadListed(
  leadId: string,
  options: {
    sellerId?: string;
    floor?: number;
    attributes?: Partial<Attributes>;
    shared?: number;
    expiresAt?: string;
  } = {},
) {
  const { capturedAt } = LISTED_ATTRIBUTES;
  return newEvent(LeadListed, {
    leadId,
    sellerId: options.sellerId ?? 'seller-1',
    batchId: 'batch-1',
    attributes: { ...LISTED_ATTRIBUTES, ...options.attributes },
    floor: options.floor ?? 40000,
    currency: 'RUB',
    exclusivity: options.shared ? { kind: 'shared', maxSales: options.shared } : { kind: 'exclusive' },
    expiresAt: options.expiresAt ?? '2100-01-01T00:00:00.000Z',
    quality: { score: 80, parts: { completeness: 90, verification: 80, freshness: 70, sellerHistory: 80 } },
    fingerprints: { phone: 'a'.repeat(64), email: 'b'.repeat(64) },
    consent: {
      textVersion: 'v1',
      textHash: 'c'.repeat(64),
      pageUrl: 'https://landing.example.com/glasses',
      capturedAt,
      sellersNamed: ['Moscow Leads LLC'],
    },
    personalData: {
      algorithm: 'AES-256-GCM',
      keyId: `key-${leadId}`,
      iv: Buffer.alloc(12, 1).toString('base64'),
      ciphertext: Buffer.from('sealed').toString('base64'),
      tag: Buffer.alloc(16, 2).toString('base64'),
    },
  });
}

export function leadAllocated(a: {
  allocationId: string;
  leadId: string;
  orderId: string;
  buyerId: string;
  sellerId?: string;
  price: number;
  at?: string;
}) {
  const commission = Math.round(a.price / 10);
  return newEvent(LeadAllocated, {
    allocationId: a.allocationId,
    leadId: a.leadId,
    orderId: a.orderId,
    buyerId: a.buyerId,
    sellerId: a.sellerId ?? 'seller-1',
    vertical: 'eyewear',
    currency: 'RUB',
    price: a.price,
    commission,
    proceeds: a.price - commission,
    rule: 'resting-lead-floor',
    competingBids: [{ orderId: a.orderId, buyerId: a.buyerId, effectiveBid: a.price }],
    inputPosition: '1/1',
    at: a.at ?? new Date().toISOString(),
  });
}
