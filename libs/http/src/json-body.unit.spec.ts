import { describe, expect, it } from '@jest/globals';
import { jsonDepth, jsonReplacer, MAX_JSON_DEPTH, refuseDeepJson } from './json-body.js';
import { ProblemException } from './problem-details.js';

describe('JSON bodies', () => {
  it('measures nesting without counting brackets inside strings', () => {
    expect(jsonDepth('{"a":[1,{"b":2}]}')).toBe(3);
    expect(jsonDepth('{"a":"[[[[{{{{\\"]]]"}')).toBe(1);
    expect(jsonDepth('"x"')).toBe(0);
  });

  it('refuses a body nested deeper than the limit before it is parsed, and only that', () => {
    const nested = (levels: number) => Buffer.from('['.repeat(levels) + ']'.repeat(levels));
    expect(() => refuseDeepJson(null, null, nested(MAX_JSON_DEPTH))).not.toThrow();
    for (const levels of [MAX_JSON_DEPTH + 1, 100_000]) {
      let refused: unknown;
      try {
        refuseDeepJson(null, null, nested(levels));
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(ProblemException);
      expect((refused as ProblemException).code).toBe('body-too-deep');
    }
  });

  it('sends a bigint as a decimal string', () => {
    expect(JSON.stringify({ position: { commit: 2n ** 64n, prepare: 7n } }, jsonReplacer)).toBe(
      '{"position":{"commit":"18446744073709551616","prepare":"7"}}',
    );
  });
});
