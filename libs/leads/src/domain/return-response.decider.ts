import type { EventInput, ReturnStreamEvent, SellerResponded } from '#lx/contracts';
import type { Decider } from '#lx/event-sourcing';
import { ReturnAlreadyDecided, ReturnNotFound, SellerResponseExists } from './errors.js';

/** The catalogue's union of the return stream, whose every writer's events the seller's side folds. */
export type ReturnEvent = ReturnStreamEvent;

export interface ReturnState {
  requested: boolean;
  sellerId: string | null;
  responded: boolean;
  decided: boolean;
}

export interface RespondToReturn {
  type: 'RespondToReturn';
  response: EventInput<typeof SellerResponded>;
}

/** The seller's side of a return on `return-<allocationId>`: one answer, before the decision. */
export const returnResponseDecider: Decider<ReturnState, RespondToReturn, ReturnEvent> = {
  initialState: { requested: false, sellerId: null, responded: false, decided: false },
  evolve(state, event) {
    switch (event.type) {
      case 'ReturnRequested':
        return { ...state, requested: true, sellerId: event.data.sellerId };
      case 'SellerResponded':
        return { ...state, responded: true };
      case 'ReturnAccepted':
      case 'ReturnRejected':
        return { ...state, decided: true };
      default:
        return state;
    }
  },
  decide(command, state) {
    const { allocationId, sellerId } = command.response;
    if (!state.requested || state.sellerId !== sellerId) throw new ReturnNotFound(allocationId);
    if (state.decided) throw new ReturnAlreadyDecided(allocationId);
    if (state.responded) throw new SellerResponseExists(allocationId);
    return [{ type: 'SellerResponded', data: command.response }];
  },
};
