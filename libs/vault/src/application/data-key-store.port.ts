import type { WrappedDataKey } from './key-management.port.js';

/** Where wrapped data keys live: outside the log, so that deleting one erases the data it sealed. */
export interface DataKeyStore {
  /** Stores the keys that are not stored yet (an existing key is never replaced); returns the ids it stored. */
  insertMissing(keys: readonly ({ keyId: string } & WrappedDataKey)[]): Promise<string[]>;
  find(keyIds: readonly string[]): Promise<Map<string, WrappedDataKey>>;
  /** Returns the ids that existed and are now gone. */
  delete(keyIds: readonly string[]): Promise<string[]>;
  /** Up to `limit` stored keys in key id order, after `afterKeyId` (null: from the first): for re-wrapping. */
  page(afterKeyId: string | null, limit: number): Promise<({ keyId: string } & WrappedDataKey)[]>;
  /**
   * Replaces a key's wrapping when it is still `expected`; false when the key was erased or
   * re-wrapped meanwhile (an erased key must never come back).
   */
  replaceWrapped(keyId: string, expected: Buffer, next: WrappedDataKey): Promise<boolean>;
}
