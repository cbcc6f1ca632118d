import { describe, expect, it } from '@jest/globals';
import { OrderFilters as OrderFiltersSchema } from '#lx/contracts';
import { allocations, engineSpec } from '../testing/engine-spec.js';
import { InputLog, LEAD_ATTRIBUTES, leadListed, orderPlaced } from '../testing/market-fixtures.js';
import { CompiledFilters } from './compiled-filters.js';
import { MarketEngine } from './market-engine.js';
import type { LeadAttributes, OrderFilters } from './market-model.js';
import { filterableLead, filtersAccept } from './order-filters.js';

/*
 * Sources and sub-sources in an order's filters (docs/architecture.md §5): an entry names a source
 * of one seller, or of any seller without `sellerId`; without `subSource` every sub-source of it.
 * `sourcesIncluded` takes only leads from a named source, `sourcesExcluded` never one.
 */

const NOW = Date.parse('2030-01-01T10:00:00.000Z');

const lead = (sellerId: string, source?: string, subSource?: string) => {
  const attributes: LeadAttributes = {
    ...LEAD_ATTRIBUTES,
    ...(source === undefined ? {} : { source }),
    ...(subSource === undefined ? {} : { subSource }),
  };
  return filterableLead({ sellerId, attributes, quality: 80, sellerQuality: 70 });
};

const accepts = (filters: OrderFilters, listed: ReturnType<typeof lead>) =>
  filtersAccept(new CompiledFilters(filters), listed, NOW);

describe('source filters', () => {
  it('an included source of any seller takes that source of every seller, and nothing else', () => {
    const filters: OrderFilters = { sourcesIncluded: [{ source: 'google' }] };
    expect(accepts(filters, lead('seller-1', 'google'))).toBe(true);
    expect(accepts(filters, lead('seller-2', 'google', 'brand'))).toBe(true);
    expect(accepts(filters, lead('seller-1', 'facebook'))).toBe(false);
    expect(accepts(filters, lead('seller-1', 'Google'))).toBe(false);
    // A lead without a source is from none of them.
    expect(accepts(filters, lead('seller-1'))).toBe(false);
  });

  it('an entry with a seller names that seller’s source only: two sellers may use the same name', () => {
    const filters: OrderFilters = { sourcesIncluded: [{ sellerId: 'seller-1', source: 'google' }] };
    expect(accepts(filters, lead('seller-1', 'google'))).toBe(true);
    expect(accepts(filters, lead('seller-2', 'google'))).toBe(false);
    const excluding: OrderFilters = { sourcesExcluded: [{ sellerId: 'seller-2', source: 'google' }] };
    expect(accepts(excluding, lead('seller-1', 'google'))).toBe(true);
    expect(accepts(excluding, lead('seller-2', 'google'))).toBe(false);
  });

  it('an entry with a sub-source names only that split of the source', () => {
    const filters: OrderFilters = { sourcesIncluded: [{ source: 'affiliates', subSource: 'aff-17' }] };
    expect(accepts(filters, lead('seller-1', 'affiliates', 'aff-17'))).toBe(true);
    expect(accepts(filters, lead('seller-1', 'affiliates', 'aff-18'))).toBe(false);
    expect(accepts(filters, lead('seller-1', 'affiliates'))).toBe(false);
    const seller: OrderFilters = {
      sourcesExcluded: [{ sellerId: 'seller-1', source: 'affiliates', subSource: 'aff-17' }],
    };
    expect(accepts(seller, lead('seller-1', 'affiliates', 'aff-17'))).toBe(false);
    expect(accepts(seller, lead('seller-1', 'affiliates', 'aff-18'))).toBe(true);
    expect(accepts(seller, lead('seller-2', 'affiliates', 'aff-17'))).toBe(true);
  });

  it('excluded sources never sell to the order; leads without a source are not excluded', () => {
    const filters: OrderFilters = { sourcesExcluded: [{ source: 'affiliates' }] };
    expect(accepts(filters, lead('seller-1', 'affiliates', 'aff-1'))).toBe(false);
    expect(accepts(filters, lead('seller-1', 'google'))).toBe(true);
    expect(accepts(filters, lead('seller-1'))).toBe(true);
  });

  it('inclusion and exclusion combine: a sub-source can be cut out of an included source', () => {
    const filters: OrderFilters = {
      sourcesIncluded: [{ source: 'affiliates' }],
      sourcesExcluded: [{ source: 'affiliates', subSource: 'aff-bad' }],
    };
    expect(accepts(filters, lead('seller-1', 'affiliates', 'aff-good'))).toBe(true);
    expect(accepts(filters, lead('seller-1', 'affiliates', 'aff-bad'))).toBe(false);
    expect(accepts(filters, lead('seller-1', 'google'))).toBe(false);
  });

  it('the catalogue refuses malformed, repeated and contradictory entries', () => {
    const ok = (filters: unknown) => OrderFiltersSchema.safeParse(filters).success;
    expect(ok({ sourcesIncluded: [{ source: 'google', subSource: 'brand_2024.q1' }] })).toBe(true);
    expect(ok({ sourcesIncluded: [{ sellerId: 'seller-1', source: 'google' }, { source: 'google' }] })).toBe(
      true,
    );
    expect(ok({ sourcesIncluded: [] })).toBe(false);
    expect(ok({ sourcesIncluded: [{ source: '' }] })).toBe(false);
    expect(ok({ sourcesIncluded: [{ source: '-google' }] })).toBe(false);
    expect(ok({ sourcesIncluded: [{ source: 'a|b' }] })).toBe(false);
    expect(ok({ sourcesIncluded: [{ source: 'g'.repeat(65) }] })).toBe(false);
    expect(ok({ sourcesIncluded: [{ source: 'google', extra: 1 }] })).toBe(false);
    expect(ok({ sourcesIncluded: [{ subSource: 'brand' }] })).toBe(false);
    expect(ok({ sourcesIncluded: [{ source: 'google' }, { source: 'google' }] })).toBe(false);
    expect(ok({ sourcesIncluded: [{ source: 'google' }], sourcesExcluded: [{ source: 'google' }] })).toBe(
      false,
    );
    expect(
      ok({
        sourcesIncluded: [{ source: 'google' }],
        sourcesExcluded: [{ source: 'google', subSource: 'x' }],
      }),
    ).toBe(true);
  });
});

