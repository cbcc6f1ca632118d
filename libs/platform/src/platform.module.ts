import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { ExchangeConfig } from '#lx/config';
import { eventCatalogue } from '#lx/contracts';
import { EventStoreModule } from '#lx/event-store';
import { CommonHttpModule } from '#lx/http';

export interface PlatformOptions {
  appName: 'sellers' | 'buyers' | 'settlement';
  config: ExchangeConfig;
  /** TypeORM entities of the app's read models. */
  entities?: unknown[];
  /** Schemas of the read models this app reads (search_path order). */
  readModelSchemas?: string[];
}

/**
 * The infrastructure every app is composed on: the event store chosen by configuration, the
 * PostgreSQL read-model connection, Redis, the CQRS buses and the common HTTP behaviour.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config } = options;
    const searchPath = [...(options.readModelSchemas ?? []), 'public'].join(',');
    return {
      module: PlatformModule,
      global: true,
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.forRoot({
          kind: config.LX_EVENT_STORE,
          postgresUrl: config.LX_DATABASE_URL,
          eventStoreDbUrl: config.LX_EVENTSTOREDB_URL,
          registry: eventCatalogue,
        }),
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: config.LX_DATABASE_URL,
          entities: (options.entities ?? []) as never[],
          synchronize: false,
          extra: { options: `-c search_path=${searchPath}`, max: 10 },
        }),
        CommonHttpModule.forRoot({
          appName: options.appName,
          logLevel: config.LX_LOG_LEVEL,
          redis: {
            url: config.LX_REDIS_URL,
            prefix: config.LX_REDIS_PREFIX,
            requireNoEviction: config.LX_REQUIRE_NOEVICTION,
          },
          rateLimitPerMinute: config.LX_RATE_LIMIT_PER_MINUTE,
        }),
      ],
    };
  }
}
