import { MOBILE_NUMBERING, type Country } from './reference-data.js';
import type { SeededRandom } from './seeded-random.js';

export function applyPhoneTemplate(template: string, nationalNumber: string): string {
  let next = 0;
  return template.replace(/N/g, () => nationalNumber[next++] ?? '');
}

/**
 * `canonical`: how a good row is written (E.164 once spaces, dashes and brackets are dropped);
 * `variant`: how the same person types it elsewhere (8 9xx…, no country code, 0034…).
 */
export function formatMobile(
  rng: SeededRandom,
  country: Country,
  nationalNumber: string,
  style: 'canonical' | 'variant',
): string {
  return applyPhoneTemplate(rng.pick(MOBILE_NUMBERING[country][style]), nationalNumber);
}

/** The same address as another form would record it: case and stray spaces differ, nothing else. */
export function varyEmailFormatting(rng: SeededRandom, email: string): string {
  const [local = '', domain = ''] = email.split('@');
  switch (rng.int(0, 3)) {
    case 0:
      return email.toUpperCase();
    case 1:
      return `${capitalizeParts(local)}@${capitalizeParts(domain)}`;
    case 2:
      return ` ${email} `;
    default:
      return `${local}@${domain.toUpperCase()}`;
  }
}

function capitalizeParts(text: string): string {
  return text.replace(
    /(^|[._-])([a-z])/g,
    (_match, separator: string, letter: string) => separator + letter.toUpperCase(),
  );
}
