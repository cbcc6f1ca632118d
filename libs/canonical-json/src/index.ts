/*
 * The one canonical JSON of the exchange: what the hash chain hashes, what the engine's output
 * digests hash, and what the idempotency fingerprint of a request body is made of. Pure, with no
 * dependency, so the engine's domain and the event store can share it.
 *
 * Every stored event's hash depends on this text byte for byte: any change to what it writes
 * breaks the verification of existing chains. canonical-json.equivalence.unit.spec.ts compares it
 * with the obvious recursive version over edge cases and many thousands of random values, and
 * bench/canonical-json.bench.ts measures it against the previous implementation.
 */

/**
 * JSON with object keys sorted at every depth, so that a value and its round trip through a
 * JSON column (which may reorder keys) serialise to the same text.
 *
 * The text is exactly what `JSON.stringify` of each leaf, keys in code-unit order, undefined
 * members left out, gives. Unlike `JSON.stringify`: `toJSON` is not called (a `Date` is `{}`),
 * a function or symbol member is written as `null` rather than left out, and an array hole is
 * written as nothing (`[1,,2]`) — kept as they were, since changing them would change hashes.
 */
export function canonicalJson(value: unknown): string {
  return append('', value);
}

/**
 * The canonical JSON of `value` when it is plain JSON data, else null. Plain: strings, finite or
 * not numbers, booleans, null, arrays without holes, and objects without a `toJSON` method (a
 * `Date` has one) that are not boxed primitives, whose members are plain or undefined. For such a
 * value the text is exactly `canonicalJson(value)`, and it denotes the same JSON value as
 * `JSON.stringify(value)` (only the order of keys may differ), so a writer may store it in place
 * of JSON.stringify's text and serialise the value once. For anything else the two differ (a
 * `Date` is `{}` here, a function member `null`, a hole nothing), and the caller keeps both.
 */
export function plainCanonicalJson(value: unknown): string | null {
  return appendPlain('', value);
}

/**
 * The characters `JSON.stringify` escapes in a string: controls below U+0020, `"`, `\` and lone
 * surrogates (well-formed JSON.stringify, ES2019). Without the `u` flag the class matches single
 * UTF-16 code units, so it matches every surrogate, paired or not; a string with a paired
 * surrogate (an emoji) therefore takes the JSON.stringify path too, which is correct, only slower.
 * A string with none of these is written by `JSON.stringify` as itself between quotes (U+2028,
 * U+2029 and DEL are not escaped), which is what the fast paths below write.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/**
 * Objects with at most this many keys are sorted by insertion sort (no comparator calls, no
 * allocation, linear when the keys are already in order, as they are when an event is written in
 * canonical order or read back for a second time); larger ones use `Array.prototype.sort`, so that
 * a huge unsorted object (an idempotency fingerprint of a client's body) cannot cost n².
 */
const INSERTION_SORT_MAX = 32;

/**
 * Returns `out` followed by the canonical JSON of `value`. Threading the text through as an
 * argument (rather than each level returning its own string for the caller to concatenate, as the
 * previous version did) appends each piece once to one growing string, and keeps the function
 * pure and re-entrant (no module-level buffer).
 */
function append(out: string, value: unknown): string {
  switch (typeof value) {
    case 'string':
      return out + (NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`);
    case 'number':
      // JSON.stringify of a finite number is its ToString (-0 → "0", 1e21 → "1e+21"); NaN and
      // ±Infinity become null.
      return out + (Number.isFinite(value) ? String(value) : 'null');
    case 'boolean':
      return out + (value ? 'true' : 'false');
    case 'object': {
      if (value === null) return `${out}null`;
      if (Array.isArray(value)) {
        out += '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const item: unknown = value[i];
          // A hole stays empty (as the first version's `value.map(...).join(',')` left it); a
          // present undefined is `null`. `in` is only asked when the item reads as undefined.
          if (item !== undefined || i in value) out = append(out, item);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = sortKeys(Object.keys(record));
      // The separator before the next member: '{' until one is written, ',' after.
      let separator = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const item = record[key];
        if (item === undefined) continue;
        out += NEEDS_ESCAPE.test(key) ? `${separator}${JSON.stringify(key)}:` : `${separator}"${key}":`;
        separator = ',';
        out = append(out, item);
      }
      return out + (separator === '{' ? '{}' : '}');
    }
    default: {
      // undefined, functions and symbols: JSON.stringify gives undefined, written as null;
      // a bigint throws, as JSON.stringify does.
      const text = JSON.stringify(value);
      return out + (text === undefined ? 'null' : text);
    }
  }
}

/** `append` for plain JSON data (see `plainCanonicalJson`): null as soon as a part is not plain. */
function appendPlain(out: string, value: unknown): string | null {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return append(out, value);
    case 'object': {
      if (value === null) return `${out}null`;
      if (Array.isArray(value)) {
        let text: string | null = `${out}[`;
        for (let i = 0; i < value.length; i++) {
          if (i > 0) text += ',';
          const item: unknown = value[i];
          if (item === undefined) return null; // a hole, or undefined: JSON.stringify writes null, we would not
          text = appendPlain(text, item);
          if (text === null) return null;
        }
        return `${text}]`;
      }
      if (
        typeof (value as { toJSON?: unknown }).toJSON === 'function' ||
        value instanceof Number ||
        value instanceof String ||
        value instanceof Boolean
      )
        return null;
      const record = value as Record<string, unknown>;
      const keys = sortKeys(Object.keys(record));
      let text: string | null = out;
      let separator = '{';
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const item = record[key];
        if (item === undefined) continue;
        text += NEEDS_ESCAPE.test(key) ? `${separator}${JSON.stringify(key)}:` : `${separator}"${key}":`;
        separator = ',';
        text = appendPlain(text, item);
        if (text === null) return null;
      }
      return text + (separator === '{' ? '{}' : '}');
    }
    default:
      // undefined at the top, functions, symbols, bigints: not JSON data.
      return null;
  }
}

/**
 * Sorts `keys` in place in code-unit order, as `keys.sort()` does (the keys of one object are
 * distinct strings, so the order is total and any correct sort gives the same result).
 */
function sortKeys(keys: string[]): string[] {
  const count = keys.length;
  if (count > INSERTION_SORT_MAX) {
    for (let i = 1; i < count; i++) if (keys[i - 1]! > keys[i]!) return keys.sort();
    return keys;
  }
  for (let i = 1; i < count; i++) {
    const key = keys[i]!;
    let j = i - 1;
    if (keys[j]! < key) continue; // already after its predecessor: the common case
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}
