import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '#lx/event-sourcing';
import { participantDecider } from '../domain/participant-decider.js';
import type { Role } from '../domain/role.js';
import { generateApiKey, hashApiKey } from './api-key-secrets.js';
import { participantStream } from './participant-stream.js';

export class RegisterParticipant extends Command<{ participantId: string }> {
  constructor(
    readonly role: Role,
    readonly name: string,
    readonly actor: string,
    readonly country?: string,
  ) {
    super();
  }
}

export class IssueApiKey extends Command<{ keyId: string; apiKey: string; prefix: string }> {
  constructor(
    readonly participantId: string,
    readonly actor: string,
  ) {
    super();
  }
}

export class RevokeApiKey extends Command<void> {
  constructor(
    readonly participantId: string,
    readonly keyId: string,
    readonly actor: string,
    readonly reason?: string,
  ) {
    super();
  }
}

export class SuspendParticipant extends Command<void> {
  constructor(
    readonly participantId: string,
    readonly reason: string,
    readonly actor: string,
  ) {
    super();
  }
}

export class ReinstateParticipant extends Command<void> {
  constructor(
    readonly participantId: string,
    readonly actor: string,
    readonly reason?: string,
  ) {
    super();
  }
}

@CommandHandler(RegisterParticipant)
export class RegisterParticipantHandler implements ICommandHandler<RegisterParticipant> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute(command: RegisterParticipant): Promise<{ participantId: string }> {
    const participantId = randomUUID();
    await this.repository.handle(
      participantStream(participantId),
      participantDecider,
      { kind: 'register', participantId, role: command.role, name: command.name, country: command.country },
      { metadata: { actor: command.actor } },
    );
    return { participantId };
  }
}

@CommandHandler(IssueApiKey)
export class IssueApiKeyHandler implements ICommandHandler<IssueApiKey> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute(command: IssueApiKey): Promise<{ keyId: string; apiKey: string; prefix: string }> {
    const { apiKey, keyId, prefix } = generateApiKey(command.participantId);
    const hash = await hashApiKey(apiKey);
    await this.repository.handle(
      participantStream(command.participantId),
      participantDecider,
      { kind: 'issue-key', keyId, prefix, hash },
      { metadata: { actor: command.actor } },
    );
    return { keyId, apiKey, prefix };
  }
}

@CommandHandler(RevokeApiKey)
export class RevokeApiKeyHandler implements ICommandHandler<RevokeApiKey> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute(command: RevokeApiKey): Promise<void> {
    await this.repository.handle(
      participantStream(command.participantId),
      participantDecider,
      { kind: 'revoke-key', keyId: command.keyId, reason: command.reason },
      { metadata: { actor: command.actor } },
    );
  }
}

@CommandHandler(SuspendParticipant)
export class SuspendParticipantHandler implements ICommandHandler<SuspendParticipant> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute(command: SuspendParticipant): Promise<void> {
    await this.repository.handle(
      participantStream(command.participantId),
      participantDecider,
      { kind: 'suspend', reason: command.reason },
      { metadata: { actor: command.actor } },
    );
  }
}

@CommandHandler(ReinstateParticipant)
export class ReinstateParticipantHandler implements ICommandHandler<ReinstateParticipant> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute(command: ReinstateParticipant): Promise<void> {
    await this.repository.handle(
      participantStream(command.participantId),
      participantDecider,
      { kind: 'reinstate', ...(command.reason ? { reason: command.reason } : {}) },
      { metadata: { actor: command.actor } },
    );
  }
}

export const participantCommandHandlers = [
  RegisterParticipantHandler,
  IssueApiKeyHandler,
  RevokeApiKeyHandler,
  SuspendParticipantHandler,
  ReinstateParticipantHandler,
];
