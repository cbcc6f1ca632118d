import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { isEvent, LeadErased, LeadListed } from '#lx/contracts';
import type { EventStore } from '#lx/event-store';
import { connectVault, type ConnectedVault, type VaultMasterKeys } from '#lx/vault';
import { LeadContacts, type LeadContact, type SealedText } from '../application/lead-contacts.port.js';

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;

/**
 * The vault adapter of the authenticity checks: reads each lead's own stream (an erasure is
 * honoured at once) and opens its personal data; seals evidence under the lead's key (a lead's key
 * id is its lead id).
 */
@Injectable()
export class VaultLeadContacts extends LeadContacts implements OnApplicationShutdown {
  private constructor(
    private readonly store: EventStore,
    private readonly connected: ConnectedVault,
  ) {
    super();
  }

  static async connect(store: EventStore, databaseUrl: string, masterKeys: VaultMasterKeys) {
    return new VaultLeadContacts(store, await connectVault(databaseUrl, masterKeys));
  }

  async contactsOf(leadIds: readonly string[]): Promise<Map<string, LeadContact>> {
    const found = new Map<string, LeadContact>();
    await Promise.all(
      leadIds.map(async (leadId) => {
        const events = await this.store.readStream(`lead-${leadId}`);
        const listed = events.find((event) => isEvent(LeadListed, event));
        const none = { name: null, phone: null, email: null };
        if (!listed || !isEvent(LeadListed, listed))
          return found.set(leadId, { status: 'unavailable', ...none });
        if (events.some((event) => isEvent(LeadErased, event)))
          return found.set(leadId, { status: 'erased', ...none });
        const data = await this.connected.vault.open<Record<string, unknown>>(listed.data.personalData);
        if (!data) return found.set(leadId, { status: 'erased', ...none });
        const name = [text(data.firstName), text(data.lastName)].filter(Boolean).join(' ');
        return found.set(leadId, {
          status: 'available',
          name: text(data.name) ?? (name.length > 0 ? name : null),
          phone: text(data.phone),
          email: text(data.email),
        });
      }),
    );
    return found;
  }

  sealEvidence(leadId: string, evidence: string): Promise<SealedText> {
    return this.connected.vault.sealUnder(leadId, evidence);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connected.close();
  }
}
