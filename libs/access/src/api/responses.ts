import { z } from 'zod';
import { IsoInstant, pageOf } from '#lx/http';
import { ROLES } from '../domain/role.js';

/* What the participant and key routes answer (every app serves /v1/me). */

export const ApiKeyAnswer = z.strictObject({
  keyId: z.string(),
  prefix: z.string().describe('The first characters of the key, to recognise it; never the key'),
  revoked: z.boolean(),
  issuedAt: IsoInstant,
});

export const ParticipantAnswer = z.strictObject({
  participantId: z.string().describe('A uuid; the bootstrap operator key has an id of its own'),
  role: z.enum(ROLES),
  name: z.string(),
  suspended: z.boolean(),
  apiKeys: z.array(ApiKeyAnswer),
});

export const ParticipantsAnswer = pageOf(
  ParticipantAnswer.extend({ registeredAt: IsoInstant.describe('When the operator registered it') }),
);

export const IssuedKeyAnswer = z.strictObject({
  keyId: z.string(),
  apiKey: z.string().describe('The key itself: shown in this answer only, never again'),
  prefix: z.string(),
});
