import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { KeyManagementService, WrappedDataKey } from '../application/key-management.port.js';

/** Wrapped form: version (1) | iv (12) | tag (16) | ciphertext (32), the ids bound as associated data. */
const BOUND = 0x02;
/** The first form (iv | tag | ciphertext, no associated data): still unwrapped, re-wrap replaces it. */
const UNBOUND_LENGTH = 60;

/**
 * A KMS stand-in holding the master keys from the environment (LX_VAULT_MASTER_KEY, and the
 * earlier LX_VAULT_PREVIOUS_MASTER_KEYS): wraps data keys with AES-256-GCM under the current one.
 * A master key is named by a digest of it (`env:<16 hex>`), which identifies it without revealing it.
 */
export class EnvironmentMasterKey implements KeyManagementService {
  readonly masterKeyId: string;
  private readonly masterKeys = new Map<string, Buffer>();

  constructor(currentBase64: string, previousBase64: readonly string[] = []) {
    this.masterKeyId = this.hold(currentBase64);
    for (const previous of previousBase64) this.hold(previous);
  }

  async wrap(dataKey: Buffer, dataKeyId: string): Promise<WrappedDataKey> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.masterKeys.get(this.masterKeyId)!, iv);
    cipher.setAAD(associatedData(this.masterKeyId, dataKeyId));
    const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return {
      wrapped: Buffer.concat([Buffer.of(BOUND), iv, cipher.getAuthTag(), ciphertext]),
      masterKeyId: this.masterKeyId,
    };
  }

  async unwrap({ wrapped, masterKeyId }: WrappedDataKey, dataKeyId: string): Promise<Buffer> {
    const masterKey = this.masterKeys.get(masterKeyId);
    if (!masterKey)
      throw new Error(
        `data key ${dataKeyId} is wrapped under master key ${masterKeyId}, which is neither LX_VAULT_MASTER_KEY nor in LX_VAULT_PREVIOUS_MASTER_KEYS`,
      );
    const bound = wrapped.length !== UNBOUND_LENGTH;
    if (bound && wrapped[0] !== BOUND) throw new Error(`data key ${dataKeyId}: unknown wrapped form`);
    const body = bound ? wrapped.subarray(1) : wrapped;
    const decipher = createDecipheriv('aes-256-gcm', masterKey, body.subarray(0, 12));
    if (bound) decipher.setAAD(associatedData(masterKeyId, dataKeyId));
    decipher.setAuthTag(body.subarray(12, 28));
    return Buffer.concat([decipher.update(body.subarray(28)), decipher.final()]);
  }

  isCurrent({ wrapped, masterKeyId }: WrappedDataKey): boolean {
    return masterKeyId === this.masterKeyId && wrapped.length !== UNBOUND_LENGTH;
  }

  private hold(base64: string): string {
    const key = Buffer.from(base64, 'base64');
    if (key.length !== 32) throw new RangeError('a vault master key must be 32 bytes');
    const id = `env:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
    this.masterKeys.set(id, key);
    return id;
  }
}

function associatedData(masterKeyId: string, dataKeyId: string): Buffer {
  return Buffer.from(`lx-vault-data-key\n${masterKeyId}\n${dataKeyId}`);
}
