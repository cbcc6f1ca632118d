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
 * id is its lead id). The vault's pool is opened at the first use, not at the app's start.
 */
@Injectable()
export class VaultLeadContacts extends LeadContacts implements OnApplicationShutdown {
  private connecting: Promise<ConnectedVault> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly databaseUrl: string,
    private readonly masterKeys: VaultMasterKeys,
  ) {
    super();
  }

  private vault() {
    this.connecting ??= connectVault(this.databaseUrl, this.masterKeys).catch((error: unknown) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting.then((connected) => connected.vault);
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
        const data = await (await this.vault()).open<Record<string, unknown>>(listed.data.personalData);
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

  async sealEvidence(leadId: string, evidence: string): Promise<SealedText> {
    return (await this.vault()).sealUnder(leadId, evidence);
  }

  async onApplicationShutdown(): Promise<void> {
    const connected = await this.connecting?.catch(() => null);
    await connected?.close();
  }
}
