import type { EventInput, LeadBatchSubmitted, LeadBatchVerified, LeadBatchWithdrawn } from '#lx/contracts';
import type { Decider, DomainEvent } from '#lx/event-sourcing';
import { BatchNotFound, BatchStillVerifying } from './errors.js';

export type BatchEvent =
  | DomainEvent<'LeadBatchSubmitted', EventInput<typeof LeadBatchSubmitted>>
  | DomainEvent<'LeadBatchVerified', EventInput<typeof LeadBatchVerified>>
  | DomainEvent<'LeadBatchWithdrawn', EventInput<typeof LeadBatchWithdrawn>>
  | DomainEvent<'LeadBatchRowsRejected', unknown>;

export interface BatchState {
  exists: boolean;
  sellerId: string | null;
  status: 'none' | 'verifying' | 'verified' | 'withdrawn';
}

export type BatchCommand =
  | { type: 'SubmitBatch'; submitted: EventInput<typeof LeadBatchSubmitted> }
  | { type: 'CompleteVerification'; verified: EventInput<typeof LeadBatchVerified> }
  | { type: 'WithdrawBatch'; batchId: string; sellerId: string; reason?: string };

/** A batch: submitted, then verified once, and withdrawable by its seller once verified. */
export const batchDecider: Decider<BatchState, BatchCommand, BatchEvent> = {
  initialState: { exists: false, sellerId: null, status: 'none' },
  evolve(state, event) {
    switch (event.type) {
      case 'LeadBatchSubmitted':
        return { exists: true, sellerId: event.data.sellerId, status: 'verifying' };
      case 'LeadBatchVerified':
        return state.status === 'withdrawn' ? state : { ...state, status: 'verified' };
      case 'LeadBatchWithdrawn':
        return { ...state, status: 'withdrawn' };
      default:
        return state;
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'SubmitBatch':
        return state.exists ? [] : [{ type: 'LeadBatchSubmitted', data: command.submitted }];
      case 'CompleteVerification':
        if (!state.exists) throw new BatchNotFound(command.verified.batchId);
        return state.status === 'verifying' ? [{ type: 'LeadBatchVerified', data: command.verified }] : [];
      case 'WithdrawBatch': {
        if (!state.exists || state.sellerId !== command.sellerId) throw new BatchNotFound(command.batchId);
        if (state.status === 'verifying') throw new BatchStillVerifying(command.batchId);
        if (state.status === 'withdrawn') return [];
        const { batchId, sellerId, reason } = command;
        return [{ type: 'LeadBatchWithdrawn', data: { batchId, sellerId, ...(reason ? { reason } : {}) } }];
      }
    }
  },
};
