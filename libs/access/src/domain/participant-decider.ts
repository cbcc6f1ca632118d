import {
  evolveParticipant,
  initialParticipantState,
  type ParticipantEvent,
  type ParticipantState,
} from './participant.js';
import { decideParticipant, type ParticipantCommand } from './participant-decisions.js';

/** The participant aggregate as a decider: pure decide/evolve over its stream. */
export const participantDecider = {
  initialState: initialParticipantState,
  evolve: (state: ParticipantState, event: ParticipantEvent) => evolveParticipant(state, event),
  decide: (command: ParticipantCommand, state: ParticipantState) => decideParticipant(command, state),
};
