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

  it('gives pings, do-not-contact lists and authenticity samples their own kind', () => {
    expect(referencedEntities('ping-p1', { pingId: 'p1', sellerId: 's1' })).toEqual([
      { kind: 'participant', id: 's1' },
      { kind: 'ping', id: 'p1' },
    ]);
    expect(
      referencedEntities('market-eyewear', {
        leadId: 'l1',
        sellerId: 's1',
        ping: { pingId: 'p1', honoured: true },
      }),
    ).toEqual([
      { kind: 'lead', id: 'l1' },
      { kind: 'participant', id: 's1' },
      { kind: 'ping', id: 'p1' },
    ]);
    expect(referencedEntities('lead-l1', { leadId: 'l1', posted: { pingId: 'p1' } })).toEqual([
      { kind: 'lead', id: 'l1' },
      { kind: 'ping', id: 'p1' },
    ]);
    expect(
      referencedEntities('dncList-d1', { listId: 'd1', contacts: 2, fingerprints: ['f1', 'f2'] }),
    ).toEqual([{ kind: 'doNotContactList', id: 'd1' }]);
    expect(referencedEntities('authenticity-b1', { batchId: 'b1', sellerId: 's1', leadId: 'l1' })).toEqual([
      { kind: 'authenticitySample', id: 'b1' },
      { kind: 'batch', id: 'b1' },
      { kind: 'lead', id: 'l1' },
      { kind: 'participant', id: 's1' },
    ]);
  });

  it("puts a lead a do-not-contact list withdrew in the list's history", () => {
    expect(referencedEntities('lead-l1', { leadId: 'l1', reason: 'do_not_contact: on list d1' })).toEqual([
      { kind: 'doNotContactList', id: 'd1' },
      { kind: 'lead', id: 'l1' },
    ]);
    expect(referencedEntities('lead-l1', { leadId: 'l1', reason: 'seller: duplicate' })).toEqual([
      { kind: 'lead', id: 'l1' },
    ]);
  });
});
