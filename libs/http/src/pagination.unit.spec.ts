import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeCursor, encodeCursor } from './pagination.js';
import { ProblemException } from './problem-details.js';

const positions = { c: 'position', p: 'position' } as const;
const refusal = (cursor: string, shape: Parameters<typeof decodeCursor>[1] = positions) => {
  try {
    decodeCursor(cursor, shape);
    return null;
  } catch (error) {
    return error instanceof ProblemException ? [error.getStatus(), error.code] : error;
  }
};
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the cursor codec', () => {
  it('gives back what it encoded', () => {
    expect(decodeCursor(encodeCursor({ c: '12', p: '9223372036854775807' }), positions)).toEqual({
      c: '12',
      p: '9223372036854775807',
    });
    const batches = { submittedAt: 'instant', batchId: 'uuid' } as const;
    const position = {
      submittedAt: '2026-03-01T12:00:00.123Z',
      batchId: '0b5e7f0e-1d6b-4c1e-9a57-1f9e2a3b4c5d',
    };
    expect(decodeCursor(encodeCursor(position), batches)).toEqual(position);
    expect(decodeCursor(undefined, positions)).toBeNull();
  });

  it('refuses a tampered cursor, one of another list, and values that would break a query', () => {
    for (const cursor of [
      b64({ c: 'abc', p: '1' }),
      b64({ c: '9223372036854775808', p: '1' }), // past bigint
      b64({ c: 1, p: 2 }),
      b64({ c: '1', p: '1', extra: '1' }),
      b64({ c: '1' }),
      b64({ r: '2026-01-01T00:00:00Z', a: '0b5e7f0e-1d6b-4c1e-9a57-1f9e2a3b4c5d' }),
      b64([]),
      b64(null),
      '!!!',
      `${b64({ c: '1', p: '1' })}\u0000`,
    ])
      expect(refusal(cursor)).toEqual([400, 'invalid-cursor']);
    expect(refusal(b64({ r: '2026-99-01T00:00:00Z', a: 'x' }), { r: 'instant', a: 'uuid' })).toEqual([
      400,
      'invalid-cursor',
    ]);
  });

  it('answers any string with a value or a 400, never another error', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map(b64)), (cursor) => {
        const outcome = refusal(cursor);
        expect(outcome === null || (Array.isArray(outcome) && outcome[0] === 400)).toBe(true);
      }),
      { seed: 18, numRuns: 500 },
    );
  });
});
