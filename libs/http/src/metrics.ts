import {
  Controller,
  Get,
  Header,
  Headers,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type NestMiddleware,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { supervisionStatuses } from '#lx/event-store';
import { Public } from './principal.js';
import { notFound, ProblemException } from './problem-details.js';
import { secretsEqual } from './secrets-equal.js';

/** Who may read /metrics: with a key, only its bearer; without one, everyone in development and no one in a deployment. */
export interface MetricsAccess {
  key?: string;
  deployment: boolean;
}

export const METRICS_ACCESS = Symbol('METRICS_ACCESS');

/** One Prometheus registry per process; libraries register their own gauges (engine lag, queues …). */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

export interface GaugeSample<L extends string> {
  labels?: Partial<Record<L, string>>;
  value: number;
}

/**
 * A gauge read from its source of truth (database, Redis) on every scrape, so that every instance
 * of an app reports the same, right value. Registering a name again replaces the gauge (an app
 * started again in the same process); the returned function unregisters it. A source that cannot
 * be read leaves the gauge without samples for that scrape rather than failing the whole scrape.
 */
export function registerScrapedGauge<L extends string>(options: {
  name: string;
  help: string;
  labelNames?: readonly L[];
  read: () => Promise<GaugeSample<L>[]>;
}): () => void {
  metricsRegistry.removeSingleMetric(options.name);
  const gauge: Gauge<L> = new Gauge<L>({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames ?? [],
    registers: [metricsRegistry],
    async collect() {
      const samples = await options.read().catch(() => []);
      gauge.reset();
      for (const { labels, value } of samples) gauge.set((labels ?? {}) as Record<L, string>, value);
    },
  });
  return () => {
    if (metricsRegistry.getSingleMetric(options.name) === gauge)
      metricsRegistry.removeSingleMetric(options.name);
  };
}

const httpDuration = new Histogram({
  name: 'lx_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

/*
 * Every supervised subscription, projection and engine of the process (see Supervisor): how far
 * behind the log it is, how often it was restarted, whether it still runs.
 */
new Gauge({
  name: 'lx_subscription_lag_events',
  help: 'Events a subscription or projection has not handled yet (counted up to 1000)',
  labelNames: ['name'],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const status of await supervisionStatuses())
      if (status.lagEvents !== null) this.set({ name: status.name }, status.lagEvents);
  },
});
new Gauge({
  name: 'lx_subscription_restarts',
  help: 'Times a subscription, projection or engine was restarted after a failure, in this process',
  labelNames: ['name'],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const status of await supervisionStatuses({ withLag: false }))
      this.set({ name: status.name }, status.restarts);
  },
});
new Gauge({
  name: 'lx_subscription_running',
  help: '1 while a subscription, projection or engine runs; 0 once it gave up',
  labelNames: ['name'],
  registers: [metricsRegistry],
  async collect() {
    this.reset();
    for (const status of await supervisionStatuses({ withLag: false }))
      this.set({ name: status.name }, status.running ? 1 : 0);
  },
});

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  use(request: Request, response: Response, next: NextFunction): void {
    const stop = httpDuration.startTimer({ method: request.method });
    response.on('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ route: `${request.baseUrl}${route}`, status: String(response.statusCode) });
    });
    next();
  }
}

/**
 * `/metrics` tells an outsider the exchange's volumes, queues and participants' activity: outside
 * development it is served only to the bearer of LX_METRICS_KEY (a scraper), and is off without one.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(METRICS_ACCESS) private readonly access: MetricsAccess) {}

  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metrics(@Headers('authorization') authorization?: string): Promise<string> {
    if (this.access.key) {
      if (!bearerMatches(authorization, this.access.key))
        throw new ProblemException(
          401,
          'unauthenticated',
          'Unauthenticated',
          'Send the metrics key: Authorization: Bearer <LX_METRICS_KEY>',
        );
    } else if (this.access.deployment)
      throw notFound('/metrics (off outside development without LX_METRICS_KEY)');
    return metricsRegistry.metrics();
  }
}

function bearerMatches(authorization: string | undefined, key: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? '';
  return secretsEqual(presented, key);
}

@Module({})
export class MetricsModule {
  static forRoot(access: MetricsAccess): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [HttpMetricsMiddleware, { provide: METRICS_ACCESS, useValue: access }],
      exports: [HttpMetricsMiddleware],
    };
  }
}
