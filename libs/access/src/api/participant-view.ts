import type { ParticipantState } from '../domain/participant.js';
import type { ParticipantView } from './participant.dtos.js';

/** What a participant's record looks like over HTTP: never a key hash. */
export function toParticipantView(state: ParticipantState): ParticipantView {
  return {
    participantId: state.participantId!,
    role: state.role!,
    name: state.name!,
    suspended: state.suspended,
    apiKeys: [...state.keys.values()].map(({ keyId, prefix, revoked, issuedAt }) => ({
      keyId,
      prefix,
      revoked,
      issuedAt,
    })),
  };
}
