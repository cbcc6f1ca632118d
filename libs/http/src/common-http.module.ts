import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { IDEMPOTENCY_DIGEST_KEY, IdempotencyInterceptor } from './idempotency.interceptor.js';
import { FailedAttemptLimiter, FAILED_ATTEMPTS_PER_MINUTE } from './failed-attempt-limiter.js';
import { RateLimiter, RATE_LIMIT_PER_MINUTE } from './rate-limiter.js';
import { RedisModule, type RedisOptions } from './redis.js';
import { HealthModule } from './health.js';
import { HttpMetricsMiddleware, MetricsModule, type MetricsAccess } from './metrics.js';
import { CHECK_RESPONSES, ResponseSchemaCheck } from './openapi.js';
import { AppLogger, createLogger, requestLogging, type LogFormat } from './logging.js';

export interface CommonHttpOptions {
  appName: string;
  logLevel: string;
  logFormat: LogFormat;
  checkResponses: boolean;
  redis: RedisOptions;
  rateLimitPerMinute: number;
  /** Failed authentications per minute from one source address, and for one key id. */
  failedAttemptsPerMinute: number;
  /** LX_IDEMPOTENCY_KEY: keys the request digests of Idempotency-Key records. */
  idempotencyDigestKey: string;
  /** Who may read /metrics (LX_METRICS_KEY, and whether this is a deployment). */
  metrics: MetricsAccess;
}

/** What every app shares: logs, problem+json errors, idempotency, rate limits, health, metrics. */
@Module({})
export class CommonHttpModule implements NestModule {
  constructor(private readonly logger: AppLogger) {}

  static forRoot(options: CommonHttpOptions): DynamicModule {
    return {
      module: CommonHttpModule,
      global: true,
      imports: [RedisModule.forRoot(options.redis), HealthModule, MetricsModule.forRoot(options.metrics)],
      providers: [
        {
          provide: AppLogger,
          useValue: new AppLogger(
            createLogger({ appName: options.appName, level: options.logLevel, format: options.logFormat }),
          ),
        },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: IDEMPOTENCY_DIGEST_KEY, useValue: options.idempotencyDigestKey },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: CHECK_RESPONSES, useValue: options.checkResponses },
        { provide: APP_INTERCEPTOR, useClass: ResponseSchemaCheck },
        { provide: RATE_LIMIT_PER_MINUTE, useValue: options.rateLimitPerMinute },
        RateLimiter,
        { provide: FAILED_ATTEMPTS_PER_MINUTE, useValue: options.failedAttemptsPerMinute },
        FailedAttemptLimiter,
      ],
      exports: [RateLimiter, FailedAttemptLimiter, AppLogger],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestLogging(this.logger.pino), HttpMetricsMiddleware).forRoutes('*path');
  }
}
