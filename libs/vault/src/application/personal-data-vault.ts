import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataKeyStore } from './data-key-store.port.js';
import type { KeyManagementService } from './key-management.port.js';

/** The ciphertext of one lead's personal data, as `LeadListed.personalData` carries it. */
export interface SealedEnvelope {
  algorithm: 'AES-256-GCM';
  keyId: string;
  iv: string;
  ciphertext: string;
  tag: string;
}

/** A data key ready to seal with; its plaintext lives only in memory. */
export interface DataKey {
  keyId: string;
  key: Buffer;
}

/**
 * Envelope encryption of personal data: one AES-256-GCM data key per lead, wrapped by the KMS
 * master key and stored outside the log. `erase` deletes the key: every copy of the ciphertext,
 * in the log, its backups and its replays, becomes unreadable (crypto-shredding).
 */
export class PersonalDataVault {
  constructor(
    private readonly kms: KeyManagementService,
    private readonly keys: DataKeyStore,
  ) {}

  /**
   * Returns a data key for each id, creating the ones that do not exist yet. Idempotent: a retry
   * gets the keys stored the first time, so ciphertext sealed before a crash stays readable.
   */
  async obtainKeys(keyIds: readonly string[]): Promise<Map<string, DataKey>> {
    if (keyIds.length === 0) return new Map();
    const unique = [...new Set(keyIds)];
    // One draw of randomness for the whole batch, each key its own 32 bytes of it.
    const random = randomBytes(32 * unique.length);
    const fresh = unique.map((keyId, index) => ({
      keyId,
      key: random.subarray(32 * index, 32 * (index + 1)),
    }));
    const wrapped = await Promise.all(
      fresh.map(async ({ keyId, key }) => ({ keyId, ...(await this.kms.wrap(key, keyId)) })),
    );
    // The keys this call stored are the fresh ones it holds in the clear; only the others (stored
    // by an earlier attempt) are read back and unwrapped.
    const inserted = new Set(await this.keys.insertMissing(wrapped));
    const result = new Map<string, DataKey>();
    const existing = fresh.filter(({ keyId }) => !inserted.has(keyId));
    const stored = existing.length > 0 ? await this.keys.find(existing.map(({ keyId }) => keyId)) : new Map();
    for (const { keyId, key } of fresh) {
      if (inserted.has(keyId)) {
        result.set(keyId, { keyId, key });
        continue;
      }
      const found = stored.get(keyId);
      if (!found) throw new Error(`data key ${keyId} was erased while it was being created`);
      result.set(keyId, { keyId, key: await this.kms.unwrap(found, keyId) });
    }
    return result;
  }

  /**
   * Seals more data of an existing key's owner (free text about a lead) without creating a key:
   * once the key is erased, the data is sealed under a key thrown away at once, so it reads as
   * erased like everything else of the lead.
   */
  async sealUnder(keyId: string, personalData: unknown): Promise<SealedEnvelope> {
    const found = (await this.keys.find([keyId])).get(keyId);
    const key = found ? await this.kms.unwrap(found, keyId) : randomBytes(32);
    return this.seal({ keyId, key }, personalData);
  }

  seal(dataKey: DataKey, personalData: unknown): SealedEnvelope {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', dataKey.key, iv);
    // The key id is bound as associated data: an envelope cannot be re-labelled to another key.
    cipher.setAAD(Buffer.from(dataKey.keyId));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(personalData), 'utf8'), cipher.final()]);
    return {
      algorithm: 'AES-256-GCM',
      keyId: dataKey.keyId,
      iv: iv.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
  }

  /** Opens envelopes; an envelope whose key was erased opens as `null`. */
  async openMany<T = unknown>(envelopes: readonly SealedEnvelope[]): Promise<(T | null)[]> {
    const stored = await this.keys.find([...new Set(envelopes.map((envelope) => envelope.keyId))]);
    const unwrapped = new Map<string, Buffer>();
    for (const [keyId, wrapped] of stored) unwrapped.set(keyId, await this.kms.unwrap(wrapped, keyId));
    return envelopes.map((envelope) => {
      const key = unwrapped.get(envelope.keyId);
      return key ? (openWith<T>(key, envelope) as T) : null;
    });
  }

  async open<T = unknown>(envelope: SealedEnvelope): Promise<T | null> {
    return (await this.openMany<T>([envelope]))[0] ?? null;
  }

  /**
   * After a master key rotation: re-wraps every data key not yet under the current master key
   * (or in an earlier wrapped form), a page at a time. Safe to run while the apps run and to run
   * again; a key erased meanwhile stays erased. Once it reports nothing left, the earlier master
   * keys can be dropped from the configuration.
   */
  async rewrapAll(pageSize = 500): Promise<{ checked: number; rewrapped: number }> {
    let after: string | null = null;
    let checked = 0;
    let rewrapped = 0;
    for (;;) {
      const page = await this.keys.page(after, pageSize);
      if (page.length === 0) return { checked, rewrapped };
      for (const stored of page) {
        checked++;
        if (this.kms.isCurrent(stored)) continue;
        const next = await this.kms.wrap(await this.kms.unwrap(stored, stored.keyId), stored.keyId);
        if (await this.keys.replaceWrapped(stored.keyId, stored.wrapped, next)) rewrapped++;
      }
      after = page.at(-1)!.keyId;
    }
  }

  /** Destroys the keys; returns the ids that existed. */
  erase(keyIds: readonly string[]): Promise<string[]> {
    return this.keys.delete(keyIds);
  }
}

function openWith<T>(key: Buffer, envelope: SealedEnvelope): T {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
  decipher.setAAD(Buffer.from(envelope.keyId));
  decipher.setAuthTag(Buffer.from(envelope.tag, 'base64'));
  const plaintext = Buffer.concat([
    decipher.update(Buffer.from(envelope.ciphertext, 'base64')),
    decipher.final(),
  ]);
  return JSON.parse(plaintext.toString('utf8')) as T;
}
