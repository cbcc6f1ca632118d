import type { Decider } from '#lx/event-sourcing';
import { judgeReturn, type ReturnFacts } from './automatic-rules.js';
import {
  evolveReturnCase,
  initialReturnCase,
  isDecided,
  type ReturnCaseEvent,
  type ReturnCaseState,
} from './return-case.js';
import { ReturnDecisionExistsError, ReturnNotEscalatedError, ReturnNotFoundError } from './return-errors.js';

export const SYSTEM = 'system';

export type ReturnCaseCommand =
  /** Settlement's automatic decision on a new request, from facts read out of the log. */
  | { kind: 'judge-automatically'; allocationId: string; facts: ReturnFacts }
  /** The seller answered: its acceptance decides, its contest goes to an auditor. */
  | { kind: 'follow-seller-response'; allocationId: string }
  | {
      kind: 'decide-as-auditor';
      allocationId: string;
      auditorId: string;
      outcome: 'accept' | 'reject';
      rationale: string;
    }
  /** The seller's time to answer ran out (the delayed job): an unanswered return goes to an auditor. */
  | { kind: 'escalate-unanswered'; allocationId: string; allowedHours: number }
  /** The return window elapsed (the delayed job): closes it unless a return is open or accepted. */
  | { kind: 'close-window'; allocationId: string; closedAt: string };

function decide(command: ReturnCaseCommand, state: ReturnCaseState): ReturnCaseEvent[] {
  const { allocationId } = command;
  switch (command.kind) {
    case 'judge-automatically': {
      // Redelivered or already handled: the rules ran once.
      if (state.status !== 'requested' || !state.request || state.checked) return [];
      if (state.windowClosed)
        return [
          rejected(
            allocationId,
            SYSTEM,
            'return-window-elapsed',
            'The return window closed before the request',
          ),
        ];
      const verdict = judgeReturn(state.request, command.facts);
      if (verdict.outcome === 'await-seller')
        return [
          {
            type: 'ReturnChecked',
            data: { allocationId, checks: verdict.checks, rationale: verdict.rationale },
          },
        ];
      return verdict.outcome === 'accept'
        ? [accepted(state, SYSTEM, verdict.rule, verdict.rationale)]
        : [rejected(allocationId, SYSTEM, verdict.rule, verdict.rationale)];
    }
    case 'follow-seller-response': {
      const response = state.sellerResponse;
      if (state.status !== 'requested' || !response) return [];
      if (response.position === 'accept')
        return [
          // The statement is sealed under the lead's key: a rationale never copies it into clear text.
          accepted(state, response.sellerId, 'seller-accepted', 'The seller accepted the return'),
        ];
      return [
        {
          type: 'ReturnEscalated',
          data: {
            allocationId,
            escalatedBy: SYSTEM,
            reason: "The seller contests the return (see the seller's statement)",
          },
        },
      ];
    }
    case 'escalate-unanswered': {
      // Answered, decided or escalated meanwhile: the seller's answer (or the decision) stands.
      if (state.status !== 'requested' || state.sellerResponse) return [];
      const within = command.allowedHours >= 1 ? `${command.allowedHours} h` : 'the time allowed';
      return [
        {
          type: 'ReturnEscalated',
          data: { allocationId, escalatedBy: SYSTEM, reason: `The seller did not answer within ${within}` },
        },
      ];
    }
    case 'decide-as-auditor': {
      if (state.status === 'none') throw new ReturnNotFoundError(allocationId);
      if (isDecided(state)) throw new ReturnDecisionExistsError(allocationId, state.status);
      if (state.status !== 'escalated') throw new ReturnNotEscalatedError(allocationId);
      return command.outcome === 'accept'
        ? [accepted(state, command.auditorId, 'auditor-decision', command.rationale)]
        : [rejected(allocationId, command.auditorId, 'auditor-decision', command.rationale)];
    }
    case 'close-window': {
      const open = state.status === 'requested' || state.status === 'escalated';
      if (open || state.status === 'accepted' || state.windowClosed) return [];
      return [{ type: 'ReturnWindowClosed', data: { allocationId, closedAt: command.closedAt } }];
    }
  }
}

function accepted(
  state: ReturnCaseState,
  decidedBy: string,
  rule: Extract<ReturnCaseEvent, { type: 'ReturnAccepted' }>['data']['rule'],
  rationale: string,
): ReturnCaseEvent {
  const request = state.request!;
  return {
    type: 'ReturnAccepted',
    data: {
      allocationId: request.allocationId,
      decidedBy,
      rule,
      rationale: clip(rationale),
      ...(request.replace ? { replace: true } : {}),
    },
  };
}

function rejected(
  allocationId: string,
  decidedBy: string,
  rule: Extract<ReturnCaseEvent, { type: 'ReturnRejected' }>['data']['rule'],
  rationale: string,
): ReturnCaseEvent {
  return { type: 'ReturnRejected', data: { allocationId, decidedBy, rule, rationale: clip(rationale) } };
}

const clip = (text: string) => (text.length > 4000 ? `${text.slice(0, 3999)}…` : text);

export const returnCaseDecider: Decider<ReturnCaseState, ReturnCaseCommand, ReturnCaseEvent> = {
  initialState: initialReturnCase,
  evolve: evolveReturnCase,
  decide,
};
