import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '#lx/event-store';
import { registerScrapedGauge, type ReadinessCheck } from '#lx/http';
import { readCheckpoint } from './projection-schema.js';
import { liveSchemaOf, type Projection } from './projection.js';
import { HOSTED_PROJECTIONS } from './hosted-projections.js';

/** How far a projection's tables are behind the log: the events not yet applied, and for how long. */
export interface ProjectionLag {
  projection: string;
  /** Events of the projection's filter after its checkpoint (counting stops at MAX_COUNTED). */
  eventsBehind: number;
  /** Age of the oldest event not yet applied; 0 when none is waiting. */
  seconds: number;
}

/** A projection far behind is lagging whatever the exact number: counting stops here to keep a scrape cheap. */
const MAX_COUNTED = 10_000;
const PAGE = 1_000;

/** Reads the stored checkpoint, so any instance measures the projection, whoever applies it. */
export async function measureProjectionLag(
  projection: Projection,
  store: EventStore,
  dataSource: DataSource,
  now: Date,
): Promise<ProjectionLag> {
  const stored = await readCheckpoint(dataSource, liveSchemaOf(projection));
  let after = stored?.position ?? null;
  let eventsBehind = 0;
  let oldest: Date | null = null;
  while (eventsBehind < MAX_COUNTED) {
    const page = await store.readAll({ after, maxCount: PAGE, filter: projection.filter });
    oldest ??= page.events[0]?.recordedAt ?? null;
    eventsBehind += page.events.length;
    if (page.isEnd || page.nextAfter === null) break;
    after = page.nextAfter;
  }
  const seconds = oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0;
  return { projection: projection.name, eventsBehind: Math.min(eventsBehind, MAX_COUNTED), seconds };
}

export interface ProjectionLagOptions {
  /** LX_READY_MAX_LAG_SECONDS: a projection lagging longer makes the instance not ready. */
  readyMaxLagSeconds: number;
}

export const PROJECTION_LAG_OPTIONS = Symbol('PROJECTION_LAG_OPTIONS');

/**
 * The lag of every projection the app hosts: on /metrics (`lx_projection_lag_events`,
 * `lx_projection_lag_seconds`) and as a readiness check of `/health/ready`.
 */
@Injectable()
export class ProjectionLagMonitor implements ReadinessCheck, OnApplicationBootstrap, OnApplicationShutdown {
  readonly name = 'projections';
  private readonly unregister: (() => void)[] = [];

  constructor(
    @Inject(HOSTED_PROJECTIONS) private readonly projections: readonly Projection[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
    @Inject(PROJECTION_LAG_OPTIONS) private readonly options: ProjectionLagOptions,
  ) {}

  measure(now = new Date()): Promise<ProjectionLag[]> {
    return Promise.all(
      this.projections.map((projection) =>
        measureProjectionLag(projection, this.store, this.dataSource, now),
      ),
    );
  }

  async check(): Promise<{ ready: boolean; details: Record<string, unknown> }> {
    const lags = await this.measure();
    const lagging = lags.filter((lag) => lag.seconds > this.options.readyMaxLagSeconds);
    const details: Record<string, unknown> = Object.fromEntries(
      lags.map(({ projection, eventsBehind, seconds }) => [projection, { eventsBehind, seconds }]),
    );
    if (lagging.length > 0)
      details.message = `${lagging.map((lag) => lag.projection).join(', ')} lagging more than ${this.options.readyMaxLagSeconds} s (LX_READY_MAX_LAG_SECONDS)`;
    return { ready: lagging.length === 0, details };
  }

  onApplicationBootstrap(): void {
    this.unregister.push(
      registerScrapedGauge({
        name: 'lx_projection_lag_events',
        help: 'Events a projection has not applied yet (from its stored checkpoint; counting stops at 10000)',
        labelNames: ['projection'],
        read: async () =>
          (await this.measure()).map((lag) => ({
            labels: { projection: lag.projection },
            value: lag.eventsBehind,
          })),
      }),
      registerScrapedGauge({
        name: 'lx_projection_lag_seconds',
        help: 'Age in seconds of the oldest event a projection has not applied yet (0: up to date)',
        labelNames: ['projection'],
        read: async () =>
          (await this.measure()).map((lag) => ({
            labels: { projection: lag.projection },
            value: lag.seconds,
          })),
      }),
    );
  }

  onApplicationShutdown(): void {
    for (const unregister of this.unregister.splice(0)) unregister();
  }
}
