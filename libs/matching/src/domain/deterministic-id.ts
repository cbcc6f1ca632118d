import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id (version 8, "custom") derived from its parts by SHA-256: the same inputs give
 * the same id on every replay and on every engine instance, so outputs are idempotent to append.
 */
export function deterministicUuid(...parts: readonly string[]): string {
  const hex = createHash('sha256').update(parts.join('\u001f')).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
