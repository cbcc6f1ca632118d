import { Controller, Get, Header, Injectable, Module, type NestMiddleware } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { supervisionStatuses } from '#lx/event-store';
import { Public } from './principal.js';

/** One Prometheus registry per process; libraries register their own gauges (engine lag, queues …). */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

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

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Public()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  metrics(): Promise<string> {
    return metricsRegistry.metrics();
  }
}

@Module({
  controllers: [MetricsController],
  providers: [HttpMetricsMiddleware],
  exports: [HttpMetricsMiddleware],
})
export class MetricsModule {}
