import type { Country } from './reference-data.js';
import { hashSeed, type Seed } from './seeded-random.js';

const PERSON_SPACE = 100_000_000;
const HALF = 10_000;
const ROUND_KEYS = [0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c];

function roundFunction(half: number, key: number): number {
  let x = Math.imul(half ^ key, 0x45d9f3b);
  x ^= x >>> 16;
  x = Math.imul(x, 0x45d9f3b);
  x ^= x >>> 16;
  return (x >>> 0) % HALF;
}

/** A fixed bijection of [0, 10^8): consecutive people get unrelated-looking numbers. */
export function scramblePersonIndex(index: number): number {
  let left = Math.floor(index / HALF);
  let right = index % HALF;
  for (const key of ROUND_KEYS) {
    [left, right] = [right, (left + roundFunction(right, key)) % HALF];
  }
  return left * HALF + right;
}

const EMAIL_TAG_SPACE = 100_000;

/**
 * Hands out contact details that are unique by construction, so that a row annotated as
 * "good" is never an accidental duplicate — not within a batch of any size, and (because each
 * seed starts at its own offset of one fixed numbering) almost never between two batches of
 * different seeds. Drawing numbers at random instead would collide: 10^6 draws from 10^9
 * Russian mobiles give ~500 equal pairs. Memory stays bounded by the number of distinct
 * e-mail name patterns, not by the number of rows.
 */
export class ContactSpace {
  private issued = 0;
  private readonly personOffset: number;
  private readonly emailTagOffset: number;
  private readonly emailTagsIssued = new Map<string, number>();

  constructor(seed: Seed) {
    this.personOffset = hashSeed(`contact-space/${seed}`) % PERSON_SPACE;
    this.emailTagOffset = hashSeed(`email-tags/${seed}`) % EMAIL_TAG_SPACE;
  }

  nextPersonIndex(): number {
    if (this.issued >= PERSON_SPACE) throw new RangeError('a batch cannot hold more than 10^8 people');
    return (this.personOffset + this.issued++) % PERSON_SPACE;
  }

  /** The national significant number of the person's mobile (RU: 9xxxxxxxxx, ES: 6xxxxxxxx or 71x–74x). */
  mobileNumber(country: Country, personIndex: number): string {
    const scrambled = scramblePersonIndex(personIndex);
    if (country === 'RU') return `9${scrambled % 10}${String(scrambled).padStart(8, '0')}`;
    if (scrambled < 40_000_000 && scrambled % 4 === 0) {
      return `7${1 + Math.floor(scrambled / 10_000_000)}${String(scrambled % 10_000_000).padStart(7, '0')}`;
    }
    return `6${String(scrambled).padStart(8, '0')}`;
  }

  /**
   * `base` plus a number unique for that base: the n-th use of a base within the batch is
   * slot (seed offset + n), shown through a bijection keyed by the base so that tags look
   * unrelated. `base` never ends in a digit, so base + tag cannot equal another base + tag.
   */
  emailLocalPart(base: string): string {
    const issued = this.emailTagsIssued.get(base) ?? 0;
    if (issued >= EMAIL_TAG_SPACE)
      throw new RangeError(`more than ${EMAIL_TAG_SPACE} addresses named ${base}`);
    this.emailTagsIssued.set(base, issued + 1);
    const slot = (this.emailTagOffset + issued) % EMAIL_TAG_SPACE;
    const key = hashSeed(base);
    // Odd and not a multiple of 5, hence coprime with 10^5: multiplication permutes the slots.
    let multiplier = ((key % EMAIL_TAG_SPACE) * 2 + 1) % EMAIL_TAG_SPACE;
    if (multiplier % 5 === 0) multiplier += 2;
    return `${base}${(multiplier * slot + (key >>> 7)) % EMAIL_TAG_SPACE}`;
  }
}
