import { describe, expect, it } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import type { RecordedEvent } from '#lx/event-store';
import {
  assertValidProjectionName,
  projectionWithHandlers,
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

describe('a projection declared by one handler per event type', () => {
  interface Events {
    Opened: { id: string };
    Closed: { id: string; reason: string };
    Ignored: { id: string };
  }
  const manager = {} as EntityManager;
  const recorded = (type: string, data: unknown) => ({ type, data }) as RecordedEvent;

  function declare(streamCategories?: readonly string[]) {
    const seen: string[] = [];
    const projection = projectionWithHandlers<Events>({
      name: 'doors',
      version: 1,
      entities: [],
      createTables: () => [],
      ...(streamCategories ? { streamCategories } : {}),
      handlers: {
        Opened: async (event) => void seen.push(`opened ${event.data.id}`),
        Closed: async (event) => void seen.push(`closed ${event.data.id}: ${event.data.reason}`),
      },
    });
    return { projection, seen };
  }

  it('subscribes to exactly the event types it has handlers for', () => {
    expect(declare().projection.filter).toEqual({ eventTypes: ['Opened', 'Closed'] });
    expect(declare(['door']).projection.filter).toEqual({
      streamCategories: ['door'],
      eventTypes: ['Opened', 'Closed'],
    });
  });

  it("hands each event to its type's handler, and changes nothing for another type", async () => {
    const { projection, seen } = declare();
    await projection.handle(recorded('Opened', { id: 'd1' }), manager);
    await projection.handle(recorded('Ignored', { id: 'd1' }), manager);
    await projection.handle(recorded('Closed', { id: 'd1', reason: 'wind' }), manager);
    expect(seen).toEqual(['opened d1', 'closed d1: wind']);
  });

  it('refuses a projection that handles nothing', () => {
    expect(() =>
      projectionWithHandlers<Events>({
        name: 'nothing',
        version: 1,
        entities: [],
        createTables: () => [],
        handlers: {},
      }),
    ).toThrow(RangeError);
  });
});
