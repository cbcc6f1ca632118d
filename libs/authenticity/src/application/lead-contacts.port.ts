import type { EventData, LeadListed } from '#lx/contracts';

export type SealedText = EventData<typeof LeadListed>['personalData'];

/** What the verification staff may see of a sampled lead to call or write to the person. */
export interface LeadContact {
  status: 'available' | 'erased' | 'unavailable';
  name: string | null;
  phone: string | null;
  email: string | null;
}

/**
 * Port onto the vault (libs/vault) for the authenticity checks: the contact of a sampled lead,
 * opened for operators only (the caller checks the role), and the evidence of a check sealed under
 * the lead's key, so erasing the lead erases what staff wrote about the person.
 */
export abstract class LeadContacts {
  abstract contactsOf(leadIds: readonly string[]): Promise<Map<string, LeadContact>>;
  abstract sealEvidence(leadId: string, text: string): Promise<SealedText>;
}
