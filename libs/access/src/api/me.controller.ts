import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, notFound, Roles, type Principal, Answers, IdParam } from '#lx/http';
import { GetParticipant } from '../application/participant-queries.js';
import { toParticipantView } from './participant-view.js';
import type { ParticipantView } from './participant.dtos.js';
import { ApiKeyAnswer, ParticipantAnswer } from './responses.js';

/** Every participant can see itself and its own keys — and nobody else's (404). */
@ApiTags('me')
@Roles('seller', 'buyer', 'auditor', 'operator')
@Controller('v1/me')
export class MeController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Answers(ParticipantAnswer, {
    description: 'The calling participant and its keys (never the keys themselves)',
  })
  @ApiOperation({ summary: 'The calling participant' })
  async me(@CurrentPrincipal() principal: Principal): Promise<ParticipantView> {
    const state = await this.queries.execute(new GetParticipant(principal.participantId));
    if (!state.exists)
      return {
        participantId: principal.participantId,
        role: principal.role,
        name: 'bootstrap operator',
        suspended: false,
        apiKeys: [],
      };
    return toParticipantView(state);
  }

  @Get('api-keys/:keyId')
  @ApiOperation({ summary: 'One of my API keys: prefix, issue date, revoked or not' })
  @Answers(ApiKeyAnswer, { description: 'One of my API keys' })
  async apiKey(@CurrentPrincipal() principal: Principal, @IdParam('keyId', 'apiKeyId') keyId: string) {
    const view = await this.me(principal);
    const key = view.apiKeys.find((candidate) => candidate.keyId === keyId);
    if (!key) throw notFound(`API key ${keyId}`);
    return key;
  }
}
