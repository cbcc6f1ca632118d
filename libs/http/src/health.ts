import { Controller, Get, Inject, Module } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { EVENT_STORE, supervisionStatuses, type EventStore } from '#lx/event-store';
import { REDIS } from './redis.js';
import { Public } from './principal.js';

/**
 * `/health`: the database, Redis and the event store, each probed, and the supervised
 * subscriptions (restarts, last error); 503 when one is down or a subscription gave up.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.probe('database', () => this.dataSource.query('SELECT 1')),
      () => this.probe('redis', () => this.redis.ping()),
      () => this.probe('eventStore', () => this.eventStore.ping()),
      () => this.subscriptions(),
    ]);
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
