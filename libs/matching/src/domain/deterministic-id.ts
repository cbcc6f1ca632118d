import { hash } from 'node:crypto';

/**
 * A UUID-shaped id (version 8, "custom") derived from its parts by SHA-256: the same inputs give
 * the same id on every replay and on every engine instance, so outputs are idempotent to append.
 */
export function deterministicUuid(...parts: readonly string[]): string {
  // One-shot `hash` gives the same digest as createHash().update().digest(), at about half the cost.
  const hex = hash('sha256', parts.join('\u001f'), 'hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
