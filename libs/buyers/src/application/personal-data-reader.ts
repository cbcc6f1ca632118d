import type { EventData, LeadListed } from '#lx/contracts';

export type PersonalDataEnvelope = EventData<typeof LeadListed>['personalData'];

/** The clear personal data of a lead, as the vault decrypts it. */
export type PersonalData = Record<string, unknown>;

/**
 * Port to the vault (libs/vault, owned by the sellers' context): decrypts a lead's personal-data
 * envelope. Returns null when the key is gone (the lead was erased) or no vault is wired.
 * Callers check ownership BEFORE asking: this port does not know who is asking.
 */
export interface PersonalDataReader {
  readonly available: boolean;
  read(leadId: string, envelope: PersonalDataEnvelope): Promise<PersonalData | null>;
  /** Opens sealed free texts (return evidence, a seller's statement): null where the lead was erased. */
  openTexts(envelopes: readonly PersonalDataEnvelope[]): Promise<(string | null)[]>;
  /** Seals a free text about the lead (it may quote the person) under the lead's key. */
  sealText(leadId: string, text: string): Promise<PersonalDataEnvelope>;
}

export const PERSONAL_DATA_READER = Symbol('PERSONAL_DATA_READER');

/** Until the vault is wired: personal data is reported as unavailable, never invented. */
export class NoVaultPersonalDataReader implements PersonalDataReader {
  readonly available = false;
  async read(): Promise<PersonalData | null> {
    return null;
  }
  async openTexts(envelopes: readonly PersonalDataEnvelope[]): Promise<(string | null)[]> {
    return envelopes.map(() => null);
  }
  sealText(): Promise<PersonalDataEnvelope> {
    // Never store the text in clear instead.
    return Promise.reject(new Error('no vault is wired: free text about a lead cannot be sealed'));
  }
}
