import type { EventStore, RecordedEvent } from '#lx/event-store';
import {
  evolveParticipant,
  initialParticipantState,
  type ParticipantEvent,
  type ParticipantState,
} from '../domain/participant.js';

export const participantStream = (participantId: string) => `participant-${participantId}`;

export interface LoadedParticipant {
  state: ParticipantState;
  revision: number;
}

/** Folds a participant's stream; revision -1 when it has none. */
export async function loadParticipant(store: EventStore, participantId: string): Promise<LoadedParticipant> {
  const events = await store.readStream(participantStream(participantId));
  return {
    state: events.reduce(
      (state, event: RecordedEvent) =>
        evolveParticipant(state, event as unknown as ParticipantEvent, event.metadata.occurredAt),
      initialParticipantState,
    ),
    revision: events.at(-1)?.revision ?? -1,
  };
}
