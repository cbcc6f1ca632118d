import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from './test-database.js';
import { flushRedisPrefix } from './faults.js';

export type AppName = 'sellers' | 'buyers' | 'settlement';

export interface RunningExchange {
  database: TestDatabase;
  operatorKey: string;
  /** The apps' Redis key prefix: a test deletes its keys to play a Redis that lost everything. */
  redisPrefix: string;
  url(app: AppName): string;
  call(app: AppName, method: string, path: string, options?: CallOptions): Promise<HttpResult>;
  /** Stops the apps, keeps the database (to start again against an existing one). */
  stopApps(): Promise<void>;
  startApps(): Promise<void>;
  /** Kills one app with SIGKILL (a crash: no shutdown hook runs) and waits until it is gone. */
  crashApp(app: AppName): Promise<void>;
  /** The process id of a running app (a benchmark signals it, e.g. for a heap snapshot). */
  pid(app: AppName): number | undefined;
  stop(): Promise<void>;
  logs(app: AppName): string;
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** The repository root, whether this runs from libs/testing/src (Jest) or dist/libs/testing/src. */
const here = fileURLToPath(new URL('.', import.meta.url));
const root = here.includes('/dist/')
  ? here.slice(0, here.indexOf('/dist/') + 1)
  : fileURLToPath(new URL('../../../', import.meta.url));

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts the three built apps (dist/) as real processes on free ports, against a fresh database
 * and a Redis key prefix of their own, and drives them over HTTP.
 */
export async function startExchange(
  label: string,
  extraEnv: Record<string, string> = {},
  existingDatabase?: TestDatabase,
): Promise<RunningExchange> {
  if (!existsSync(`${root}dist/apps/launcher.js`))
    throw new Error('Build first: npm run build (npm test does it)');
  const database = existingDatabase ?? (await createTestDatabase(label));
  const operatorKey = `op_${randomBytes(24).toString('base64url')}`;
  const redisPrefix = extraEnv.LX_REDIS_PREFIX ?? testRedisPrefix(label).replace(/:$/, '');
  const ports = { sellers: await freePort(), buyers: await freePort(), settlement: await freePort() };
  const env = {
    ...process.env,
    LX_DATABASE_URL: database.url,
    LX_REDIS_PREFIX: redisPrefix,
    LX_OPERATOR_API_KEY: operatorKey,
    // Tests register operators of their own and still drive the exchange with this key.
    LX_KEEP_BOOTSTRAP_OPERATOR_KEY: 'true',
    LX_SELLERS_PORT: String(ports.sellers),
    LX_BUYERS_PORT: String(ports.buyers),
    LX_SETTLEMENT_PORT: String(ports.settlement),
    LX_LOG_LEVEL: 'warn',
    // Every answer is checked against its documented schema: a drifting OpenAPI document fails the tests.
    LX_CHECK_RESPONSES: 'true',
    // The tests' webhook receivers listen on loopback, which a deployment never lets webhooks reach.
    LX_WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    ...extraEnv,
  };
  let children: Partial<Record<AppName, ChildProcess>> = {};
  const output: Record<AppName, string> = { sellers: '', buyers: '', settlement: '' };
  const url = (app: AppName) => `http://127.0.0.1:${ports[app]}`;

  const startApps = async () => {
    children = {};
    for (const app of ['settlement', 'sellers', 'buyers'] as AppName[]) {
      const child = spawn(process.execPath, [`${root}dist/apps/${app}/src/main.js`], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (chunk: Buffer) => (output[app] += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output[app] += chunk.toString()));
      children[app] = child;
    }
    await Promise.all((Object.keys(children) as AppName[]).map((app) => waitHealthy(app)));
  };

  const waitHealthy = async (app: AppName) => {
    // A minute, unless LX_EXCHANGE_START_TIMEOUT_MS says otherwise (the soak on a machine loaded by other work).
    const deadline = Date.now() + Number(process.env.LX_EXCHANGE_START_TIMEOUT_MS ?? 60_000);
    for (;;) {
      const child = children[app]!;
      if (child.exitCode !== null) throw new Error(`${app} exited (${child.exitCode}):\n${output[app]}`);
      try {
        const response = await fetch(`${url(app)}/health`);
        if (response.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${app} did not become healthy:\n${output[app]}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const stopApps = async () => {
    await Promise.all(
      Object.values(children).map(
        (child) =>
          new Promise<void>((resolve) => {
            // A child killed by a signal has no exit code, only its signal.
            if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      ),
    );
  };

  const call = async (
    app: AppName,
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<HttpResult> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key) headers.authorization = `Bearer ${options.key}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    } else if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${url(app)}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };

  try {
    await startApps();
  } catch (error) {
    await stopApps();
    await database.drop();
    throw error;
  }
  return {
    database,
    operatorKey,
    redisPrefix,
    url,
    call,
    stopApps,
    startApps,
    crashApp: (app) =>
      new Promise<void>((resolve) => {
        const child = children[app];
        if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
    pid: (app) => children[app]?.pid,
    logs: (app) => output[app],
    stop: async () => {
      await stopApps();
      await database.drop();
      // The apps' queues, schedules and caches: a test leaves nothing behind in Redis.
      await flushRedisPrefix(`${redisPrefix}:`);
    },
  };
}

export interface RunningConsole {
  url: string;
  stop(): Promise<void>;
  logs(): string;
}

/**
 * Starts the built console server (dist/apps/console) on a free port in front of a running
 * exchange's three apps, as `npm start` does.
 */
export async function startConsole(exchange: RunningExchange): Promise<RunningConsole> {
  if (!existsSync(`${root}dist/console/index.html`))
    throw new Error('Build the console first: npm run build (npm test does it)');
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [`${root}dist/apps/console/src/main.js`], {
    env: {
      ...process.env,
      LX_CONSOLE_PORT: String(port),
      LX_SELLERS_URL: exchange.url('sellers'),
      LX_BUYERS_URL: exchange.url('buyers'),
      LX_SETTLEMENT_URL: exchange.url('settlement'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`console exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`console did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    logs: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
