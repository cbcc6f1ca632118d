import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import type { Projection } from './projection.js';
import { READINESS_CHECKS } from '#lx/http';
import { ProjectionRunner, type ProjectionStatus } from './projection-runner.js';
import { HOSTED_PROJECTIONS } from './hosted-projections.js';
import { PROJECTION_LAG_OPTIONS, ProjectionLagMonitor, type ProjectionLagOptions } from './projection-lag.js';

/**
 * Runs an app's projections for as long as the app runs: one runner each, started after the
 * app's providers exist and stopped on shutdown. Several instances of an app may run the same
 * projections: the checkpoint's compare-and-set lets exactly one apply each event.
 */
@Injectable()
export class ProjectionsHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('projections');
  private readonly runners = new Map<string, ProjectionRunner>();

  constructor(
    @Inject(HOSTED_PROJECTIONS) private readonly projections: readonly Projection[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const projection of this.projections)
      this.runners.set(
        projection.name,
        await ProjectionRunner.start({
          projection,
          store: this.store,
          dataSource: this.dataSource,
          log: (message, error) => this.logger.warn(error ? `${message}: ${String(error)}` : message),
        }),
      );
  }

  runner(name: string): ProjectionRunner {
    const runner = this.runners.get(name);
    if (!runner) throw new Error(`Projection ${name} is not hosted by this app`);
    return runner;
  }

  /** Each hosted projection with its runner. */
  all(): { projection: Projection; runner: ProjectionRunner }[] {
    return this.projections.map((projection) => ({ projection, runner: this.runner(projection.name) }));
  }

  async statuses(): Promise<ProjectionStatus[]> {
    return Promise.all([...this.runners.values()].map((runner) => runner.status()));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }
}

@Module({})
export class ProjectionsHostModule {
  /**
   * Hosts these projections; give their entities and schemas to PlatformModule as well. Their lag
   * is on /metrics and in /health/ready.
   */
  static forRoot(projections: readonly Projection[], lag: ProjectionLagOptions): DynamicModule {
    return {
      module: ProjectionsHostModule,
      global: true,
      providers: [
        { provide: HOSTED_PROJECTIONS, useValue: projections },
        ProjectionsHost,
        { provide: PROJECTION_LAG_OPTIONS, useValue: lag },
        ProjectionLagMonitor,
        {
          provide: READINESS_CHECKS,
          inject: [ProjectionLagMonitor],
          useFactory: (monitor: ProjectionLagMonitor) => [monitor],
        },
      ],
      exports: [ProjectionsHost, READINESS_CHECKS],
    };
  }
}
