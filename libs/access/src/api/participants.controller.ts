import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import {
  Answers,
  CurrentPrincipal,
  notFound,
  Roles,
  SecretResponse,
  type Principal,
  IdParam,
} from '#lx/http';
import {
  IssueApiKey,
  RegisterParticipant,
  RevokeApiKey,
  SuspendParticipant,
} from '../application/participant-commands.js';
import { loadParticipant } from '../application/participant-stream.js';
import { toParticipantView } from './participant-view.js';
import {
  RegisterParticipantRequest,
  RevokeApiKeyRequest,
  SuspendParticipantRequest,
  type ParticipantView,
} from './participant.dtos.js';
import { IssuedKeyAnswer, ParticipantAnswer } from './responses.js';

/** The operator API: registers participants and manages their API keys. */
@ApiTags('operator: participants')
@Roles('operator')
@Controller('v1/participants')
export class ParticipantsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post()
  @Answers(ParticipantAnswer, { status: 201, description: 'The participant, registered' })
  @ApiOperation({ summary: 'Register a seller, buyer, auditor or operator' })
  async register(
    @Body() body: RegisterParticipantRequest,
    @CurrentPrincipal() operator: Principal,
  ): Promise<ParticipantView> {
    const { participantId } = await this.commands.execute(
      new RegisterParticipant(body.role, body.name, operator.participantId, body.country),
    );
    return this.get(participantId);
  }

  @Get(':participantId')
  @ApiOperation({ summary: 'A participant and its API keys (never the keys themselves)' })
  @Answers(ParticipantAnswer, { description: 'The participant and its keys' })
  async get(@IdParam('participantId') participantId: string): Promise<ParticipantView> {
    const { state } = await loadParticipant(this.store, participantId);
    if (!state.exists) throw notFound(`Participant ${participantId}`);
    return toParticipantView(state);
  }

  @Post(':participantId/api-keys')
  @Answers(IssuedKeyAnswer, { status: 201, description: 'The new key, shown once' })
  @ApiOperation({
    summary:
      'Issue an API key: the key is in this response only, and never shown again (a retry with the same Idempotency-Key gets 409 with the key id, not the key)',
  })
  @SecretResponse('apiKey')
  async issueKey(@IdParam('participantId') participantId: string, @CurrentPrincipal() operator: Principal) {
    await this.get(participantId);
    return this.commands.execute(new IssueApiKey(participantId, operator.participantId));
  }

  @Post(':participantId/api-keys/:keyId/revoke')
  @ApiOperation({ summary: 'Revoke an API key: it stops working on the next request' })
  @Answers(ParticipantAnswer, { description: 'The participant, its key revoked' })
  @HttpCode(200)
  async revokeKey(
    @IdParam('participantId') participantId: string,
    @IdParam('keyId', 'apiKeyId') keyId: string,
    @Body() body: RevokeApiKeyRequest,
    @CurrentPrincipal() operator: Principal,
  ): Promise<ParticipantView> {
    const participant = await this.get(participantId);
    if (!participant.apiKeys.some((key) => key.keyId === keyId)) throw notFound(`API key ${keyId}`);
    await this.commands.execute(new RevokeApiKey(participantId, keyId, operator.participantId, body.reason));
    return this.get(participantId);
  }

  @Post(':participantId/suspend')
  @ApiOperation({ summary: 'Suspend a participant: its keys stop working and its orders close' })
  @Answers(ParticipantAnswer, { description: 'The participant, suspended' })
  @HttpCode(200)
  async suspend(
    @IdParam('participantId') participantId: string,
    @Body() body: SuspendParticipantRequest,
    @CurrentPrincipal() operator: Principal,
  ): Promise<ParticipantView> {
    await this.get(participantId);
    await this.commands.execute(new SuspendParticipant(participantId, body.reason, operator.participantId));
    return this.get(participantId);
  }
}
