import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExchange, type AppName, type RunningExchange } from './support/exchange.js';
import { CLIENT_DIR, clientTypes } from '../scripts/console-client/generate.js';

const APPS: AppName[] = ['sellers', 'buyers', 'settlement'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

type Operation = {
  responses: Record<string, { content?: Record<string, { schema?: unknown }>; $ref?: string }>;
};

/**
 * The OpenAPI documents as their readers (and the console's generated client) need them: every
 * operation says what it answers on success, with a schema, and which problems it can return;
 * and each document passes Redocly's recommended rules, an independent linter, with nothing left.
 */
describe('the OpenAPI documents', () => {
  let exchange: RunningExchange;
  const documents = new Map<AppName, { paths: Record<string, Record<string, Operation>> }>();
  let dir: string;

  beforeAll(async () => {
    exchange = await startExchange('openapi');
    dir = mkdtempSync(join(tmpdir(), 'lx-openapi-'));
    for (const app of APPS) {
      const response = await fetch(`${exchange.url(app)}/docs/openapi.json`);
      expect(response.status).toBe(200);
      documents.set(app, (await response.json()) as { paths: Record<string, Record<string, Operation>> });
    }
  });
  afterAll(async () => {
    await exchange?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const operations = () =>
    [...documents].flatMap(([app, document]) =>
      Object.entries(document.paths).flatMap(([path, item]) =>
        METHODS.filter((method) => item[method]).map((method) => ({
          name: `${app} ${method.toUpperCase()} ${path}`,
          operation: item[method]!,
        })),
      ),
    );

  it("keeps the console's generated client in step with the documents (npm run console:client regenerates it)", async () => {
    for (const app of APPS) {
      const committed = readFileSync(join(CLIENT_DIR, `${app}.ts`), 'utf8');
      // A failure here: an API changed and the console's types did not; run npm run console:client.
      expect({ app, types: await clientTypes(app, documents.get(app)) }).toEqual({ app, types: committed });
    }
  });

  it('describes every request body: no schema without properties (the console types its requests from them)', () => {
    const empty = [...documents].flatMap(([app, document]) =>
      Object.entries(
        (document as { components?: { schemas?: Record<string, { type?: string; properties?: object }> } })
          .components?.schemas ?? {},
      )
        .filter(([, schema]) => schema.type === 'object' && !schema.properties)
        .map(([name]) => `${app} ${name}`),
    );
    expect(empty).toEqual([]);
  });

  it('gives every operation a success answer with its schema', () => {
    const missing = operations()
      .filter(({ operation }) => {
        const success = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
        return !success.some(([, response]) =>
          Object.values(response.content ?? {}).some((media) => media.schema !== undefined),
        );
      })
      .map(({ name }) => name);
    expect(missing).toEqual([]);
  });

  it('gives every operation the problems it can return', () => {
    const missing = operations()
      .filter(({ operation }) => !Object.keys(operation.responses).some((status) => /^4\d\d$/.test(status)))
      .map(({ name }) => name);
    expect(missing).toEqual([]);
  });

  it("passes Redocly's recommended rules with no error and no warning", () => {
    const problems = APPS.flatMap((app) => {
      const file = join(dir, `${app}.json`);
      writeFileSync(file, JSON.stringify(documents.get(app)));
      const lint = spawnSync(
        process.execPath,
        ['node_modules/@redocly/cli/bin/cli.js', 'lint', '--format=json', file],
        {
          encoding: 'utf8',
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      );
      // The report is the JSON object after any notice the CLI prints first.
      const report = JSON.parse(lint.stdout.slice(lint.stdout.search(/^\{/m))) as {
        problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
      };
      return report.problems.map(
        (p) => `${app}: ${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`,
      );
    });
    expect(problems).toEqual([]);
  });
});
