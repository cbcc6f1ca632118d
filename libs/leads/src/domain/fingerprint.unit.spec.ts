import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { KeyedFingerprint } from '#lx/contracts';
import { ContactFingerprinter } from './fingerprint.js';

const oldKey = 'old-fingerprint-key-0123456789abcdef0123';
const newKey = 'new-fingerprint-key-0123456789abcdef0123';

describe('versioned contact fingerprints', () => {
  it('keeps version 1 fingerprints as they were made before versions existed', () => {
    expect(new ContactFingerprinter(oldKey).phone('+79001234567')).toBe(
      createHmac('sha256', oldKey).update('phone:+79001234567').digest('hex'),
    );
  });

  it('records the key version in every later fingerprint, and the catalogue accepts both forms', () => {
    const rotated = new ContactFingerprinter(newKey, { version: 2, earlier: [{ version: 1, key: oldKey }] });
    const fingerprint = rotated.email('a@example.org');
    expect(fingerprint).toBe(
      `v2.${createHmac('sha256', newKey).update('email:a@example.org').digest('hex')}`,
    );
    expect(KeyedFingerprint.safeParse(fingerprint).success).toBe(true);
    expect(KeyedFingerprint.safeParse(new ContactFingerprinter(oldKey).email('a@example.org')).success).toBe(
      true,
    );
    expect(KeyedFingerprint.safeParse(`v0.${'a'.repeat(64)}`).success).toBe(false);
  });

  it('looks a contact up under every key held, the current one first', () => {
    const before = new ContactFingerprinter(oldKey);
    const rotated = new ContactFingerprinter(newKey, { version: 2, earlier: [{ version: 1, key: oldKey }] });
    expect(rotated.phones('+34600123456')).toEqual([
      rotated.phone('+34600123456'),
      before.phone('+34600123456'),
    ]);
    expect(rotated.emails('a@example.org')).toEqual([
      rotated.email('a@example.org'),
      before.email('a@example.org'),
    ]);
  });

  it('given the current fingerprint, looks a contact up under every key as phones() and emails() do', () => {
    const rotated = new ContactFingerprinter(newKey, { version: 2, earlier: [{ version: 1, key: oldKey }] });
    expect(rotated.phonesGiven(rotated.phone('+34600123456'), '+34600123456')).toEqual(
      rotated.phones('+34600123456'),
    );
    expect(rotated.emailsGiven(rotated.email('a@example.org'), 'a@example.org')).toEqual(
      rotated.emails('a@example.org'),
    );
  });
});
