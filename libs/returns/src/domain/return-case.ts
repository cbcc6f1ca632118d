import type { EventData, ReturnRequested, ReturnStreamEvent, SellerResponded } from '#lx/contracts';

/*
 * The return of one allocation (`return-<allocationId>`): requested by the buyer, answered by the
 * seller, decided once — automatically, by the seller's acceptance or by an auditor — unless the
 * return window closed first. Every writer's events are folded here.
 */

export type ReturnRequestData = EventData<typeof ReturnRequested>;
export type SellerResponseData = EventData<typeof SellerResponded>;

/** The catalogue's union of the return stream: every writer's events are folded here. */
export type ReturnCaseEvent = ReturnStreamEvent;

export type ReturnStatus = 'none' | 'requested' | 'escalated' | 'accepted' | 'rejected';

export interface ReturnCaseState {
  status: ReturnStatus;
  request: ReturnRequestData | null;
  sellerResponse: SellerResponseData | null;
  /** The window closed with no return open: nothing can be accepted any more. */
  windowClosed: boolean;
  /** The automatic rules ran and left the return to the seller (they run once). */
  checked: boolean;
}

export const initialReturnCase: ReturnCaseState = {
  status: 'none',
  request: null,
  sellerResponse: null,
  windowClosed: false,
  checked: false,
};

export function evolveReturnCase(state: ReturnCaseState, event: ReturnCaseEvent): ReturnCaseState {
  switch (event.type) {
    case 'ReturnRequested':
      return { ...state, status: 'requested', request: event.data };
    case 'ReturnChecked':
      return { ...state, checked: true };
    case 'SellerResponded':
      return { ...state, sellerResponse: event.data };
    case 'ReturnEscalated':
      return { ...state, status: 'escalated' };
    case 'ReturnAccepted':
      return { ...state, status: 'accepted' };
    case 'ReturnRejected':
      return { ...state, status: 'rejected' };
    case 'ReturnWindowClosed':
      return { ...state, windowClosed: true };
    default:
      return state;
  }
}

export const isDecided = (state: ReturnCaseState): boolean =>
  state.status === 'accepted' || state.status === 'rejected';
