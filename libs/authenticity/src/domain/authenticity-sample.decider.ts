import type {
  AuthenticityCheckAnswered,
  AuthenticityHoldDecided,
  AuthenticityOutcome,
  AuthenticitySampleDrawn,
  AuthenticitySampleHeld,
  AuthenticitySamplePassed,
  EventInput,
} from '#lx/contracts';
import type { Decider, DomainEvent } from '#lx/event-sourcing';
import {
  AuthenticityCheckAlreadyAnswered,
  AuthenticityNotHeld,
  AuthenticitySampleNotFound,
  AuthenticityTaskNotFound,
} from './errors.js';

export type SampleDrawn = EventInput<typeof AuthenticitySampleDrawn>;
export type CheckAnswered = EventInput<typeof AuthenticityCheckAnswered>;

export type AuthenticityEvent =
  | DomainEvent<'AuthenticitySampleDrawn', SampleDrawn>
  | DomainEvent<'AuthenticityCheckAnswered', CheckAnswered>
  | DomainEvent<'AuthenticitySampleHeld', EventInput<typeof AuthenticitySampleHeld>>
  | DomainEvent<'AuthenticityHoldDecided', EventInput<typeof AuthenticityHoldDecided>>
  | DomainEvent<'AuthenticitySamplePassed', EventInput<typeof AuthenticitySamplePassed>>;

/**
 * `sampling`: checks outstanding; `held`: failures above the threshold, the batch's unsold leads
 * off sale; `passed`: every check answered within the threshold (the batch is sample-verified);
 * `released` / `withdrawn`: an operator decided a held batch.
 */
export type SampleStatus = 'none' | 'sampling' | 'held' | 'passed' | 'released' | 'withdrawn';

export interface AuthenticitySampleState {
  readonly drawn: SampleDrawn | null;
  readonly answers: Readonly<Record<string, AuthenticityOutcome>>;
  readonly confirmed: number;
  readonly failed: number;
  readonly status: SampleStatus;
}

export type AuthenticityCommand =
  | { type: 'DrawSample'; drawn: SampleDrawn }
  | { type: 'AnswerCheck'; answer: Omit<CheckAnswered, 'sellerId' | 'vertical'> }
  | {
      type: 'DecideHold';
      batchId: string;
      decision: 'released' | 'withdrawn';
      operatorId: string;
      note: string;
    };

/** Failures above the threshold's share of the sample: `failed / sampled > threshold %`, in integers. */
export function failuresExceed(failed: number, sampled: number, thresholdPercent: number): boolean {
  return failed * 100 > thresholdPercent * sampled;
}

export const initialSampleState: AuthenticitySampleState = {
  drawn: null,
  answers: {},
  confirmed: 0,
  failed: 0,
  status: 'none',
};

/**
 * The authenticity sample of one batch (stream `authenticity-<batchId>`): drawn once, each check
 * answered once; the answer that takes the failures above the threshold holds the batch at once,
 * the last answer within it passes the batch; an operator releases or withdraws a held batch.
 */
export const authenticitySampleDecider: Decider<
  AuthenticitySampleState,
  AuthenticityCommand,
  AuthenticityEvent
> = {
  initialState: initialSampleState,
  evolve(state, event) {
    switch (event.type) {
      case 'AuthenticitySampleDrawn':
        return state.drawn ? state : { ...state, drawn: event.data, status: 'sampling' };
      case 'AuthenticityCheckAnswered': {
        const { leadId, outcome } = event.data;
        if (state.answers[leadId] !== undefined) return state;
        return {
          ...state,
          answers: { ...state.answers, [leadId]: outcome },
          confirmed: state.confirmed + (outcome === 'confirmed' ? 1 : 0),
          failed: state.failed + (outcome === 'confirmed' ? 0 : 1),
        };
      }
      case 'AuthenticitySampleHeld':
        return { ...state, status: 'held' };
      case 'AuthenticitySamplePassed':
        return { ...state, status: 'passed' };
      case 'AuthenticityHoldDecided':
        return { ...state, status: event.data.decision };
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'DrawSample':
        return state.drawn ? [] : [{ type: 'AuthenticitySampleDrawn', data: command.drawn }];
      case 'AnswerCheck':
        return answerCheck(command.answer, state);
      case 'DecideHold': {
        const drawn = state.drawn;
        if (!drawn) throw new AuthenticitySampleNotFound(command.batchId);
        if (state.status !== 'held') throw new AuthenticityNotHeld(command.batchId, state.status);
        const { batchId, sellerId, vertical } = drawn;
        const { decision, operatorId, note } = command;
        return [
          {
            type: 'AuthenticityHoldDecided',
            data: { batchId, sellerId, vertical, decision, operatorId, note },
          },
        ];
      }
    }
  },
};

function answerCheck(
  answer: Omit<CheckAnswered, 'sellerId' | 'vertical'>,
  state: AuthenticitySampleState,
): AuthenticityEvent[] {
  const drawn = state.drawn;
  if (!drawn || !drawn.leadIds.includes(answer.leadId))
    throw new AuthenticityTaskNotFound(answer.leadId, answer.batchId);
  const previous = state.answers[answer.leadId];
  if (previous !== undefined) throw new AuthenticityCheckAlreadyAnswered(answer.leadId, previous);
  const { batchId, sellerId, vertical, holdThresholdPercent } = drawn;
  const events: AuthenticityEvent[] = [
    { type: 'AuthenticityCheckAnswered', data: { ...answer, sellerId, vertical } },
  ];
  if (state.status !== 'sampling') return events; // decided already: the answer is recorded only
  const confirmed = state.confirmed + (answer.outcome === 'confirmed' ? 1 : 0);
  const failed = state.failed + (answer.outcome === 'confirmed' ? 0 : 1);
  const sampled = drawn.leadIds.length;
  const answered = confirmed + failed;
  const tally = { batchId, sellerId, vertical, sampled, answered, confirmed, failed, holdThresholdPercent };
  if (failuresExceed(failed, sampled, holdThresholdPercent))
    events.push({ type: 'AuthenticitySampleHeld', data: tally });
  else if (answered === sampled) events.push({ type: 'AuthenticitySamplePassed', data: tally });
  return events;
}