describe('the engine enforces source filters, on new and on resting leads', () => {
  const spec = engineSpec();

  it('a new lead of an excluded source is not sold to the order; one of another source is', () => {
    const excluding = orderPlaced('o-1', { filters: { sourcesExcluded: [{ source: 'affiliates' }] } });
    spec
      .given([excluding])
      .when(leadListed('lead-1', { attributes: { source: 'affiliates', subSource: 'aff-1' } }))
      .then([]);
    spec
      .given([excluding])
      .when(leadListed('lead-1', { attributes: { source: 'google' } }))
      .then([{ type: 'LeadAllocated', data: { orderId: 'o-1' } }]);
  });

  it('an order placed over a resting book takes only the leads of its included sources', () => {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const log = new InputLog();
    const listings = [
      leadListed('lead-g1', { attributes: { source: 'google' }, person: 'p1' }),
      leadListed('lead-a1', { attributes: { source: 'affiliates', subSource: 'aff-1' }, person: 'p2' }),
      leadListed('lead-none', { person: 'p3' }),
      leadListed('lead-g2', { attributes: { source: 'google', subSource: 'brand' }, person: 'p4' }),
      leadListed('lead-other', { sellerId: 'seller-2', attributes: { source: 'google' }, person: 'p5' }),
    ];
    for (const listing of listings) expect(engine.apply(log.input(listing))).toEqual([]);
    const placed = orderPlaced('o-1', {
      filters: { sourcesIncluded: [{ sellerId: 'seller-1', source: 'google' }] },
    });
    const bought = allocations(engine.apply(log.input(placed))).map((sale) => sale.leadId);
    expect(bought.sort()).toEqual(['lead-g1', 'lead-g2']);
  });
});
