import { z } from 'zod';
import { isProblem } from '../../api/problem';

/*
 * What an app's /health and /health/ready answer (Terminus; not in the OpenAPI documents, so the
 * console checks the shape itself): each check up or down with its details; a 503 problem whose
 * `checks` are the same details when one is down.
 */
const Check = z.looseObject({ status: z.enum(['up', 'down']) });
export const HealthAnswer = z.looseObject({
  status: z.enum(['ok', 'error', 'shutting_down']),
  details: z.record(z.string(), Check),
});
const DownAnswer = z.looseObject({
  title: z.string(),
  status: z.literal(503),
  detail: z.string().optional(),
  checks: z.record(z.string(), Check).optional(),
});
/** The projections check of /health/ready: per projection, events and seconds behind the log. */
const ProjectionLag = z.looseObject({ eventsBehind: z.number(), seconds: z.number() });

export const APPS = ['sellers', 'buyers', 'settlement'] as const;
export type App = (typeof APPS)[number];

export interface AppHealth {
  app: App;
  /** `up`: answered 200 with the schema; `down`: answered 503 (with the failing checks); `unreachable`: anything else. */
  health: 'up' | 'down' | 'unreachable';
  ready: 'up' | 'down' | 'unreachable';
  checks: { name: string; status: 'up' | 'down'; latencyMs?: number }[];
  projections: { name: string; eventsBehind: number; seconds: number }[];
  problem?: string;
}

async function probe(url: string) {
  try {
    const response = await globalThis.fetch(url, { headers: { accept: 'application/json' } });
    const body: unknown = await response.json().catch(() => undefined);
    if (response.ok) {
      const parsed = HealthAnswer.safeParse(body);
      return parsed.success
        ? { state: 'up' as const, checks: parsed.data.details }
        : { state: 'unreachable' as const, problem: 'The answer does not have the expected shape' };
    }
    const down = DownAnswer.safeParse(body);
    if (down.success)
      return { state: 'down' as const, checks: down.data.checks ?? {}, problem: down.data.detail };
    return {
      state: 'unreachable' as const,
      problem: isProblem(body) ? body.title : `${response.status} ${response.statusText}`,
    };
  } catch (error) {
    return { state: 'unreachable' as const, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** One app's health and readiness, through the console's proxy. */
export async function appHealth(app: App, origin = window.location.origin): Promise<AppHealth> {
  const [health, ready] = await Promise.all([
    probe(`${origin}/api/${app}/health`),
    probe(`${origin}/api/${app}/health/ready`),
  ]);
  const checks = Object.entries(health.checks ?? {}).map(([name, check]) => ({
    name,
    status: check.status,
    ...(typeof check.latencyMs === 'number' ? { latencyMs: check.latencyMs } : {}),
  }));
  const projections = Object.entries(ready.checks?.projections ?? {})
    .filter(([name]) => name !== 'status')
    .flatMap(([name, value]) => {
      const lag = ProjectionLag.safeParse(value);
      return lag.success ? [{ name, eventsBehind: lag.data.eventsBehind, seconds: lag.data.seconds }] : [];
    });
  const problem = health.problem ?? ready.problem;
  return {
    app,
    health: health.state,
    ready: ready.state,
    checks,
    projections,
    ...(problem ? { problem } : {}),
  };
}
