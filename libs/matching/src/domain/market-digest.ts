import { createHash } from 'node:crypto';
import type { MarketOutput } from './market-model.js';

/**
 * SHA-256 over the outputs in order, each in canonical JSON (keys sorted), so that outputs read
 * back from a store that reorders keys (PostgreSQL jsonb) digest the same as freshly computed ones.
 */
export function digestOutputs(outputs: Iterable<MarketOutput>): string {
  const hash = createHash('sha256');
  for (const output of outputs) hash.update(canonicalJson(output)).update('\n');
  return hash.digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
