import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from './index.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, so a reordered round trip reads the same', () => {
    const written = { b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } };
    const readBack = { a: { c: 'x', d: [3, { y: null, z: true }] }, b: 1 };
    expect(canonicalJson(written)).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
    expect(canonicalJson(readBack)).toBe(canonicalJson(written));
  });

  it('is JSON.stringify for every leaf: undefined members dropped, non-finite numbers null', () => {
    expect(canonicalJson({ a: undefined, b: 'é"\n', c: Number.NaN, d: -0, e: 1e21 })).toBe(
      `{"b":${JSON.stringify('é"\n')},"c":null,"d":0,"e":1e+21}`,
    );
    expect(canonicalJson([undefined, 1])).toBe(JSON.stringify([undefined, 1]));
    expect(canonicalJson(null)).toBe('null');
  });
});
