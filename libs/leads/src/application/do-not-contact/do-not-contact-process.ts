import {
  DoNotContactEntriesAdded,
  DoNotContactListCreated,
  DoNotContactListEnded,
  isEvent,
} from '#lx/contracts';
import type { AggregateRepository } from '#lx/event-sourcing';
import type { RecordedEvent } from '#lx/event-store';
import { listInForce } from '../../domain/do-not-contact.js';
import { LeadErasedError, LeadNotFound } from '../../domain/errors.js';
import { leadDecider } from '../../domain/lead.decider.js';
import type { DoNotContactStore } from './do-not-contact-store.port.js';

/** A lead still for sale: listed, not withdrawn, erased, expired or sold out. */
export interface LeadOnSale {
  leadId: string;
  sellerId: string;
}

export interface DoNotContactProcessDeps {
  lists: DoNotContactStore;
  aggregates: AggregateRepository;
  /**
   * The leads still for sale at `at` in `vertical` (null: any market) whose phone or e-mail
   * fingerprint is among `fingerprints`: the index of listed leads' fingerprints.
   */
  leadsOnSale(fingerprints: readonly string[], vertical: string | null, at: Date): Promise<LeadOnSale[]>;
}

/** What LeadWithdrawn says when a do-not-contact list took the lead off the market. */
export const doNotContactWithdrawalReason = (listId: string) => `do_not_contact: on list ${listId}`;

/**
 * The sellers' app learning the do-not-contact lists from the log (docs/architecture.md §4.3): it
 * keeps the lists' tables that verification checks, and withdraws the resting leads a list's new
 * entries match. Idempotent: a redelivered event records nothing twice, and a lead withdrawn
 * already is not withdrawn again (the lead's decider answers nothing).
 */
export class DoNotContactProcess {
  constructor(private readonly deps: DoNotContactProcessDeps) {}

  async handle(event: RecordedEvent): Promise<void> {
    const at = new Date(event.metadata.occurredAt);
    if (isEvent(DoNotContactListCreated, event)) {
      const d = event.data;
      await this.deps.lists.recordList(
        {
          listId: d.listId,
          name: d.name,
          vertical: d.vertical,
          expiresAt: new Date(d.expiresAt),
          createdBy: d.createdBy,
        },
        at,
      );
    } else if (isEvent(DoNotContactEntriesAdded, event)) {
      const d = event.data;
      await this.deps.lists.recordEntries(event.id, d.listId, d.contacts, d.fingerprints);
      const scope = await this.deps.lists.scope(d.listId);
      if (!scope) return;
      // A list in force when its entries were added takes the people's leads still for sale off the market.
      if (!listInForce(scope, at)) return;
      const leads = await this.deps.leadsOnSale(d.fingerprints, scope.vertical, at);
      for (const lead of leads) await this.withdraw(lead, d.listId, event.id);
    } else if (isEvent(DoNotContactListEnded, event)) {
      await this.deps.lists.recordEnd(event.data.listId, new Date(event.data.endedAt));
    }
  }

  private async withdraw(lead: LeadOnSale, listId: string, causationId: string): Promise<void> {
    try {
      await this.deps.aggregates.handle(
        `lead-${lead.leadId}`,
        leadDecider,
        {
          type: 'WithdrawLead',
          leadId: lead.leadId,
          sellerId: lead.sellerId,
          reason: doNotContactWithdrawalReason(listId),
        },
        { metadata: { actor: 'system', correlationId: listId, causationId } },
      );
    } catch (error) {
      // Erased meanwhile (nothing left to sell), or not the lead the index said: nothing to withdraw.
      if (!(error instanceof LeadErasedError) && !(error instanceof LeadNotFound)) throw error;
    }
  }
}
