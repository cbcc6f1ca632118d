import type { EventData } from '#lx/contracts';
import type {
  ApiKeyIssued,
  ApiKeyRevoked,
  ParticipantRegistered,
  ParticipantReinstated,
  ParticipantSuspended,
} from '#lx/contracts';
import type { Role } from './role.js';

/** The participant aggregate (`participant-<id>`): who it is and which API keys it holds. */
export interface ParticipantState {
  exists: boolean;
  participantId: string | null;
  role: Role | null;
  name: string | null;
  suspended: boolean;
  keys: ReadonlyMap<string, ApiKeyRecord>;
}

export interface ApiKeyRecord {
  keyId: string;
  prefix: string;
  hash: string;
  revoked: boolean;
  issuedAt: string;
}

export type ParticipantEvent =
  | { type: 'ParticipantRegistered'; data: EventData<typeof ParticipantRegistered> }
  | { type: 'ApiKeyIssued'; data: EventData<typeof ApiKeyIssued> }
  | { type: 'ApiKeyRevoked'; data: EventData<typeof ApiKeyRevoked> }
  | { type: 'ParticipantSuspended'; data: EventData<typeof ParticipantSuspended> }
  | { type: 'ParticipantReinstated'; data: EventData<typeof ParticipantReinstated> };

export const initialParticipantState: ParticipantState = {
  exists: false,
  participantId: null,
  role: null,
  name: null,
  suspended: false,
  keys: new Map(),
};

export function evolveParticipant(
  state: ParticipantState,
  event: ParticipantEvent,
  occurredAt = '',
): ParticipantState {
  switch (event.type) {
    case 'ParticipantRegistered':
      return {
        ...state,
        exists: true,
        participantId: event.data.participantId,
        role: event.data.role,
        name: event.data.name,
      };
    case 'ApiKeyIssued': {
      const keys = new Map(state.keys);
      keys.set(event.data.keyId, {
        keyId: event.data.keyId,
        prefix: event.data.prefix,
        hash: event.data.hash,
        revoked: false,
        issuedAt: occurredAt,
      });
      return { ...state, keys };
    }
    case 'ApiKeyRevoked': {
      const existing = state.keys.get(event.data.keyId);
      if (!existing) return state;
      const keys = new Map(state.keys);
      keys.set(event.data.keyId, { ...existing, revoked: true });
      return { ...state, keys };
    }
    case 'ParticipantSuspended':
      return { ...state, suspended: true };
    case 'ParticipantReinstated':
      return { ...state, suspended: false };
    default:
      return state;
  }
}
