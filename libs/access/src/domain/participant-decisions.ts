import type { ParticipantEvent, ParticipantState } from './participant.js';
import { ParticipantError } from './participant-errors.js';
import type { Role } from './role.js';

/** Pure decisions: state + command → events, or a typed error. */
export function registerParticipant(
  state: ParticipantState,
  command: { participantId: string; role: Role; name: string; country?: string },
): ParticipantEvent[] {
  if (state.exists)
    throw new ParticipantError('participant-exists', `Participant ${command.participantId} already exists`);
  const { participantId, role, name, country } = command;
  return [
    {
      type: 'ParticipantRegistered',
      data: country ? { participantId, role, name, country } : { participantId, role, name },
    },
  ];
}

export function issueApiKey(
  state: ParticipantState,
  command: { keyId: string; prefix: string; hash: string },
): ParticipantEvent[] {
  assertActive(state);
  return [{ type: 'ApiKeyIssued', data: { participantId: state.participantId!, ...command } }];
}

export function revokeApiKey(
  state: ParticipantState,
  command: { keyId: string; reason?: string },
): ParticipantEvent[] {
  if (!state.exists) throw new ParticipantError('participant-not-found', 'Participant not found');
  const key = state.keys.get(command.keyId);
  if (!key) throw new ParticipantError('api-key-not-found', `API key ${command.keyId} not found`);
  if (key.revoked) return []; // revoking twice changes nothing
  const data = { participantId: state.participantId!, keyId: command.keyId };
  return [{ type: 'ApiKeyRevoked', data: command.reason ? { ...data, reason: command.reason } : data }];
}

export function suspendParticipant(state: ParticipantState, command: { reason: string }): ParticipantEvent[] {
  if (!state.exists) throw new ParticipantError('participant-not-found', 'Participant not found');
  if (state.suspended) return [];
  return [
    { type: 'ParticipantSuspended', data: { participantId: state.participantId!, reason: command.reason } },
  ];
}

/** Lifts a suspension; reinstating an active participant changes nothing. */
export function reinstateParticipant(
  state: ParticipantState,
  command: { reason?: string },
): ParticipantEvent[] {
  if (!state.exists) throw new ParticipantError('participant-not-found', 'Participant not found');
  if (!state.suspended) return [];
  const data = { participantId: state.participantId! };
  return [
    { type: 'ParticipantReinstated', data: command.reason ? { ...data, reason: command.reason } : data },
  ];
}

function assertActive(state: ParticipantState): void {
  if (!state.exists) throw new ParticipantError('participant-not-found', 'Participant not found');
  if (state.suspended) throw new ParticipantError('participant-suspended', 'Participant is suspended');
}

export type ParticipantCommand =
  | ({ kind: 'register' } & Parameters<typeof registerParticipant>[1])
  | ({ kind: 'issue-key' } & Parameters<typeof issueApiKey>[1])
  | ({ kind: 'revoke-key' } & Parameters<typeof revokeApiKey>[1])
  | ({ kind: 'suspend' } & Parameters<typeof suspendParticipant>[1])
  | ({ kind: 'reinstate' } & Parameters<typeof reinstateParticipant>[1]);

export function decideParticipant(command: ParticipantCommand, state: ParticipantState): ParticipantEvent[] {
  const { kind, ...fields } = command;
  switch (kind) {
    case 'register':
      return registerParticipant(state, fields as Parameters<typeof registerParticipant>[1]);
    case 'issue-key':
      return issueApiKey(state, fields as Parameters<typeof issueApiKey>[1]);
    case 'revoke-key':
      return revokeApiKey(state, fields as Parameters<typeof revokeApiKey>[1]);
    case 'suspend':
      return suspendParticipant(state, fields as Parameters<typeof suspendParticipant>[1]);
    case 'reinstate':
      return reinstateParticipant(state, fields as Parameters<typeof reinstateParticipant>[1]);
  }
}
