import { afterEach, describe, expect, it, vi } from 'vitest';
import { appHealth } from './health';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('an app’s health, read through the console’s proxy', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reads the checks and the projections’ lag when the app is up and ready', async () => {
    const urls: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      return json(200, {
        status: 'ok',
        info: {},
        error: {},
        details: url.endsWith('/ready')
          ? {
              database: { status: 'up', latencyMs: 1.2 },
              projections: { status: 'up', ledger: { eventsBehind: 3, seconds: 0.4 } },
            }
          : { database: { status: 'up', latencyMs: 1.2 }, redis: { status: 'up', latencyMs: 0.3 } },
      });
    });
    const health = await appHealth('settlement', 'http://console');
    expect(urls).toEqual([
      'http://console/api/settlement/health',
      'http://console/api/settlement/health/ready',
    ]);
    expect(health).toEqual({
      app: 'settlement',
      health: 'up',
      ready: 'up',
      checks: [
        { name: 'database', status: 'up', latencyMs: 1.2 },
        { name: 'redis', status: 'up', latencyMs: 0.3 },
      ],
      projections: [{ name: 'ledger', eventsBehind: 3, seconds: 0.4 }],
    });
  });

  it('says down with the failing checks on a 503, and unreachable on an answer without the schema', async () => {
    vi.stubGlobal('fetch', async (url: string) =>
      url.endsWith('/ready')
        ? json(200, { hello: 'world' })
        : json(503, {
            type: 'about:blank',
            title: 'Unavailable',
            status: 503,
            detail: 'redis: connection refused',
            checks: { database: { status: 'up' }, redis: { status: 'down', message: 'connection refused' } },
          }),
    );
    const health = await appHealth('buyers', 'http://console');
    expect(health.health).toBe('down');
    expect(health.ready).toBe('unreachable');
    expect(health.checks).toEqual([
      { name: 'database', status: 'up' },
      { name: 'redis', status: 'down' },
    ]);
    expect(health.problem).toBe('redis: connection refused');
  });
});
