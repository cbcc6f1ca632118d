import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { ExchangeConfig } from '#lx/config';
import { eventCatalogue } from '#lx/contracts';
import { EventStoreModule } from '#lx/event-store';
import { CommonHttpModule } from '#lx/http';
import {
  ProjectionsHostModule,
  readModelEntities,
  readModelSearchPath,
  type Projection,
} from '#lx/projections';

export interface PlatformOptions {
  appName: 'sellers' | 'buyers' | 'settlement';
  config: ExchangeConfig;
  /** Read models this app builds and serves: their runners are hosted, their tables on the search_path. */
  projections?: readonly Projection[];
  /** Read models this app only reads (built by another app): their tables go on the search_path. */
  readProjections?: readonly Projection[];
  /** Other TypeORM entities of the app. */
  entities?: unknown[];
}

/**
 * The infrastructure every app is composed on: the event store chosen by configuration, the
 * PostgreSQL read-model connection, Redis, the CQRS buses and the common HTTP behaviour.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config } = options;
    const hosted = options.projections ?? [];
    const served = [...hosted, ...(options.readProjections ?? []).filter((p) => !hosted.includes(p))];
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
          entities: [...readModelEntities(served), ...(options.entities ?? [])] as never[],
          synchronize: false,
          extra: { options: readModelSearchPath(served), max: 10 },
        }),
        CommonHttpModule.forRoot({
          appName: options.appName,
          logLevel: config.LX_LOG_LEVEL,
          logFormat: config.LX_LOG_FORMAT,
          checkResponses: config.LX_CHECK_RESPONSES,
          redis: {
            url: config.LX_REDIS_URL,
            prefix: config.LX_REDIS_PREFIX,
            requireNoEviction: config.LX_REQUIRE_NOEVICTION,
          },
          rateLimitPerMinute: config.LX_RATE_LIMIT_PER_MINUTE,
          failedAttemptsPerMinute: config.LX_AUTH_FAILURES_PER_MINUTE,
          idempotencyDigestKey: config.LX_IDEMPOTENCY_KEY,
          metrics: { key: config.LX_METRICS_KEY, deployment: config.deployment },
        }),
        ProjectionsHostModule.forRoot(hosted),
      ],
    };
  }
}
