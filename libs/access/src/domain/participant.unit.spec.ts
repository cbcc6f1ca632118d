import { describe, it, expect } from '@jest/globals';
import { deciderSpec } from '#lx/spec-helpers';
import { participantDecider } from './participant-decider.js';
import { ParticipantError } from './participant-errors.js';

const id = '6f1c8a52-3a47-4c7e-9d4b-1b2a3c4d5e6f';
const registered = {
  type: 'ParticipantRegistered' as const,
  data: { participantId: id, role: 'seller' as const, name: 'Lead Forge SL' },
};
const issued = {
  type: 'ApiKeyIssued' as const,
  data: { participantId: id, keyId: 'k1', prefix: 'lx_6f1c8a52', hash: 'scrypt$x' },
};

describe('participant decider', () => {
  const spec = deciderSpec(participantDecider);

  it('registers a new participant, once', () => {
    spec
      .given([])
      .when({ kind: 'register', participantId: id, role: 'seller', name: 'Lead Forge SL' })
      .then([registered]);
    spec
      .given([registered])
      .when({ kind: 'register', participantId: id, role: 'seller', name: 'Again' })
      .then(ParticipantError);
  });

  it('issues keys only to an active participant', () => {
    spec
      .given([registered])
      .when({ kind: 'issue-key', keyId: 'k1', prefix: 'lx_6f1c8a52', hash: 'scrypt$x' })
      .then([issued]);
    spec
      .given([])
      .when({ kind: 'issue-key', keyId: 'k1', prefix: 'lx_6f1c8a52', hash: 'scrypt$x' })
      .then(ParticipantError);
    const suspended = { type: 'ParticipantSuspended' as const, data: { participantId: id, reason: 'fraud' } };
    spec
      .given([registered, suspended])
      .when({ kind: 'issue-key', keyId: 'k2', prefix: 'lx_6f1c8a52', hash: 'scrypt$y' })
      .then(ParticipantError);
  });

  it('revokes a key once; an unknown key is an error; revoking again changes nothing', () => {
    const revoked = { type: 'ApiKeyRevoked' as const, data: { participantId: id, keyId: 'k1' } };
    spec.given([registered, issued]).when({ kind: 'revoke-key', keyId: 'k1' }).then([revoked]);
    spec.given([registered, issued, revoked]).when({ kind: 'revoke-key', keyId: 'k1' }).then([]);
    spec.given([registered, issued]).when({ kind: 'revoke-key', keyId: 'nope' }).then(ParticipantError);
  });

  it('reinstates a suspended participant once; an active one changes nothing; its keys work again', () => {
    const suspended = { type: 'ParticipantSuspended' as const, data: { participantId: id, reason: 'fraud' } };
    const reinstated = {
      type: 'ParticipantReinstated' as const,
      data: { participantId: id, reason: 'cleared' },
    };
    spec.given([registered, suspended]).when({ kind: 'reinstate', reason: 'cleared' }).then([reinstated]);
    spec.given([registered]).when({ kind: 'reinstate' }).then([]);
    spec.given([registered, suspended, reinstated]).when({ kind: 'reinstate' }).then([]);
    spec.given([]).when({ kind: 'reinstate' }).then(ParticipantError);
    spec
      .given([registered, suspended, reinstated])
      .when({ kind: 'issue-key', keyId: 'k2', prefix: 'lx_6f1c8a52', hash: 'scrypt$y' })
      .then([
        {
          type: 'ApiKeyIssued' as const,
          data: { participantId: id, keyId: 'k2', prefix: 'lx_6f1c8a52', hash: 'scrypt$y' },
        },
      ]);
    const state = [registered, issued, suspended, reinstated].reduce(
      participantDecider.evolve,
      participantDecider.initialState,
    );
    expect(state.suspended).toBe(false);
    expect(state.keys.get('k1')?.revoked).toBe(false);
  });

  it('folds keys and their revocation into state', () => {
    const state = [
      registered,
      issued,
      { type: 'ApiKeyRevoked' as const, data: { participantId: id, keyId: 'k1' } },
    ].reduce(participantDecider.evolve, participantDecider.initialState);
    expect(state.keys.get('k1')?.revoked).toBe(true);
    expect(state.role).toBe('seller');
  });
});
