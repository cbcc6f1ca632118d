import { createHmac } from 'node:crypto';

/**
 * Keyed fingerprints of contact points: two leads of one person compare equal without the
 * exchange storing the phone or e-mail itself. Input must already be normalised.
 */
export class ContactFingerprinter {
  constructor(private readonly key: string) {}

  phone(e164: string): string {
    return this.hmac(`phone:${e164}`);
  }

  email(normalised: string): string {
    return this.hmac(`email:${normalised}`);
  }

  ip(address: string): string {
    return this.hmac(`ip:${address.toLowerCase()}`);
  }

  private hmac(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('hex');
  }
}

/** How an e-mail is compared: trimmed, lower-cased. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
