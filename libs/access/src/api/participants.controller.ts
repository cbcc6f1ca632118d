import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { CurrentPrincipal, IdParam, notFound, Roles, type Principal } from '#lx/http';
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
  async get(@IdParam('participantId') participantId: string): Promise<ParticipantView> {
    const { state } = await loadParticipant(this.store, participantId);
    if (!state.exists) throw notFound(`Participant ${participantId}`);
    return toParticipantView(state);
  }

  @Post(':participantId/api-keys')
  @ApiOperation({ summary: 'Issue an API key: the key is in this response only, and never shown again' })
  async issueKey(@IdParam('participantId') participantId: string, @CurrentPrincipal() operator: Principal) {
    await this.get(participantId);
    return this.commands.execute(new IssueApiKey(participantId, operator.participantId));
  }

  @Post(':participantId/api-keys/:keyId/revoke')
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
