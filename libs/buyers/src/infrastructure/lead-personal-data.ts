import { isEvent, LeadErased, LeadListed } from '#lx/contracts';
import type { EventStore } from '#lx/event-store';
import type { PersonalDataReader } from '../application/personal-data-reader.js';
import type { LeadDisclosure, PersonalDataStatus } from '../application/buyer-views.js';

export type { LeadDisclosure, PersonalDataStatus };

/**
 * The lead as its buyer receives it: attributes, consent record and the decrypted personal data.
 * Read from the lead's own stream, so an erasure is honoured at once. The CALLER must have checked
 * that the lead was allocated to the asking buyer.
 */
export async function discloseLeadToItsBuyer(
  store: EventStore,
  reader: PersonalDataReader,
  leadId: string,
): Promise<LeadDisclosure> {
  const events = await store.readStream(`lead-${leadId}`);
  const listed = events.find((event) => isEvent(LeadListed, event));
  if (!listed || !isEvent(LeadListed, listed))
    return { attributes: null, consent: null, personalData: null, personalDataStatus: 'unavailable' };
  const { attributes, consent, personalData: envelope } = listed.data;
  if (events.some((event) => isEvent(LeadErased, event)))
    return { attributes, consent, personalData: null, personalDataStatus: 'erased' };
  const personalData = await reader.read(leadId, envelope);
  return {
    attributes,
    consent,
    personalData,
    personalDataStatus: personalData ? 'available' : 'unavailable',
  };
}
