import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EventSourcingModule } from '#lx/event-sourcing';
import { ApiKeyAuthenticator, OPERATOR_BOOTSTRAP_KEY } from './application/api-key-authenticator.js';
import { participantCommandHandlers } from './application/participant-commands.js';
import { REFUSED_KEYS } from './application/refused-keys.port.js';
import { ApiKeyGuard } from './api/api-key.guard.js';
import { RedisRefusedKeys } from './infrastructure/redis-refused-keys.js';
import { MeController } from './api/me.controller.js';
import { ParticipantsController } from './api/participants.controller.js';

export interface AccessOptions {
  /** LX_OPERATOR_API_KEY: the first operator key, before any operator is registered. */
  bootstrapOperatorKey?: string;
  /** The settlement app serves the operator API; the others only authenticate. */
  operatorApi: boolean;
}

/** Participants, API keys and the guard that authenticates every request of an app. */
@Module({})
export class AccessModule {
  static forRoot(options: AccessOptions): DynamicModule {
    return {
      module: AccessModule,
      imports: [EventSourcingModule],
      controllers: options.operatorApi ? [MeController, ParticipantsController] : [MeController],
      providers: [
        { provide: OPERATOR_BOOTSTRAP_KEY, useValue: options.bootstrapOperatorKey },
        { provide: REFUSED_KEYS, useClass: RedisRefusedKeys },
        ApiKeyAuthenticator,
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        ...(options.operatorApi ? participantCommandHandlers : []),
      ],
      exports: [ApiKeyAuthenticator],
    };
  }
}
