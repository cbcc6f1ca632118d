import { describe, expect, it } from '@jest/globals';
import { canonicalJson, plainCanonicalJson } from './index.js';
import { seededRandom } from './testing/seeded-random.js';

/*
 * The optimised canonicalJson must write exactly what the obvious recursive version writes: every
 * stored event's hash chain depends on it byte for byte. `reference` below is that obvious
 * version, written for clarity, not speed.
 */

/**
 * Keys sorted with the default sort (code-unit order), leaves by JSON.stringify, undefined
 * members left out, undefined / functions / symbols in an array (or at the top) → null,
 * non-finite numbers → null. An array hole is written as nothing (`[1,,2]`): that is what
 * canonicalJson has always written (its first version was `value.map(...).join(',')`), so the
 * reference pins it; JSON.stringify would write null.
 */
function reference(value: unknown): string {
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (let i = 0; i < value.length; i++) parts.push(i in value ? reference(value[i]) : '');
    return `[${parts.join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${reference(record[key])}`);
    return `{${members.join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
  return JSON.stringify(value) ?? 'null';
}

/** An own enumerable member even for `__proto__` (plain assignment would set the prototype). */
function withMember(target: Record<string, unknown>, key: string, item: unknown): void {
  Object.defineProperty(target, key, { value: item, enumerable: true, writable: true, configurable: true });
}

// Code units a random string is made of: plain ASCII, every escape JSON.stringify makes, DEL,
// U+2028/2029 (not escaped by JSON.stringify), Latin-1 and Cyrillic, an astral pair's halves
// (which may end up paired or lone), and BMP characters beyond.
const UNITS = [
  ...'abcxyzABC019 _-./:@',
  '"',
  '\\',
  '\n',
  '\t',
  '\r',
  '\b',
  '\f',
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u2028',
  '\u2029',
  'é',
  'ß',
  'Ж',
  'я',
  '€',
  '\ud83d',
  '\ude00',
  '\udbff',
  '\udc00',
  '\uffff',
  '\ufeff',
];
const KEY_POOL = [
  'a',
  'b',
  'A',
  'Z',
  '_',
  '',
  '0',
  '1',
  '9',
  '10',
  '-1',
  '01',
  '1.5',
  '4294967295',
  '4294967294',
  '__proto__',
  'constructor',
  'toJSON',
  'leadId',
  'leadID',
  'lead_id',
  'é',
  'e',
  'Ж',
  '€',
  '😀',
  '\ud800',
  'a"b',
  'a\\b',
  'line\nbreak',
  '\u2028',
  'aa',
  'ab',
  'a ',
];

function randomString(random: () => number): string {
  const length = random() < 0.9 ? Math.floor(random() * 12) : Math.floor(random() * 400);
  let text = '';
  for (let i = 0; i < length; i++) text += UNITS[Math.floor(random() * UNITS.length)]!;
  return text;
}

function randomNumber(random: () => number): number {
  const special = [
    0,
    -0,
    1,
    -1,
    1e21,
    1e-7,
    5e-324,
    Number.MAX_SAFE_INTEGER,
    2 ** 53 + 2,
    1.7976931348623157e308,
  ];
  const pick = random();
  if (pick < 0.15) return special[Math.floor(random() * special.length)]!;
  if (pick < 0.2) return [Number.NaN, Infinity, -Infinity][Math.floor(random() * 3)]!;
  if (pick < 0.6) return Math.floor((random() - 0.5) * 2_000_000);
  return (random() - 0.5) * 10 ** Math.floor(random() * 40 - 20);
}

function randomKey(random: () => number): string {
  return random() < 0.7 ? KEY_POOL[Math.floor(random() * KEY_POOL.length)]! : randomString(random);
}

/**
 * A random value: mostly JSON, with undefined members and array items, non-finite numbers and
 * (when `holes`) array holes. Objects get their keys in random insertion order, some of them
 * already sorted, some with more keys than the insertion-sort limit.
 */
function randomValue(random: () => number, depth: number, holes: boolean): unknown {
  const pick = random();
  if (depth <= 0 || pick < 0.45) {
    const leaf = random();
    if (leaf < 0.35) return randomString(random);
    if (leaf < 0.7) return randomNumber(random);
    if (leaf < 0.8) return random() < 0.5;
    if (leaf < 0.9) return null;
    return undefined;
  }
  if (pick < 0.7) {
    const length = Math.floor(random() * 5);
    const array: unknown[] = [];
    for (let i = 0; i < length; i++) array.push(randomValue(random, depth - 1, holes));
    if (holes && random() < 0.2) array[length + 1] = randomValue(random, depth - 1, holes);
    return array;
  }
  // A big object's members are leaves, so that the values stay small.
  const big = random() < 0.05;
  const size = big ? 33 + Math.floor(random() * 40) : Math.floor(random() * 8);
  const keys: string[] = [];
  for (let i = 0; i < size; i++) keys.push(randomKey(random));
  if (random() < 0.3) keys.sort();
  const record: Record<string, unknown> = {};
  for (const key of keys) withMember(record, key, randomValue(random, big ? 0 : depth - 1, holes));
  return record;
}

/** Edge cases both specs below go through. */
const cases: [string, unknown][] = [
  ['empty object', {}],
  ['empty array', []],
  ['nested empties', { a: [], b: {}, c: [[], [{}], [[[]]]] }],
  ['only undefined members', { a: undefined, b: undefined }],
  ['undefined member among others', { b: 1, a: undefined, c: 2 }],
  ['undefined, functions and symbols in an array', [undefined, () => 1, Symbol('s'), 1]],
  ['a function and a symbol member', { f: () => 1, s: Symbol('s'), n: 1 }],
  ['top-level undefined', undefined],
  ['top-level function', () => 1],
  ['array holes', [1, , 2, , , 3]], // eslint-disable-line no-sparse-arrays
  ['trailing hole', Object.assign([1, 2], { length: 3 })],
  ['numeric-like keys "10" vs "9"', { 9: 'nine', 10: 'ten', 1: 'one', b: 'b', a: 'a', '-1': 'minus' }],
  ['array index bound keys', { 4294967295: 'x', 4294967294: 'y', 2: 'z' }],
  ['__proto__ as an own key', JSON.parse('{"z":1,"__proto__":{"x":1},"a":2}')],
  ['upper case before lower case', { b: 1, B: 2, a: 3, A: 4, _: 5 }],
  ['prefixes', { ab: 1, a: 2, abc: 3, '': 4 }],
  ['unicode keys in code-unit order', { é: 1, e: 2, Ж: 3, '😀': 4, '\uffff': 5, '€': 6 }],
  ['escapes', '"\\\n\t\r\b\f\u0000\u001f\u007f'],
  ['U+2028 and U+2029 (not escaped)', '\u2028\u2029'],
  ['lone surrogates', ['\ud800', '\udfff', 'a\ud83d', '\ude00b', '\udc00\ud800']],
  ['paired surrogates', '😀 emoji 𝄞'],
  ['keys needing escapes', { 'a"b': 1, 'a\\b': 2, 'a\nb': 3, '\ud800': 4, '\u2028': 5 }],
  ['-0', [-0, { z: -0 }]],
  [
    'large and small numbers',
    [1e21, 1e-7, 1e-6, 123456789012345680000, 5e-324, 1.7976931348623157e308, 0.1 + 0.2],
  ],
  ['non-finite numbers', { a: Number.NaN, b: Infinity, c: -Infinity, d: [Number.NaN, Infinity] }],
  ['booleans and null', [true, false, null, { t: true, f: false, n: null }]],
  ['very long string', 'x'.repeat(1_000_000)],
  ['very long string with an escape at the end', `${'y'.repeat(200_000)}"`],
  ['deep nesting', Array.from({ length: 200 }).reduce<unknown>((inner) => ({ next: [inner, 'x'], n: 1 }), 1)],
  ['a Date (no toJSON: an object with no own keys)', { at: new Date(0) }],
  [
    'an object with more keys than the insertion sort takes',
    Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${99 - i}`, i])),
  ],
  [
    'an event as the hash chain writes it',
    {
      id: '2f1b2c8e-0000-4000-8000-000000000001',
      type: 'LeadAllocated',
      stream: 'market-insurance',
      data: { price: 12.5, leadId: 'l-1', competingBids: [{ orderId: 'o-1', effectiveBid: 10 }] },
      metadata: { correlationId: 'c-1', actor: { kind: 'system' } },
    },
  ],
];

describe('canonicalJson writes what the obvious recursive version writes', () => {
  it.each(cases)('%s', (_, value) => {
    expect(canonicalJson(value)).toBe(reference(value));
  });

  it('keeps array holes empty, as it always has', () => {
    expect(canonicalJson([1, , 2])).toBe('[1,,2]'); // eslint-disable-line no-sparse-arrays
  });

  it('orders numeric-like keys as strings ("10" before "9")', () => {
    expect(canonicalJson({ 9: 0, 10: 0 })).toBe('{"10":0,"9":0}');
  });

  it('throws on a bigint, as JSON.stringify does', () => {
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });

  it('over 20 000 random values, with undefined members, non-finite numbers and holes', () => {
    const random = seededRandom(20240611);
    for (let i = 0; i < 20_000; i++) {
      const value = randomValue(random, 1 + (i % 6), true);
      const expected = reference(value);
      const actual = canonicalJson(value);
      if (actual !== expected) expect({ case: i, actual }).toEqual({ case: i, actual: expected });
    }
  });

  it('over 5 000 random JSON values: parsing the text and writing it again gives the same text', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 5_000; i++) {
      const value = randomValue(random, 1 + (i % 6), false);
      const text = canonicalJson(value);
      expect(text).toBe(reference(value));
      // A JSON column hands back the same value with its keys in another order.
      expect(canonicalJson(JSON.parse(text))).toBe(text);
    }
  });
});

describe('plainCanonicalJson: canonicalJson of plain JSON data, null for anything else', () => {
  /** Plain in the sense of plainCanonicalJson: what JSON.stringify and canonicalJson write alike. */
  function isPlain(value: unknown): boolean {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return true;
    if (value === null) return true;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) if (value[i] === undefined || !isPlain(value[i])) return false;
      return true;
    }
    if (typeof value !== 'object') return false;
    if (
      value instanceof Date ||
      value instanceof Number ||
      value instanceof String ||
      value instanceof Boolean
    )
      return false;
    const record = value as Record<string, unknown>;
    return Object.keys(record).every((key) => record[key] === undefined || isPlain(record[key]));
  }

  it.each(cases)('%s', (_, value) => {
    const text = plainCanonicalJson(value);
    expect(text).toBe(isPlain(value) ? canonicalJson(value) : null);
  });

  it('is null for what JSON.stringify writes otherwise: toJSON, boxed primitives, functions, holes, undefined items', () => {
    for (const value of [
      { at: new Date(0) },
      { toJSON: () => 1 },
      [new Number(1)],
      { s: new String('s') },
      { b: new Boolean(false) },
      { f: () => 1 },
      { s: Symbol('s') },
      [1, , 2], // eslint-disable-line no-sparse-arrays
      [undefined],
      undefined,
      1n,
    ])
      expect(plainCanonicalJson(value)).toBeNull();
  });

  it('over 20 000 random values: canonicalJson when plain, and then the same JSON value as JSON.stringify', () => {
    const random = seededRandom(20261205);
    for (let i = 0; i < 20_000; i++) {
      const value = randomValue(random, 1 + (i % 6), i % 2 === 0);
      const text = plainCanonicalJson(value);
      const plain = isPlain(value);
      if ((text === null) === plain)
        expect({ case: i, plain, text }).toEqual({ case: i, plain: !plain, text });
      if (text === null) continue;
      expect(text).toBe(canonicalJson(value));
      // What a JSON column stores from either text is the same value (keys aside, which it orders).
      expect(canonicalJson(JSON.parse(text))).toBe(canonicalJson(JSON.parse(JSON.stringify(value))));
    }
  });
});
