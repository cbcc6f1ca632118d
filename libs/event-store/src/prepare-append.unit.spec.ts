import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from '#lx/canonical-json';
import type { EventTypeRegistry } from './event-type-registry.js';
import { contentDigest } from './hash-chain.js';
import { prepareAppend } from './prepare-append.js';

/** Any data goes: the registry validates nothing, so that non-JSON values reach the digest. */
const anything: EventTypeRegistry = {
  describe: (type) =>
    type === 'Anything'
      ? { type, schemaVersion: 3, categories: [], validate: (data) => ({ ok: true, value: data }) }
      : undefined,
};

/*
 * prepareAppend hashes plain JSON data from the canonical text it also stores (one
 * serialisation); the digest must stay contentDigest of the event, byte for byte, on both paths.
 */
describe('prepareAppend: digests and stored texts', () => {
  const datas: [string, unknown][] = [
    ['plain, keys unsorted', { z: 1, a: [1, 'two', { y: null, b: true }], m: 'é"\\\n' }],
    ['a Date member (JSON.stringify writes a string, the digest hashes {})', { at: new Date(0), n: 1 }],
    ['a function member', { f: () => 1, n: 1 }],
    ['an array with a hole', [1, , 2]], // eslint-disable-line no-sparse-arrays
    ['a string', 'just text'],
    ['a number', 42],
    ['null', null],
  ];

  it.each(datas)('%s', (_, data) => {
    const [event] = prepareAppend(
      'things-1',
      [
        {
          type: 'Anything',
          id: '2F1B2C8E-0000-4000-8000-00000000000A',
          data,
          metadata: { occurredAt: '2026-12-05T00:00:00.000Z', causationId: 'c', actor: 'a' },
        },
      ],
      { registry: anything },
    );
    expect(event!.id).toBe('2f1b2c8e-0000-4000-8000-00000000000a');
    expect(event!.digest).toBe(
      contentDigest({
        id: event!.id,
        type: 'Anything',
        streamName: 'things-1',
        data,
        metadata: event!.metadata,
      }),
    );
    // What is stored is JSON.stringify's value (a JSON column orders keys itself).
    expect(canonicalJson(JSON.parse(event!.dataJson))).toBe(canonicalJson(JSON.parse(JSON.stringify(data))));
    expect(canonicalJson(JSON.parse(event!.metadataJson))).toBe(
      canonicalJson(JSON.parse(JSON.stringify(event!.metadata))),
    );
  });

  it('generates lower-case ids, and correlates an event with its own id by default', () => {
    const events = prepareAppend('things-1', [{ type: 'Anything', data: { n: 1 } }], { registry: anything });
    expect(events[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(events[0]!.metadata.correlationId).toBe(events[0]!.id);
    expect(events[0]!.digest).toBe(contentDigest({ ...events[0]!, streamName: 'things-1' }));
  });
});
