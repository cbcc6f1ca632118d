/**
 * Keys whose secret failed the scrypt check lately, by fingerprint: presented again, they are
 * refused without hashing. Shared by every instance, and forgotten after a short while.
 */
export interface RefusedKeys {
  isRefused(fingerprint: string): Promise<boolean>;
  remember(fingerprint: string): Promise<void>;
}

export const REFUSED_KEYS = Symbol('REFUSED_KEYS');
