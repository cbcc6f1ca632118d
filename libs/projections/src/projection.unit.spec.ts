import { describe, expect, it } from '@jest/globals';
import {
  assertValidProjectionName,
  liveSchemaOf,
  readModelSearchPath,
  rebuildSchemaOf,
} from './projection.js';

describe('projection names and schemas', () => {
  it('puts each projection in its own schema, and its rebuild beside it', () => {
    expect(liveSchemaOf({ name: 'buyer_orders' })).toBe('rm_buyer_orders');
    expect(rebuildSchemaOf({ name: 'buyer_orders' })).toBe('rm_buyer_orders__next');
  });

  it('accepts lower snake case only, short enough for the rebuild suffixes', () => {
    for (const name of ['ledger', 'buyer_orders', 'v2_totals', 'a'.repeat(40)])
      expect(() => assertValidProjectionName(name)).not.toThrow();
    for (const name of ['', 'Ledger', '2ledger', 'buyer-orders', 'a__b', 'ledger_', 'a'.repeat(41), 'x;drop'])
      expect(() => assertValidProjectionName(name)).toThrow(RangeError);
  });

  it('lists every live read-model schema on the search_path, then public', () => {
    expect(readModelSearchPath([{ name: 'ledger' }, { name: 'buyer_orders' }])).toBe(
      '-c search_path=rm_ledger,rm_buyer_orders,public',
    );
  });
});
