import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id derived from its inputs (RFC 9562 version 8 layout): verifying the same row of
 * the same batch again yields the same lead id and event ids, so a resumed worker's appends are
 * idempotent instead of listing a lead twice.
 */
export function deterministicUuid(...parts: readonly (string | number)[]): string {
  const hex = createHash('sha256').update(parts.join('\u001f')).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const leadIdFor = (batchId: string, line: number) => deterministicUuid('lead', batchId, line);
