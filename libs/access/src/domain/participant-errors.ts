import { DomainError } from '#lx/event-sourcing';

/** Expected failures of participant commands: typed, each with a stable code. */
export class ParticipantError extends DomainError {
  constructor(
    readonly code:
      'participant-exists' | 'participant-not-found' | 'participant-suspended' | 'api-key-not-found',
    message: string,
  ) {
    super(message);
  }
}
