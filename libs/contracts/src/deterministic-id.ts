import { hash } from 'node:crypto';

/*
 * UUID-shaped ids derived from a name by SHA-256: the same inputs give the same id on every
 * replay, retry and instance, so an append that is repeated is recognised by the store and
 * written once. One implementation for every library that writes such ids.
 */

/** The UUID of `name`, laid out as RFC 9562 `version` (5: name-based, 8: custom). */
export function uuidFromName(name: string, version: '5' | '8'): string {
  const hex = hash('sha256', name, 'hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${version}${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A version-8 UUID of its parts (joined by U+001F): lead, allocation and engine output ids. */
export function deterministicUuid(...parts: readonly (string | number)[]): string {
  return uuidFromName(parts.join('\u001f'), '8');
}
