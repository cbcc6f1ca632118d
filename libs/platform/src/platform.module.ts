import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { ExchangeConfig } from '#lx/config';
import { eventCatalogue } from '#lx/contracts';
import { clientReportingErrors, EventStoreModule, POSTGRES_POOL } from '#lx/event-store';
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
  /**
   * Connections the process's pool holds beyond the read models' and the event store's, for the
   * app's other users of it (the sellers' write side had a pool of 10 of its own).
   */
  extraPoolConnections?: number;
}

/**
 * What the read models' DataSource and the event store each had as a pool of its own before they
 * shared one: the shared pool holds their sum, so neither has fewer connections at its disposal.
 */
const READ_MODEL_CONNECTIONS = 10;
const EVENT_STORE_CONNECTIONS = 10;

/**
 * The process's one PostgreSQL pool is the one TypeORM's postgres driver opened for the read
 * models' DataSource: the event store and the other adapters query through it too. Taken from
 * TypeORM rather than handed to it, because TypeORM has no option to use a pool it did not open,
 * and this way the event store's library knows nothing of TypeORM (it takes any `pg.Pool`).
 */
export function processPoolOf(dataSource: DataSource): pg.Pool {
  return (dataSource.driver as PostgresDriver).master as pg.Pool;
}

/**
 * The infrastructure every app is composed on: the event store chosen by configuration, the
 * process's PostgreSQL pool (read models, event store, write-side tables; provided as
 * POSTGRES_POOL), Redis, the CQRS buses and the common HTTP behaviour.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const { config } = options;
    const hosted = options.projections ?? [];
    const served = [...hosted, ...(options.readProjections ?? []).filter((p) => !hosted.includes(p))];
    const postgresLog = new Logger('postgres');
    return {
      module: PlatformModule,
      global: true,
      providers: [{ provide: POSTGRES_POOL, inject: [DataSource], useFactory: processPoolOf }],
      exports: [POSTGRES_POOL],
      imports: [
        CqrsModule.forRoot(),
        EventStoreModule.forRoot({
          kind: config.LX_EVENT_STORE,
          postgresUrl: config.LX_DATABASE_URL,
          eventStoreDbUrl: config.LX_EVENTSTOREDB_URL,
          registry: eventCatalogue,
          sharePool: true,
        }),
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: config.LX_DATABASE_URL,
          entities: [...readModelEntities(served), ...(options.entities ?? [])] as never[],
          synchronize: false,
          extra: {
            options: readModelSearchPath(served),
            max: READ_MODEL_CONNECTIONS + EVENT_STORE_CONNECTIONS + (options.extraPoolConnections ?? 0),
            // Every connection logs its errors: the pool's users check clients out themselves
            // (the event store's transactions), and TypeORM listens only on the pool.
            Client: clientReportingErrors('postgres', (message, error) =>
              postgresLog.error(`${message}${error ? `: ${String(error)}` : ''}`),
            ),
          },
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
        ProjectionsHostModule.forRoot(hosted, { readyMaxLagSeconds: config.LX_READY_MAX_LAG_SECONDS }),
      ],
    };
  }
}
