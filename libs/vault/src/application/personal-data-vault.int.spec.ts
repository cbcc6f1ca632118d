import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { createPersonalDataVault } from '../infrastructure/create-vault.js';

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase('vault_rotation');
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

describe('rotating the vault master key', () => {
  it('re-wraps every data key under the new master key; then the old one can go, and erased keys stay erased', async () => {
    const [oldKey, newKey] = [randomBytes(32).toString('base64'), randomBytes(32).toString('base64')];
    const before = await createPersonalDataVault(pool, { current: oldKey, previous: [] });
    const leadIds = Array.from({ length: 7 }, (_, n) => `lead-${n}`);
    const keys = await before.obtainKeys(leadIds);
    const envelopes = leadIds.map((leadId) =>
      before.seal(keys.get(leadId)!, { phone: `+7900000000${leadId.at(-1)}` }),
    );
    await before.erase(['lead-6']);

    const rotated = await createPersonalDataVault(pool, { current: newKey, previous: [oldKey] });
    // Before the re-wrap, both master keys are needed.
    expect(await rotated.open(envelopes[0]!)).toEqual({ phone: '+79000000000' });
    expect(await rotated.rewrapAll(3)).toEqual({ checked: 6, rewrapped: 6 });
    expect(await rotated.rewrapAll(3)).toEqual({ checked: 6, rewrapped: 0 });

    const newOnly = await createPersonalDataVault(pool, { current: newKey, previous: [] });
    expect(await newOnly.openMany(envelopes)).toEqual([
      ...leadIds.slice(0, 6).map((leadId) => ({ phone: `+7900000000${leadId.at(-1)}` })),
      null,
    ]);
    const oldOnly = await createPersonalDataVault(pool, { current: oldKey, previous: [] });
    await expect(oldOnly.open(envelopes[0]!)).rejects.toThrow(/neither LX_VAULT_MASTER_KEY/);
  });
});

describe('obtaining data keys', () => {
  it('creates the missing keys and returns the stored ones unchanged, in one call holding both', async () => {
    const vault = await createPersonalDataVault(pool, {
      current: randomBytes(32).toString('base64'),
      previous: [],
    });
    const first = await vault.obtainKeys(['obtain-a', 'obtain-b']);
    const sealed = vault.seal(first.get('obtain-a')!, { email: 'a@example.org' });
    const second = await vault.obtainKeys(['obtain-c', 'obtain-a', 'obtain-b', 'obtain-c']);
    expect([...second.keys()].sort()).toEqual(['obtain-a', 'obtain-b', 'obtain-c']);
    expect(second.get('obtain-a')!.key.equals(first.get('obtain-a')!.key)).toBe(true);
    expect(second.get('obtain-b')!.key.equals(first.get('obtain-b')!.key)).toBe(true);
    expect(second.get('obtain-c')!.key.equals(second.get('obtain-a')!.key)).toBe(false);
    const third = await vault.obtainKeys(['obtain-c']);
    expect(third.get('obtain-c')!.key.equals(second.get('obtain-c')!.key)).toBe(true);
    expect(await vault.open(sealed)).toEqual({ email: 'a@example.org' });
  });
});
