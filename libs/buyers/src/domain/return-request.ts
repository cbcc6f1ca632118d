import type { DecisionContext, Decider } from '#lx/event-sourcing';
import { DomainError } from '#lx/event-sourcing';
import type { EventData, ReturnRequested, ReturnStreamEvent } from '#lx/contracts';

/*
 * A buyer's side of `return-<allocationId>`: one return per allocation, asked for within the
 * market's return window. The decisions (accepted, rejected, escalated) are written by settlement.
 */

export type ReturnRequestData = EventData<typeof ReturnRequested>;

export interface ReturnRequestState {
  requested: boolean;
}

export interface RequestReturn {
  request: ReturnRequestData;
  /** When the allocation happened and how long the market's window is. */
  allocatedAt: string;
  returnWindowHours: number;
}

export class ReturnRequestError extends DomainError {
  constructor(
    readonly code: 'return-exists' | 'return-window-elapsed',
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, details);
  }
}

export const returnRequestDecider: Decider<ReturnRequestState, RequestReturn, ReturnStreamEvent> = {
  initialState: { requested: false },
  evolve: (state, event) => (event.type === 'ReturnRequested' ? { requested: true } : state),
  decide: (command, state, { now }: DecisionContext) => {
    if (state.requested)
      throw new ReturnRequestError('return-exists', 'A return was already requested for this allocation');
    const closesAt = Date.parse(command.allocatedAt) + command.returnWindowHours * 3_600_000;
    if (now.getTime() > closesAt)
      throw new ReturnRequestError(
        'return-window-elapsed',
        'The return window of this allocation has closed',
        {
          closedAt: new Date(closesAt).toISOString(),
        },
      );
    return [{ type: 'ReturnRequested', data: command.request }];
  },
};
