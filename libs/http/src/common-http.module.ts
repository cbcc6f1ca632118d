import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';
import { FailedAttemptLimiter, FAILED_ATTEMPTS_PER_MINUTE } from './failed-attempt-limiter.js';
import { RateLimiter, RATE_LIMIT_PER_MINUTE } from './rate-limiter.js';
import { RedisModule, type RedisOptions } from './redis.js';
import { HealthModule } from './health.js';
import { HttpMetricsMiddleware, MetricsModule } from './metrics.js';

export interface CommonHttpOptions {
  appName: string;
  logLevel: string;
  redis: RedisOptions;
  rateLimitPerMinute: number;
  /** Failed authentications per minute from one source address, and for one key id. */
  failedAttemptsPerMinute: number;
}

/** What every app shares: logs, problem+json errors, idempotency, rate limits, health, metrics. */
@Module({})
export class CommonHttpModule implements NestModule {
  static forRoot(options: CommonHttpOptions): DynamicModule {
    return {
      module: CommonHttpModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            name: options.appName,
            level: options.logLevel,
            redact: ['req.headers.authorization', 'req.headers["x-api-key"]'],
            customProps: (request) => ({
              participant: (request as { principal?: { participantId: string } }).principal?.participantId,
            }),
          },
        }),
        RedisModule.forRoot(options.redis),
        HealthModule,
        MetricsModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: RATE_LIMIT_PER_MINUTE, useValue: options.rateLimitPerMinute },
        RateLimiter,
        { provide: FAILED_ATTEMPTS_PER_MINUTE, useValue: options.failedAttemptsPerMinute },
        FailedAttemptLimiter,
      ],
      exports: [RateLimiter, FailedAttemptLimiter],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
