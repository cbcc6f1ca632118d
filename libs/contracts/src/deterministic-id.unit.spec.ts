import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { deterministicUuid, uuidFromName } from './deterministic-id.js';

describe('deterministic ids', () => {
  it('lays the SHA-256 of the name out as a UUID of the given version, RFC 4122 variant', () => {
    const hex = createHash('sha256').update('lx:settlement:SettlementFinalized:a-1').digest('hex');
    const id = uuidFromName('lx:settlement:SettlementFinalized:a-1', '5');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id.replaceAll('-', '').slice(0, 12)).toBe(hex.slice(0, 12));
    expect(id.slice(-12)).toBe(hex.slice(20, 32));
  });

  it('derives version-8 ids from parts joined by U+001F, numbers as text', () => {
    expect(deterministicUuid('lead', 'b-1', 7)).toBe(uuidFromName('lead\u001fb-1\u001f7', '8'));
    expect(deterministicUuid('lead', 'b-1', 7)).not.toBe(deterministicUuid('lead', 'b-17'));
  });
});
