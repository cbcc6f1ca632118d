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
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
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

const httpDuration = new Histogram({
  name: 'lx_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
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
