import { describe, expect, it } from '@jest/globals';
import { createCipheriv, randomBytes } from 'node:crypto';
import { EnvironmentMasterKey } from './environment-master-key.js';

const masterKey = () => randomBytes(32).toString('base64');

describe('the environment master keys', () => {
  it('unwraps under the master key a wrapped key names, so the current key can change', async () => {
    const [old, current] = [masterKey(), masterKey()];
    const dataKey = randomBytes(32);
    const wrappedBefore = await new EnvironmentMasterKey(old).wrap(dataKey, 'lead-1');

    const rotated = new EnvironmentMasterKey(current, [old]);
    expect(rotated.masterKeyId).not.toBe(wrappedBefore.masterKeyId);
    expect(await rotated.unwrap(wrappedBefore, 'lead-1')).toEqual(dataKey);
    expect(rotated.isCurrent(wrappedBefore)).toBe(false);
    const wrappedAfter = await rotated.wrap(dataKey, 'lead-1');
    expect(wrappedAfter.masterKeyId).toBe(rotated.masterKeyId);
    expect(rotated.isCurrent(wrappedAfter)).toBe(true);
    expect(await new EnvironmentMasterKey(current).unwrap(wrappedAfter, 'lead-1')).toEqual(dataKey);
  });

  it('names a master key it does not hold instead of failing obscurely', async () => {
    const wrapped = await new EnvironmentMasterKey(masterKey()).wrap(randomBytes(32), 'lead-1');
    await expect(new EnvironmentMasterKey(masterKey()).unwrap(wrapped, 'lead-1')).rejects.toThrow(
      new RegExp(`wrapped under master key ${wrapped.masterKeyId}.*LX_VAULT_PREVIOUS_MASTER_KEYS`),
    );
  });

  it('binds the data key id: a wrapped key moved to another data key does not unwrap', async () => {
    const kms = new EnvironmentMasterKey(masterKey());
    const wrapped = await kms.wrap(randomBytes(32), 'lead-1');
    await expect(kms.unwrap(wrapped, 'lead-2')).rejects.toThrow();
  });

  it('still unwraps keys wrapped in the first form (no associated data), and marks them for re-wrapping', async () => {
    const base64 = masterKey();
    const dataKey = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(base64, 'base64'), iv);
    const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    const kms = new EnvironmentMasterKey(base64);
    const firstForm = {
      wrapped: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]),
      masterKeyId: kms.masterKeyId,
    };
    expect(await kms.unwrap(firstForm, 'lead-1')).toEqual(dataKey);
    expect(kms.isCurrent(firstForm)).toBe(false);
  });
});
