import type { PersonalDataEnvelope } from '#lx/contracts';
import { ERASED_TEXT, maskLeadTexts, revealLeadTexts, SEALED_TEXT } from '#lx/contracts';
import type { z } from 'zod';

/**
 * Port to the vault for the free texts of a dispute (evidence, the seller's statement), which are
 * sealed under the lead's key: the auditor judging the dispute reads them while the lead exists.
 */
export interface SealedTextOpener {
  open(envelopes: readonly z.output<typeof PersonalDataEnvelope>[]): Promise<(unknown | null)[]>;
}

export const SEALED_TEXT_OPENER = Symbol('SEALED_TEXT_OPENER');

/** The texts opened, or shown as erased once the lead was, or as sealed where no vault is wired. */
export function showLeadTexts<T>(value: T, leadErased: boolean, opener: SealedTextOpener | null): Promise<T> {
  if (leadErased) return Promise.resolve(maskLeadTexts(value, ERASED_TEXT));
  if (!opener) return Promise.resolve(maskLeadTexts(value, SEALED_TEXT));
  return revealLeadTexts(value, (envelopes) => opener.open(envelopes));
}
