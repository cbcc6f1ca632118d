import { Module, type DynamicModule } from '@nestjs/common';
import { EventSourcingModule } from '#lx/event-sourcing';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import type { VaultMasterKeys } from '#lx/vault';
import { authenticityCommandHandlers } from './application/authenticity-commands.js';
import { authenticityQueryHandlers } from './application/authenticity-queries.js';
import { AuthenticityReads } from './application/authenticity-reads.port.js';
import { AuthenticityVerifier } from './application/authenticity-verifier.port.js';
import { LeadContacts } from './application/lead-contacts.port.js';
import { AuthenticityController } from './api/authenticity.controller.js';
import {
  AUTHENTICITY_OPTIONS,
  AuthenticitySamplerHost,
  type AuthenticityOptions,
} from './infrastructure/authenticity-sampler.host.js';
import { PostgresAuthenticityReads } from './infrastructure/postgres-authenticity-reads.js';
import { StaffTaskQueue } from './infrastructure/staff-task-queue.js';
import { VaultLeadContacts } from './infrastructure/vault-lead-contacts.js';

export interface AuthenticityModuleOptions extends AuthenticityOptions {
  vault: { databaseUrl: string; masterKeys: VaultMasterKeys };
}

/**
 * Selective authenticity checks (docs/architecture.md §4.1): the sampler, the verification staff's
 * task queue and the operators' decisions on held batches. Its read model (`authenticityProjection`)
 * is hosted by the app.
 */
@Module({})
export class AuthenticityModule {
  static forRoot(options: AuthenticityModuleOptions): DynamicModule {
    return {
      module: AuthenticityModule,
      imports: [EventSourcingModule],
      controllers: [AuthenticityController],
      providers: [
        { provide: AUTHENTICITY_OPTIONS, useValue: options },
        { provide: AuthenticityReads, useClass: PostgresAuthenticityReads },
        // The human queue; a verification provider's adapter would be bound here instead.
        { provide: AuthenticityVerifier, useClass: StaffTaskQueue },
        {
          provide: LeadContacts,
          useFactory: (store: EventStore) =>
            new VaultLeadContacts(store, options.vault.databaseUrl, options.vault.masterKeys),
          inject: [EVENT_STORE],
        },
        AuthenticitySamplerHost,
        ...authenticityCommandHandlers,
        ...authenticityQueryHandlers,
      ],
    };
  }
}
