import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { KeyManagementService } from '../application/key-management.port.js';

/**
 * A KMS stand-in holding one master key from the environment: wraps data keys with AES-256-GCM.
 * Wrapped form: iv (12) | tag (16) | ciphertext (32).
 */
export class EnvironmentMasterKey implements KeyManagementService {
  readonly masterKeyId: string;
  private readonly masterKey: Buffer;

  constructor(masterKeyBase64: string) {
    this.masterKey = Buffer.from(masterKeyBase64, 'base64');
    if (this.masterKey.length !== 32) throw new RangeError('the vault master key must be 32 bytes');
    // Identifies the key without revealing it.
    this.masterKeyId = `env:${createHash('sha256').update(this.masterKey).digest('hex').slice(0, 16)}`;
  }

  async wrap(dataKey: Buffer): Promise<Buffer> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
  }

  async unwrap(wrapped: Buffer): Promise<Buffer> {
    const decipher = createDecipheriv('aes-256-gcm', this.masterKey, wrapped.subarray(0, 12));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
  }
}
