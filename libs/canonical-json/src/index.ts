/*
 * The one canonical JSON of the exchange: what the hash chain hashes, what the engine's output
 * digests hash, and what the idempotency fingerprint of a request body is made of. Pure, with no
 * dependency, so the engine's domain and the event store can share it.
 */

/**
 * JSON with object keys sorted at every depth, so that a value and its round trip through a
 * JSON column (which may reorder keys) serialise to the same text.
 *
 * Written as one recursive pass appending to a string (no intermediate arrays of entries), as it
 * runs for every event that is appended, verified or replayed: the text is exactly what
 * `JSON.stringify` of each leaf, keys in code-unit order, undefined members left out, gives.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      // JSON.stringify of a finite number is its ToString; NaN and ±Infinity become null.
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          // A hole stays empty, as `value.map(...).join(',')` leaves it.
          if (i in value) out += canonicalJson(value[i]);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(key)}:${canonicalJson(item)}`;
      }
      return `${out}}`;
    }
    default: {
      const text = JSON.stringify(value);
      return text === undefined ? 'null' : text;
    }
  }
}
