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
  /**
   * Starts one more instance of an app beside the first, on a port of its own, with the same
   * database, Redis prefix and secrets (a second instance behind a load balancer). `stop()` and
   * `stopApps()` stop it too.
   */
  startInstance(app: AppName, extraEnv?: Record<string, string>): Promise<AppInstance>;
  stop(): Promise<void>;
  logs(app: AppName): string;
}

/** An additional instance of an app, started by `RunningExchange.startInstance`. */
export interface AppInstance {
  app: AppName;
  url: string;
  pid: number | undefined;
  /** SIGKILL (a crash: no shutdown hook runs); resolves once the process is gone. */
  crash(): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s); resolves once the process is gone. */
  stop(): Promise<void>;
  logs(): string;
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

/**
 * Node's flags for an app a test starts: the app ends (SIGTERM, as a deployment stops it) when its
 * stdin closes, that is when the test process is gone however it ended, even by SIGKILL; otherwise
 * an interrupted run leaves three apps running on the machine for good.
 */
const EXIT_WITH_PARENT = [
  '--import',
  'data:text/javascript,process.stdin.on("end",()=>process.kill(process.pid,"SIGTERM"));' +
    'process.stdin.resume();process.stdin.unref();',
];

/** Spawns a built app of this repository with its test environment, ending with the test process. */
function spawnApp(script: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [...EXIT_WITH_PARENT, `${root}${script}`], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

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
      const child = spawnApp(`dist/apps/${app}/src/main.js`, env);
      child.stdout!.on('data', (chunk: Buffer) => (output[app] += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output[app] += chunk.toString()));
      reportUnexpectedExit(child, app, () => output[app]);
      children[app] = child;
    }
    await Promise.all((Object.keys(children) as AppName[]).map((app) => waitHealthy(app)));
  };

  const waitHealthy = (app: AppName) => waitUntilHealthy(children[app]!, url(app), () => output[app], app);

  const extraInstances: AppInstance[] = [];
  const stopApps = async () => {
    await Promise.all([
      ...Object.values(children).map((child) => terminate(child)),
      ...extraInstances.splice(0).map((instance) => instance.stop()),
    ]);
  };

  const startInstance = async (app: AppName, instanceEnv: Record<string, string> = {}) => {
    const port = await freePort();
    const portVariable = {
      sellers: 'LX_SELLERS_PORT',
      buyers: 'LX_BUYERS_PORT',
      settlement: 'LX_SETTLEMENT_PORT',
    }[app];
    let logs = '';
    const child = spawnApp(`dist/apps/${app}/src/main.js`, {
      ...env,
      ...instanceEnv,
      [portVariable]: String(port),
    });
    child.stdout!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    reportUnexpectedExit(child, `${app} (second instance)`, () => logs);
    const instance: AppInstance = {
      app,
      url: `http://127.0.0.1:${port}`,
      pid: child.pid,
      crash: () => terminate(child, 'SIGKILL'),
      stop: () => terminate(child),
      logs: () => logs,
    };
    extraInstances.push(instance);
    try {
      await waitUntilHealthy(child, instance.url, () => logs, `${app} (second instance)`);
    } catch (error) {
      await instance.stop();
      throw error;
    }
    return instance;
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
    crashApp: (app) => terminate(children[app], 'SIGKILL'),
    pid: (app) => children[app]?.pid,
    startInstance,
    logs: (app) => output[app],
    stop: async () => {
      await stopApps();
      await database.drop();
      // The apps' queues, schedules and caches: a test leaves nothing behind in Redis.
      await flushRedisPrefix(`${redisPrefix}:`);
    },
  };
}

/**
 * Waits until an app process answers 200 on /health — 60 s at most, or `LX_TEST_APP_START_SECONDS`
 * (a benchmark on a heavily loaded machine) — and throws if it exits first.
 */
async function waitUntilHealthy(
  child: ChildProcess,
  url: string,
  output: () => string,
  name: string,
): Promise<void> {
  const deadline = Date.now() + Number(process.env.LX_TEST_APP_START_SECONDS ?? 60) * 1000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const health = await fetch(`${url}/health`).then(
        async (response) => `${response.status} ${await response.text()}`,
        (error: unknown) => String(error),
      );
      throw new Error(`${name} did not become healthy (/health: ${health}):\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Processes a test ended on purpose: their exit is not news. */
const endedOnPurpose = new WeakSet<ChildProcess>();

/**
 * Prints the output of an app that exits while no test asked it to (a crash under a fault, say):
 * without it a test sees only ECONNREFUSED and the cause is lost with the process.
 */
function reportUnexpectedExit(child: ChildProcess, name: string, output: () => string): void {
  child.once('exit', (code, signal) => {
    if (endedOnPurpose.has(child)) return;
    const text = output();
    process.stderr.write(
      `\n[startExchange] ${name} (pid ${child.pid}) exited unexpectedly (${code ?? signal}); its last output:\n` +
        `${text.length > 20_000 ? `…${text.slice(-20_000)}` : text}\n`,
    );
  });
}

/**
 * Ends an app process and resolves once it is gone: SIGTERM (then SIGKILL after 5 s), or SIGKILL
 * at once for a crash.
 */
function terminate(
  child: ChildProcess | undefined,
  signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM',
): Promise<void> {
  return new Promise<void>((resolve) => {
    // A child killed by a signal has no exit code, only its signal.
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    endedOnPurpose.add(child);
    child.once('exit', () => resolve());
    child.kill(signal);
    if (signal === 'SIGTERM') setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
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
  const child = spawnApp('dist/apps/console/src/main.js', {
    ...process.env,
    LX_CONSOLE_PORT: String(port),
    LX_SELLERS_URL: exchange.url('sellers'),
    LX_BUYERS_URL: exchange.url('buyers'),
    LX_SETTLEMENT_URL: exchange.url('settlement'),
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
