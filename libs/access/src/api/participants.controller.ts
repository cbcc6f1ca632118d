import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Answers,
  CurrentPrincipal,
  decodeCursor,
  encodeCursor,
  type Page,
  notFound,
  Roles,
  SecretResponse,
  type Principal,
  IdParam,
} from '#lx/http';
import {
  IssueApiKey,
  RegisterParticipant,
  ReinstateParticipant,
  RevokeApiKey,
  SuspendParticipant,
} from '../application/participant-commands.js';
import { GetParticipant, ListRegistrations } from '../application/participant-queries.js';
import { toParticipantView } from './participant-view.js';
import {
  ParticipantsQuery,
  RegisterParticipantRequest,
  ReinstateParticipantRequest,
  RevokeApiKeyRequest,
  SuspendParticipantRequest,
  type ParticipantView,
} from './participant.dtos.js';
import { IssuedKeyAnswer, ParticipantAnswer, ParticipantsAnswer } from './responses.js';

/** The operator API: registers participants and manages their API keys. */
@ApiTags('operator: participants')
@Roles('operator')
@Controller('v1/participants')
export class ParticipantsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
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

  @Get()
  @Answers(ParticipantsAnswer, { description: 'Participants, oldest registration first' })
  @ApiOperation({
    summary:
      'Every registered participant (the bootstrap operator key is not one), in registration order; `?role=` keeps one role',
  })
  async list(@Query() query: ParticipantsQuery): Promise<Page<ParticipantView & { registeredAt: string }>> {
    const limit = query.limit ?? 100;
    const cursor = decodeCursor(query.cursor, { c: 'position', p: 'position' });
    const after = cursor ? { commit: BigInt(cursor.c), prepare: BigInt(cursor.p) } : null;
    const found = await this.queries.execute(new ListRegistrations(limit + 1, after, query.role));
    const shown = found.slice(0, limit);
    const items = await Promise.all(
      shown.map(async ({ participantId, registeredAt }) => ({
        ...(await this.get(participantId)),
        registeredAt,
      })),
    );
    const last = shown.at(-1);
    return found.length > limit && last
      ? {
          items,
          nextCursor: encodeCursor({ c: String(last.position.commit), p: String(last.position.prepare) }),
        }
      : { items };
  }

  @Get(':participantId')
  @ApiOperation({ summary: 'A participant and its API keys (never the keys themselves)' })
  @Answers(ParticipantAnswer, { description: 'The participant and its keys' })
  async get(@IdParam('participantId') participantId: string): Promise<ParticipantView> {
    const state = await this.queries.execute(new GetParticipant(participantId));
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

  @Post(':participantId/reinstate')
  @ApiOperation({
    summary:
      'Lift a suspension: the participant’s keys that were not revoked work again (its closed orders stay closed)',
  })
  @Answers(ParticipantAnswer, { description: 'The participant, active again' })
  @HttpCode(200)
  async reinstate(
    @IdParam('participantId') participantId: string,
    @Body() body: ReinstateParticipantRequest,
    @CurrentPrincipal() operator: Principal,
  ): Promise<ParticipantView> {
    await this.get(participantId);
    await this.commands.execute(new ReinstateParticipant(participantId, operator.participantId, body.reason));
    return this.get(participantId);
  }
}
