import { Controller, Get, Inject, Module, Optional, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  TerminusModule,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { ApiExcludeController } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { EVENT_STORE, supervisionStatuses, type EventStore } from '#lx/event-store';
import { REDIS } from './redis.js';
import { Public } from './principal.js';
import { ProblemException } from './problem-details.js';

/** Something besides reachability that an instance must meet to take traffic (projections not lagging). */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<{ ready: boolean; details: Record<string, unknown> }>;
}

/** Optional provider of the app's readiness checks (global modules provide it). */
export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/**
 * For operators, load balancers and orchestrators (see the README), not part of the business API's
 * documents. `/health`: the database, Redis, the event store and the supervised subscriptions
 * (restarts, last error), each probed; 503 when one is down or a subscription gave up.
 * `/health/live`: the process answers (no dependency, so a database outage restarts nothing).
 * `/health/ready`: the same probes and the readiness checks (no projection lagging); 503 with the
 * reason otherwise.
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Optional() @Inject(READINESS_CHECKS) private readonly readiness: readonly ReadinessCheck[] | null,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.answer(this.dependencies());
  }

  @Get('live')
  @Public()
  @HealthCheck()
  live() {
    return this.answer([]);
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  ready() {
    return this.answer([
      ...this.dependencies(),
      ...(this.readiness ?? []).map((readiness) => async () => {
        const session = this.indicators.check(readiness.name);
        const { ready, details } = await readiness.check();
        return ready ? session.up(details) : session.down(details);
      }),
    ]);
  }

  /** The checks' result; when one is down, a 503 problem whose detail names each failing check and why. */
  private async answer(checks: HealthIndicatorFunction[]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const failing = Object.entries(result.error ?? {}).map(
        ([name, details]) => `${name}: ${String((details as { message?: unknown }).message ?? 'down')}`,
      );
      throw new ProblemException(503, 'unavailable', 'Unavailable', failing.join('; '), {
        checks: result.details,
      });
    }
  }

  private dependencies(): HealthIndicatorFunction[] {
    return [
      () => this.probe('database', () => this.dataSource.query('SELECT 1')),
      () => this.probe('redis', () => this.redis.ping()),
      () => this.probe('eventStore', () => this.eventStore.ping()),
      () => this.subscriptions(),
    ];
  }

  private async subscriptions() {
    const session = this.indicators.check('subscriptions');
    const statuses = await supervisionStatuses({ withLag: false });
    const details = Object.fromEntries(
      statuses.map(({ name, running, restarts, consecutiveFailures, lastError }) => [
        name,
        { running, restarts, consecutiveFailures, lastError },
      ]),
    );
    return statuses.some((status) => status.gaveUp) ? session.down(details) : session.up(details);
  }

  private async probe<const K extends string>(key: K, ping: () => Promise<unknown>) {
    const session = this.indicators.check(key);
    const started = performance.now();
    try {
      await ping();
      return session.up({ latencyMs: Math.round((performance.now() - started) * 10) / 10 });
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}

@Module({ imports: [TerminusModule], controllers: [HealthController] })
export class HealthModule {}
