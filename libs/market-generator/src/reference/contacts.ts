import type { Weighted } from '../seeded-random.js';
import type { Country } from './lead-attributes.js';

/**
 * Mobile numbering plans. `N` in a template takes the next digit of the national number.
 * `canonical` templates normalise to E.164 just by dropping spaces, dashes and brackets;
 * `variant` templates are how the same person types the number on another site (trunk
 * prefix 8, no country code, 00 instead of +) — a verifier has to normalise them to match.
 */
export interface MobileNumbering {
  countryCode: string;
  nationalLength: number;
  canonical: readonly string[];
  variant: readonly string[];
}

export const MOBILE_NUMBERING: Readonly<Record<Country, MobileNumbering>> = {
  RU: {
    countryCode: '7',
    nationalLength: 10,
    canonical: [
      '+7 NNN NNN-NN-NN',
      '+7 (NNN) NNN-NN-NN',
      '+7NNNNNNNNNN',
      '+7 NNN NNN NN NN',
      '+7-NNN-NNN-NN-NN',
    ],
    variant: ['8 NNN NNN-NN-NN', '8NNNNNNNNNN', '8 (NNN) NNN NN NN', '7NNNNNNNNNN', '+7 NNN NNN NNNN'],
  },
  ES: {
    countryCode: '34',
    nationalLength: 9,
    canonical: ['+34 NNN NNN NNN', '+34NNNNNNNNN', '+34 NNN NN NN NN'],
    variant: ['NNN NNN NNN', 'NNNNNNNNN', '0034 NNN NNN NNN', '0034NNNNNNNNN', '(+34) NNN-NNN-NNN'],
  },
};

export const EMAIL_DOMAINS: Readonly<Record<Country, readonly Weighted<string>[]>> = {
  RU: [
    ['mail.ru', 34],
    ['yandex.ru', 26],
    ['gmail.com', 18],
    ['bk.ru', 5],
    ['list.ru', 4],
    ['inbox.ru', 4],
    ['rambler.ru', 4],
    ['ya.ru', 3],
    ['icloud.com', 2],
  ],
  ES: [
    ['gmail.com', 46],
    ['hotmail.com', 14],
    ['hotmail.es', 10],
    ['yahoo.es', 6],
    ['outlook.es', 6],
    ['outlook.com', 5],
    ['icloud.com', 5],
    ['telefonica.net', 4],
    ['movistar.es', 2],
  ],
};

/** Throw-away inboxes: syntactically valid, worthless to a buyer. */
export const DISPOSABLE_EMAIL_DOMAINS = [
  'mailinator.com',
  'yopmail.com',
  'guerrillamail.com',
  '10minutemail.com',
  'temp-mail.org',
  'trashmail.com',
  'sharklasers.com',
] as const;

/** First octets of address blocks allocated to each country's access networks. */
export const IPV4_FIRST_OCTETS: Readonly<Record<Country, readonly number[]>> = {
  RU: [5, 31, 37, 46, 77, 78, 79, 83, 85, 87, 91, 93, 94, 95, 109, 176, 178, 188, 212, 213, 217],
  ES: [2, 31, 37, 77, 79, 80, 81, 83, 84, 85, 88, 90, 95, 176, 188, 212, 213, 217],
};

/** IPv6 prefixes of large mobile and broadband operators (a capture IP is often IPv6 nowadays). */
export const IPV6_PREFIXES: Readonly<Record<Country, readonly string[]>> = {
  RU: ['2a00:1fa0', '2a02:6b8', '2a03:d000'],
  ES: ['2a0c:5a80', '2a02:9000', '2a01:c50f'],
};
