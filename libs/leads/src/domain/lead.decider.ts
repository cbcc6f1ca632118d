import type { EventInput, LeadErased, LeadListed, LeadPostRejected, LeadWithdrawn } from '#lx/contracts';
import type { Decider, DomainEvent } from '#lx/event-sourcing';
import { LeadErasedError, LeadNotFound } from './errors.js';

export type LeadEvent =
  | DomainEvent<'LeadListed', EventInput<typeof LeadListed>>
  | DomainEvent<'LeadWithdrawn', EventInput<typeof LeadWithdrawn>>
  | DomainEvent<'LeadErased', EventInput<typeof LeadErased>>
  /** A posted lead refused at verification (§5.2): its stream holds no lead. */
  | DomainEvent<'LeadPostRejected', EventInput<typeof LeadPostRejected>>;

export interface LeadState {
  exists: boolean;
  sellerId: string | null;
  keyId: string | null;
  withdrawn: boolean;
  erased: boolean;
}

export type ErasureReason = EventInput<typeof LeadErased>['reason'];

export type LeadCommand =
  | { type: 'WithdrawLead'; leadId: string; sellerId: string; reason?: string }
  /** `sellerId` null: the operator erases on the person's behalf, whoever listed the lead. */
  | { type: 'EraseLead'; leadId: string; sellerId: string | null; reason: ErasureReason };

/** A listed lead: its seller withdraws it; the person (through the operator) or the seller erases it. */
export const leadDecider: Decider<LeadState, LeadCommand, LeadEvent> = {
  initialState: { exists: false, sellerId: null, keyId: null, withdrawn: false, erased: false },
  evolve(state, event) {
    switch (event.type) {
      case 'LeadListed':
        return {
          ...state,
          exists: true,
          sellerId: event.data.sellerId,
          keyId: event.data.personalData.keyId,
        };
      case 'LeadWithdrawn':
        return { ...state, withdrawn: true };
      case 'LeadErased':
        return { ...state, erased: true };
      case 'LeadPostRejected':
        // A revocation that found the post's claim erases nothing: the post was refused, not listed.
        return state;
    }
  },
  decide(command, state) {
    if (!state.exists || (command.sellerId !== null && state.sellerId !== command.sellerId))
      throw new LeadNotFound(command.leadId);
    const sellerId = state.sellerId!;
    switch (command.type) {
      case 'WithdrawLead':
        if (state.erased) throw new LeadErasedError(command.leadId);
        if (state.withdrawn) return [];
        return [
          {
            type: 'LeadWithdrawn',
            data: { leadId: command.leadId, sellerId, ...(command.reason ? { reason: command.reason } : {}) },
          },
        ];
      case 'EraseLead':
        if (state.erased) return [];
        return [
          {
            type: 'LeadErased',
            data: { leadId: command.leadId, sellerId, keyId: state.keyId!, reason: command.reason },
          },
        ];
    }
  },
};
