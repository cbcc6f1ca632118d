/** Where wrapped data keys live: outside the log, so that deleting one erases the data it sealed. */
export interface DataKeyStore {
  /** Stores the keys that are not stored yet; an existing key is never replaced. */
  insertMissing(keys: readonly { keyId: string; wrapped: Buffer; masterKeyId: string }[]): Promise<void>;
  find(keyIds: readonly string[]): Promise<Map<string, { wrapped: Buffer; masterKeyId: string }>>;
  /** Returns the ids that existed and are now gone. */
  delete(keyIds: readonly string[]): Promise<string[]>;
}
