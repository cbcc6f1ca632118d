import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** A fingerprint key and its version (LX_FINGERPRINT_KEY_VERSION, LX_FINGERPRINT_PREVIOUS_KEYS). */
export interface FingerprintKey {
  version: number;
  key: string;
}

/**
 * Keyed fingerprints of contact points: two leads of one person compare equal without the
 * exchange storing the phone or e-mail itself. Input must already be normalised.
 *
 * The key is versioned, so it can be rotated without losing the suppression list (which cannot
 * be recomputed: the exchange never kept the contacts). A fingerprint records its key version
 * (`v<version>.<hex>`; version 1 is the bare hex of the fingerprints made before versions
 * existed). New fingerprints are made under the current key; checks against stored ones look
 * up a contact under every key still held (`phones`, `emails`).
 */
export class ContactFingerprinter {
  private readonly current: HeldKey;
  private readonly earlier: readonly HeldKey[];
  private readonly every: readonly HeldKey[];

  constructor(key: string, options: { version?: number; earlier?: readonly FingerprintKey[] } = {}) {
    this.current = held({ version: options.version ?? 1, key });
    this.earlier = (options.earlier ?? []).map(held);
    this.every = [this.current, ...this.earlier];
  }

  phone(e164: string): string {
    return fingerprint(this.current, `phone:${e164}`);
  }

  email(normalised: string): string {
    return fingerprint(this.current, `email:${normalised}`);
  }

  ip(address: string): string {
    return fingerprint(this.current, `ip:${address.toLowerCase()}`);
  }

  /** The phone's fingerprints under every key held, the current one first: what a check looks up. */
  phones(e164: string): string[] {
    return this.every.map((key) => fingerprint(key, `phone:${e164}`));
  }

  /** The e-mail's fingerprints under every key held, the current one first. */
  emails(normalised: string): string[] {
    return this.every.map((key) => fingerprint(key, `email:${normalised}`));
  }

  /** `phones(e164)` when its fingerprint under the current key (`phone(e164)`) is known already. */
  phonesGiven(current: string, e164: string): string[] {
    return [current, ...this.earlier.map((key) => fingerprint(key, `phone:${e164}`))];
  }

  /** `emails(normalised)` when its fingerprint under the current key (`email(normalised)`) is known already. */
  emailsGiven(current: string, normalised: string): string[] {
    return [current, ...this.earlier.map((key) => fingerprint(key, `email:${normalised}`))];
  }
}

/** A key with its HMAC key object made once (the same bytes as the key's UTF-8 text). */
interface HeldKey {
  version: number;
  secret: KeyObject;
}

const held = ({ version, key }: FingerprintKey): HeldKey => ({
  version,
  secret: createSecretKey(Buffer.from(key, 'utf8')),
});

function fingerprint({ version, secret }: HeldKey, value: string): string {
  const hex = createHmac('sha256', secret).update(value).digest('hex');
  return version === 1 ? hex : `v${version}.${hex}`;
}

/** How an e-mail is compared: trimmed, lower-cased. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
