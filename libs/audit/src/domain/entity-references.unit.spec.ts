import { describe, expect, it } from '@jest/globals';
import { referencedEntities } from './entity-references.js';

describe('referencedEntities', () => {
  it('finds the stream entity, the ids in the data and the competing orders', () => {
    const refs = referencedEntities('market-eyewear', {
      allocationId: 'a1',
      leadId: 'l1',
      orderId: 'o1',
      buyerId: 'b1',
      sellerId: 's1',
      competingBids: [{ orderId: 'o1' }, { orderId: 'o2' }],
      price: 60000,
    });
    expect(refs).toEqual([
      { kind: 'allocation', id: 'a1' },
      { kind: 'lead', id: 'l1' },
      { kind: 'order', id: 'o1' },
      { kind: 'order', id: 'o2' },
      { kind: 'participant', id: 'b1' },
      { kind: 'participant', id: 's1' },
    ]);
  });

  it('links a replacement order to the order and allocation it replaces', () => {
    const refs = referencedEntities('buyer-b1', {
      orderId: 'o9',
      buyerId: 'b1',
      replacementFor: { orderId: 'o1', allocationId: 'a1' },
    });
    expect(refs).toEqual([
      { kind: 'allocation', id: 'a1' },
      { kind: 'order', id: 'o1' },
      { kind: 'order', id: 'o9' },
      { kind: 'participant', id: 'b1' },
    ]);
  });

  it('maps a return stream to its allocation and ignores non-id fields', () => {
    expect(referencedEntities('return-a9', { reason: 'duplicate', evidence: 'orderId: x' })).toEqual([
      { kind: 'allocation', id: 'a9' },
    ]);
  });
});
