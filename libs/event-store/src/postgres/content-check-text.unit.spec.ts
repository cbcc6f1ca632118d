import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson } from '#lx/canonical-json';
import { canonicalJsonFromText, canonicalJsonOfText } from './content-check-text.js';

/*
 * canonicalJsonOfText must write exactly canonicalJson(JSON.parse(text)) whenever it answers:
 * every verified event's hash depends on that text byte for byte.
 */

/** What the hash chain hashes for a JSON column's text: the canonical JSON of what it parses to. */
const expected = (text: string) => canonicalJson(JSON.parse(text));

/** A small seeded generator for the writer's choices (mulberry32). */
function choices(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The same JSON value written another way: keys in PostgreSQL's jsonb order (shorter first) or
 * shuffled, whitespace between tokens, numbers in other spellings of the same double.
 */
function rewrite(value: unknown, random: () => number): string {
  const space = () => [' ', '', '\n  ', '\t', '\r\n'][Math.floor(random() * 5)]!;
  if (Array.isArray(value))
    return `[${space()}${value.map((item) => rewrite(item, random)).join(`${space()},${space()}`)}${space()}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    if (random() < 0.5) keys.sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
    else keys.sort(() => random() - 0.5);
    const members = keys.map(
      (key) =>
        `${JSON.stringify(key)}${space()}:${space()}${rewrite((value as Record<string, unknown>)[key], random)}`,
    );
    return `{${space()}${members.join(`,${space()}`)}${space()}}`;
  }
  if (typeof value === 'number' && Number.isFinite(value)) {
    const forms = [
      String(value),
      value.toExponential(),
      `${value}`.includes('.') ? `${value}0` : `${value}.0`,
    ];
    if (Number.isInteger(value) && Math.abs(value) < 1e15) forms.push(`${value}e0`, `${value * 10}E-1`);
    const form = forms[Math.floor(random() * forms.length)]!;
    return Number(form) === value ? form : String(value);
  }
  return JSON.stringify(value);
}

describe('canonicalJsonOfText writes what parsing and canonicalJson write', () => {
  const texts: [string, string][] = [
    [
      'jsonb output of an event',
      '{"at": "2030-03-01T00:00:00.000Z", "rule": "x", "price": 90000, "bids": [{"b": 1, "a": 2.5}], "n": null, "t": true, "f": false}',
    ],
    ['empty object and array', '{"a": {}, "b": [], "c": [{}, []]}'],
    [
      'numbers in every spelling',
      '[0, -0, -0.0, 1.0, 1.50, 1E2, 1e+2, 100e-2, 1e21, 1e-7, 123456789012345678, 999999999999999, 1e400, -1e400, 5e-324, 0.1]',
    ],
    [
      'integers at the fast path bound',
      '[123456789012345, 1234567890123456, -123456789012345, 9007199254740993]',
    ],
    ['numeric-like keys ("10" before "9")', '{"9": 1, "10": 2, "1": 3, "b": 4, "a": 5, "-1": 6, "01": 7}'],
    ['__proto__ as a key', '{"z": 1, "__proto__": {"x": 1}, "a": 2}'],
    ['unicode keys and values', '{"é": "Ж", "e": "€", "я": "ß", "\u2028": "\u2029", "": ""}'],
    ['an emoji (left to parsing)', '{"a": "😀"}'],
    ['escapes (left to parsing)', '{"a\\"b": "x\\n\\t\\u0000\\\\", "c": "\\u00e9"}'],
    ['a duplicate key (left to parsing: the last wins)', '{"a": 1, "b": 2, "a": 3}'],
    ['top-level scalars', '"text"'],
    ['whitespace around', ' \n\t{"a" : [ 1 , 2 ] }\r\n '],
    ['deep nesting', `${'['.repeat(300)}1${']'.repeat(300)}`],
  ];

  it.each(texts)('%s', (_, text) => {
    expect(canonicalJsonFromText(text)).toBe(expected(text));
    const fast = canonicalJsonOfText(text);
    if (fast !== undefined) expect(fast).toBe(expected(text));
  });

  it('answers for the common case (no escapes, no duplicates)', () => {
    expect(canonicalJsonOfText('{"b": [1, 2.50, "x"], "a": {"d": null, "c": true}}')).toBe(
      '{"a":{"c":true,"d":null},"b":[1,2.5,"x"]}',
    );
  });

  it.each([
    '',
    '{',
    '[1,]',
    '{"a":1,}',
    '{"a" 1}',
    'tru',
    '1 2',
    '01',
    '-',
    '1.',
    '.5',
    '"a',
    '{"a":1}}',
    '[1 2]',
    "'a'",
    'NaN',
    '"\u0001"',
  ])('is no judge of invalid JSON %j: it leaves it to JSON.parse, which throws', (text) => {
    expect(canonicalJsonOfText(text)).toBeUndefined();
    expect(() => canonicalJsonFromText(text)).toThrow(SyntaxError);
  });

  it('over random JSON values, written in many ways', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        const random = choices(seed);
        for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2), rewrite(value, random)]) {
          const fast = canonicalJsonOfText(text);
          if (fast !== undefined) expect(fast).toBe(expected(text));
          expect(canonicalJsonFromText(text)).toBe(expected(text));
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('over random strings with every kind of character', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' })), (value) => {
        const text = JSON.stringify(value);
        const fast = canonicalJsonOfText(text);
        if (fast !== undefined) expect(fast).toBe(expected(text));
        expect(canonicalJsonFromText(text)).toBe(expected(text));
      }),
      { numRuns: 3000 },
    );
  });
});
