import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { CountryCode, EntityId, Instant, Text } from '../value-types.js';

/** Stream `participant-<participantId>`, written by the settlement app's operator API. */
const categories = ['participant'];

export const ParticipantRole = z.enum(['seller', 'buyer', 'auditor', 'operator']);

export const ParticipantRegistered = defineEvent({
  type: 'ParticipantRegistered',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    participantId: EntityId,
    role: ParticipantRole,
    /** The organisation's display name, not a person's. */
    name: Text(200),
    country: CountryCode.optional(),
  }),
});

export const ApiKeyIssued = defineEvent({
  type: 'ApiKeyIssued',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({
    participantId: EntityId,
    keyId: EntityId,
    /** The visible start of the key, so a participant can tell its keys apart. */
    prefix: z.string().regex(/^[A-Za-z0-9_-]{4,32}$/),
    /** `scrypt$<params>$<salt>$<hash>`: the log must never be enough to use a key. */
    hash: z
      .string()
      .max(512)
      .regex(/^scrypt\$\S+$/, 'expected an scrypt hash string'),
    expiresAt: Instant.optional(),
  }),
});

export const ApiKeyRevoked = defineEvent({
  type: 'ApiKeyRevoked',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ participantId: EntityId, keyId: EntityId, reason: Text(500).optional() }),
});

export const ParticipantSuspended = defineEvent({
  type: 'ParticipantSuspended',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ participantId: EntityId, reason: Text(1000) }),
});

/** An operator lifted a suspension: the participant's keys that were not revoked work again. */
export const ParticipantReinstated = defineEvent({
  type: 'ParticipantReinstated',
  schemaVersion: 1,
  categories,
  schema: z.strictObject({ participantId: EntityId, reason: Text(1000).optional() }),
});

export const participantEvents = [
  ParticipantRegistered,
  ApiKeyIssued,
  ApiKeyRevoked,
  ParticipantSuspended,
  ParticipantReinstated,
] as const;
