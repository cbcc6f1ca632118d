import { createHash } from 'node:crypto';

/**
 * A UUID derived from a name (`SettlementFinalized:<allocationId>`): a retried append resends the
 * same event id, which the store recognises and writes once.
 */
export function deterministicEventId(name: string): string {
  const hex = createHash('sha256').update(`lx:settlement:${name}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
