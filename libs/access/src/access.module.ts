import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EventSourcingModule } from '#lx/event-sourcing';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { ApiKeyAuthenticator } from './application/api-key-authenticator.js';
import { BOOTSTRAP_OPERATOR, BootstrapOperatorKey } from './application/bootstrap-operator.js';
import { participantCommandHandlers } from './application/participant-commands.js';
import { participantQueryHandlers } from './application/participant-queries.js';
import { REFUSED_KEYS } from './application/refused-keys.port.js';
import { ApiKeyGuard } from './api/api-key.guard.js';
import { RedisRefusedKeys } from './infrastructure/redis-refused-keys.js';
import { MeController } from './api/me.controller.js';
import { ParticipantsController } from './api/participants.controller.js';
import { QueueBoardController, QueueBoardGuard } from './api/queue-board.controller.js';
import { SystemQueuesController } from './api/system-queues.controller.js';

export interface AccessOptions {
  /** LX_OPERATOR_API_KEY: the first operator key, until a registered operator holds a key. */
  bootstrapOperatorKey?: string;
  /** LX_KEEP_BOOTSTRAP_OPERATOR_KEY: the bootstrap key keeps working after that (warned at start). */
  keepBootstrapOperatorKey?: boolean;
  /** The settlement app serves the operator API; the others only authenticate. */
  operatorApi: boolean;
  /** Serves Bull Board at /admin/queues to operators: the BullMQ queues of the app. */
  queueBoard?: boolean;
}

/** Participants, API keys and the guard that authenticates every request of an app. */
@Module({})
export class AccessModule {
  static forRoot(options: AccessOptions): DynamicModule {
    return {
      module: AccessModule,
      imports: [EventSourcingModule],
      controllers: [
        MeController,
        ...(options.operatorApi ? [ParticipantsController] : []),
        ...(options.queueBoard ? [QueueBoardController, SystemQueuesController] : []),
      ],
      providers: [
        { provide: REFUSED_KEYS, useClass: RedisRefusedKeys },
        {
          provide: BOOTSTRAP_OPERATOR,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => {
            const keep = options.keepBootstrapOperatorKey ?? false;
            if (options.bootstrapOperatorKey && keep)
              new Logger('AccessModule').warn(
                'LX_KEEP_BOOTSTRAP_OPERATOR_KEY=true: LX_OPERATOR_API_KEY keeps working after an operator is registered and cannot be revoked; unset it once a registered operator holds a key',
              );
            return new BootstrapOperatorKey({ key: options.bootstrapOperatorKey, keep }, store);
          },
        },
        ApiKeyAuthenticator,
        ApiKeyGuard,
        { provide: APP_GUARD, useExisting: ApiKeyGuard },
        ...(options.queueBoard ? [QueueBoardGuard] : []),
        ...(options.operatorApi ? participantCommandHandlers : []),
        ...participantQueryHandlers,
      ],
      exports: [ApiKeyAuthenticator],
    };
  }
}
