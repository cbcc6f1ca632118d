import { createHash } from 'node:crypto';
import { canonicalJson } from '#lx/canonical-json';
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
