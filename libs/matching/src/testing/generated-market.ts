import { createHash } from 'node:crypto';
import { ageOn, type LeadRow, type OrderSpec } from '#lx/market-generator';
import type { MarketInputEvent, OrderTerms } from '../domain/market-model.js';

/*
 * Generated market data (#lx/market-generator) as engine inputs: upload rows become listed leads
 * as verification would list them, order specs become placed orders. For tests and benchmarks.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface ListingOptions {
  leadId: string;
  floor: number;
  currency?: string;
  sellerId?: string;
  exclusivity?: { kind: 'exclusive' } | { kind: 'shared'; maxSales: number };
  /** Lifetime of the listing from its capture time; default 72 h. */
  expiresAt?: string;
}

export function leadListedFromRow(row: LeadRow, vertical: string, options: ListingOptions): MarketInputEvent {
  const capturedAt = new Date(row.captured_at);
  const phone = row.phone?.replace(/\D/g, '');
  const email = row.email?.trim().toLowerCase();
  const contact = (value: string | undefined) => ({ present: !!value, verified: !!value });
  return {
    type: 'LeadListed',
    data: {
      leadId: options.leadId,
      sellerId: options.sellerId ?? 'seller-1',
      batchId: 'batch-1',
      attributes: {
        vertical,
        age: row.age ?? ageOn(row.date_of_birth!, capturedAt),
        // The generator says `other` where the catalogue says `non_binary`.
        ...(row.gender ? { gender: row.gender === 'other' ? 'non_binary' : row.gender } : {}),
        country: row.country,
        region: row.region,
        ...(row.postal_code
          ? { postalPrefix: row.postal_code.replace(/\s/g, '').toUpperCase().slice(0, 3) }
          : {}),
        contacts: { phone: contact(phone), email: contact(email) },
        ...(row.employment ? { employment: row.employment } : {}),
        ...(row.marital_status ? { maritalStatus: row.marital_status } : {}),
        interests: [...new Set(row.interests ?? [])],
        stage: row.stage ?? 'IQL',
        sourceChannel: row.source_channel ?? 'other',
        capturedAt: capturedAt.toISOString(),
      },
      floor: options.floor,
      currency: options.currency ?? 'RUB',
      exclusivity: options.exclusivity ?? { kind: 'exclusive' },
      expiresAt: options.expiresAt ?? new Date(capturedAt.getTime() + 72 * 3_600_000).toISOString(),
      quality: { score: 70, parts: { completeness: 70, verification: 70, freshness: 70, sellerHistory: 70 } },
      fingerprints: {
        ...(phone ? { phone: sha256(`phone:${phone}`) } : {}),
        ...(email ? { email: sha256(`email:${email}`) } : {}),
      },
      consent: {
        textVersion: 'v1',
        textHash: sha256('consent'),
        pageUrl: 'https://example.test/form',
        capturedAt: capturedAt.toISOString(),
        sellersNamed: ['Seller One'],
      },
      personalData: {
        algorithm: 'AES-256-GCM',
        keyId: `key-${options.leadId}`,
        iv: 'AAAAAAAAAAAAAAAA',
        ciphertext: 'AAAA',
        tag: 'AAAAAAAAAAAAAAAAAAAAAA==',
      },
    },
  };
}

/** The catalogue's order terms for a generated spec (the generator's `interests` modifier is `interest`). */
export function orderTermsFromSpec(spec: OrderSpec): OrderTerms {
  return {
    filters: filtersFromSpec(spec.filters),
    bid: spec.bid,
    ...(spec.maxBid !== undefined ? { maxBid: spec.maxBid } : {}),
    modifiers: spec.modifiers.map(
      (modifier) =>
        ({
          attribute: modifier.attribute === 'interests' ? 'interest' : modifier.attribute,
          in: modifier.in,
          add: modifier.add,
        }) as OrderTerms['modifiers'][number],
    ),
    quantity: spec.quantity,
    budget: spec.budget,
    ...(spec.dailyCapCount !== undefined ? { dailyCapCount: spec.dailyCapCount } : {}),
    ...(spec.dailyCapSpend !== undefined ? { dailyCapSpend: spec.dailyCapSpend } : {}),
    exclusivity: spec.exclusivity,
    delivery: spec.delivery,
  };
}

export function orderPlacedFromSpec(spec: OrderSpec, orderId: string, buyerId: string): MarketInputEvent {
  return {
    type: 'OrderPlaced',
    data: { orderId, buyerId, vertical: spec.vertical, currency: spec.currency, ...orderTermsFromSpec(spec) },
  };
}

/** The catalogue refuses `requireVerified` without `requiredContacts`; the generator sometimes draws it. */
function filtersFromSpec(filters: OrderSpec['filters']): OrderTerms['filters'] {
  const { requireVerified, ...rest } = filters;
  return (
    rest.requiredContacts && requireVerified ? { ...rest, requireVerified } : rest
  ) as OrderTerms['filters'];
}
