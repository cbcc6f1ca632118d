import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { startExchange, type AppName, type RunningExchange } from './support/exchange.js';
import { confirmDeposit, register, waitUntil, type Registered } from './support/scenarios.js';

/**
 * Walks every operation of the three OpenAPI documents with malformed ids, cursors, query values
 * and bodies, as every kind of caller: whatever arrives, the answer is never a 5xx.
 */

const APPS: AppName[] = ['sellers', 'buyers', 'settlement'];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const SEED = 18;
const RUNS_PER_OPERATION = 10;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: Schema;
}
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  example?: unknown;
  enum?: unknown[];
}
interface Operation {
  app: AppName;
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
  components: Record<string, Schema>;
}
interface Input {
  caller: string;
  path: Record<string, string>;
  query: Record<string, string>;
  body?: string;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const deepObject = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

/** Path segments, already percent-encoded: what PostgreSQL refuses, what no id looks like, and the plausible. */
const hostileSegment = fc.oneof(
  fc.constantFrom(
    '%00',
    'a%00b',
    '00000000-0000-4000-8000-00000000000%00',
    '%ED%A0%80', // a UTF-16 surrogate encoded as UTF-8
    '%FF%FE',
    '%C0%80', // an overlong NUL
    '%E2%80%AE',
    '..',
    '%2F..%2Fetc',
    "1'%3B--",
    'x'.repeat(3000),
    '99999999999999999999999',
    '-1',
    '00000000-0000-0000-0000-000000000000',
    '0123456789abcdef',
    'eyewear',
  ),
  fc.uuid().map((id) => id),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);

/** Cursors of other lists, of the right shape with wrong types, out of range, or not base64 at all. */
const hostileCursor = fc.constantFrom(
  b64({ c: 'abc', p: '1' }),
  b64({ c: '99999999999999999999', p: '1' }),
  b64({ c: -1, p: { $gt: '' } }),
  b64({ c: '1', p: '1', x: '\u0000' }),
  b64({ c: '1\u0000', p: '1' }),
  b64({ submittedAt: 'not a date', batchId: 'x' }),
  b64({ submittedAt: '99999-01-01T00:00:00Z', batchId: '00000000-0000-4000-8000-000000000000' }),
  b64({ r: '2026-13-45T99:99:99Z', a: 1 }),
  b64({ r: '2026-01-01T00:00:00Z', a: "x' OR 1=1" }),
  b64([]),
  b64(null),
  b64('string'),
  b64({ __proto__: { c: '1' } }),
  '!!!not-base64!!!',
  '%00',
  'e30',
  'x'.repeat(499),
);

const hostileQueryValue = fc.oneof(
  fc.constantFrom(
    '%00',
    '-1',
    '0',
    '1e309',
    'NaN',
    'Infinity',
    '99999999999999999999',
    '2147483648',
    '9999-12-31T23:59:59Z',
    '0000-00-00',
    '%ED%A0%80',
    'true',
    '',
    'x'.repeat(2000),
  ),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
);

const hostileJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    -1,
    0,
    1e308,
    -1e308,
    2 ** 53 + 1,
    '9999-12-31T23:59:59.999Z',
    '0001-01-01T00:00:00.000Z',
    '',
    'x'.repeat(5000),
    null,
    true,
    [],
    {},
    { __proto__: null, constructor: { prototype: { polluted: true } } },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

/** The shape of the operation's body, each field hostile or its documented example. */
function shapedBody(schema: Schema, components: Record<string, Schema>, depth = 0): fc.Arbitrary<unknown> {
  const resolved = schema.$ref ? (components[schema.$ref.split('/').at(-1)!] ?? {}) : schema;
  if (depth > 3) return hostileJsonValue;
  if (resolved.properties) {
    const fields = Object.fromEntries(
      Object.entries(resolved.properties).map(([name, field]) => [
        name,
        fc.oneof(
          shapedBody(field, components, depth + 1),
          fc.constant(field.example ?? field.enum?.[0] ?? null),
          hostileJsonValue,
        ),
      ]),
    );
    return fc.record(fields, { requiredKeys: [] });
  }
  if (resolved.type === 'array' && resolved.items)
    return fc.array(shapedBody(resolved.items, components, depth + 1), { maxLength: 3 });
  return fc.oneof(fc.constant(resolved.example ?? resolved.enum?.[0] ?? null), hostileJsonValue);
}

function hostileBody(operation: Operation): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      deep(50_000),
      deepObject(20_000),
      '{"__proto__":{"polluted":true}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      '{"a":"\\u0000"}',
      '"\\ud800"',
      '{',
      'null',
      '[]',
      '1',
      '"x"',
      '',
    ),
    shapedBody(operation.body ?? {}, operation.components).map((value) => JSON.stringify(value) ?? 'null'),
  );
}

function inputOf(operation: Operation, callers: string[]): fc.Arbitrary<Input> {
  const byName = (kind: 'path' | 'query') =>
    operation.parameters.filter((parameter) => parameter.in === kind).map((parameter) => parameter.name);
  const path = fc.record(Object.fromEntries(byName('path').map((name) => [name, hostileSegment])));
  const query = fc.record(
    Object.fromEntries(
      byName('query').map((name) => [
        name,
        name === 'cursor' || name === 'after'
          ? fc.oneof(hostileCursor, hostileQueryValue)
          : hostileQueryValue,
      ]),
    ),
    { requiredKeys: [] },
  );
  const body = operation.method === 'GET' ? fc.constant(null) : fc.option(hostileBody(operation));
  return fc.record({ caller: fc.constantFrom(...callers), path, query, body }).map((input) => ({
    caller: input.caller,
    path: input.path as Record<string, string>,
    query: input.query as Record<string, string>,
    ...(input.body !== null ? { body: input.body } : {}),
  }));
}

function operationsOf(app: AppName, document: any): Operation[] {
  const components = document.components?.schemas ?? {};
  return Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const spec = item[method];
      const parameters = [...(item.parameters ?? []), ...(spec.parameters ?? [])] as Parameter[];
      // Path templates the document does not declare as parameters (e.g. `report.{format}`) are still fuzzed.
      for (const [, name] of path.matchAll(/\{(\w+)\}/g))
        if (!parameters.some((parameter) => parameter.in === 'path' && parameter.name === name))
          parameters.push({ name: name!, in: 'path' });
      const body = spec.requestBody?.content?.['application/json']?.schema as Schema | undefined;
      return { app, method: method.toUpperCase(), path, parameters, components, ...(body ? { body } : {}) };
    }),
  );
}

function urlOf(operation: Operation, input: Input): string {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => input.path[name] ?? 'x');
  const query = Object.entries(input.query)
    .map(([name, value]) => `${encodeURIComponent(name)}=${value}`)
    .join('&');
  return query ? `${path}?${query}` : path;
}

describe('API fuzz: no input gets a 5xx', () => {
  let exchange: RunningExchange;
  let operations: Operation[];
  const keys: Record<string, string | undefined> = {};
  let seller: Registered;
  let buyer: Registered;

  beforeAll(async () => {
    exchange = await startExchange('api_fuzz', { LX_RATE_LIMIT_PER_MINUTE: '1000000' });
    let auditor: Registered;
    [seller, buyer, auditor] = await Promise.all([
      register(exchange, 'seller', 'Fuzz Seller'),
      register(exchange, 'buyer', 'Fuzz Buyer'),
      register(exchange, 'auditor', 'Fuzz Auditor'),
    ]);
    Object.assign(keys, {
      'no key': undefined,
      'a bad key': 'lx_0123456789abcdef_forgedforgedforgedforgedforged',
      seller: seller.apiKey,
      buyer: buyer.apiKey,
      auditor: auditor.apiKey,
      operator: exchange.operatorKey,
    });
    // A ledger event, so that the ledger projection has a log position to report.
    await confirmDeposit(exchange, buyer, 100_000, 'fuzz-deposit');
    operations = [];
    for (const app of APPS) {
      const response = await fetch(`${exchange.url(app)}/docs/openapi.json`);
      expect(response.status).toBe(200);
      operations.push(...operationsOf(app, await response.json()));
    }
  });
  afterAll(async () => exchange?.stop());

  const send = async (operation: Operation, input: Input) => {
    const key = keys[input.caller];
    const response = await fetch(`${exchange.url(operation.app)}${urlOf(operation, input)}`, {
      method: operation.method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(input.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(input.body !== undefined ? { body: input.body } : {}),
    });
    const text = await response.text();
    return { status: response.status, text, type: response.headers.get('content-type') ?? '' };
  };

  const describeInput = (operation: Operation, input: Input) =>
    `${operation.app} ${operation.method} ${urlOf(operation, input).slice(0, 300)} as ${input.caller}` +
    (input.body !== undefined ? ` with body ${input.body.slice(0, 300)}` : '');

  const problemOf = async (app: AppName, method: string, path: string, key?: string, rawBody?: string) => {
    const result = await exchange.call(app, method, path, {
      ...(key ? { key } : {}),
      ...(rawBody ? { rawBody } : {}),
    });
    return {
      status: result.status,
      type: String(result.body?.type ?? '')
        .split('/')
        .at(-1),
      body: result.body,
    };
  };

  it('names what is wrong with an id, a cursor, a limit or a body', async () => {
    const order = '/v1/orders';
    expect(await problemOf('buyers', 'GET', `${order}/a%00b`, keys.buyer)).toMatchObject({
      status: 400,
      type: 'invalid-characters',
    });
    expect(await problemOf('buyers', 'GET', `${order}/not-an-order`, keys.buyer)).toMatchObject({
      status: 400,
      type: 'invalid-id',
    });
    expect(await problemOf('buyers', 'GET', `${order}/%ED%A0%80`, keys.buyer)).toMatchObject({ status: 400 });
    expect(await problemOf('buyers', 'POST', order, keys.buyer, deep(50_000))).toMatchObject({
      status: 400,
      type: 'body-too-deep',
    });
    expect(await problemOf('buyers', 'POST', order, keys.buyer, deepObject(40))).toMatchObject({
      status: 400,
      type: 'body-too-deep',
    });
    for (const body of [
      '{"__proto__":{"x":1}}',
      '{"constructor":{"prototype":{}}}',
      '{"vertical":"eyewear","terms":{"prototype":1}}',
    ])
      expect(await problemOf('buyers', 'POST', order, keys.buyer, body)).toMatchObject({
        status: 400,
        type: 'forbidden-key',
      });
    expect(
      await problemOf('buyers', 'POST', order, keys.buyer, '{"vertical":"eye\\u0000wear"}'),
    ).toMatchObject({ status: 400, type: 'invalid-characters' });
    for (const cursor of [
      b64({ c: 'abc', p: '1' }),
      b64({ c: '99999999999999999999', p: '1' }),
      b64({ c: '1', p: '1', x: '1' }),
    ]) {
      expect(await problemOf('sellers', 'GET', `/v1/leads?cursor=${cursor}`, keys.seller)).toMatchObject({
        status: 400,
        type: 'invalid-cursor',
      });
      expect(
        await problemOf('buyers', 'GET', `/v1/purchased-leads?cursor=${cursor}`, keys.buyer),
      ).toMatchObject({ status: 400, type: 'invalid-cursor' });
    }
    expect(
      await problemOf(
        'sellers',
        'GET',
        `/v1/batches?cursor=${b64({ submittedAt: 'x', batchId: 'y' })}`,
        keys.seller,
      ),
    ).toMatchObject({ status: 400, type: 'invalid-cursor' });
    expect(await problemOf('buyers', 'GET', '/v1/deliveries?limit=1000', keys.buyer)).toMatchObject({
      status: 400,
    });
    expect((await problemOf('buyers', 'GET', '/v1/deliveries?limit=200', keys.buyer)).status).toBe(200);
  });

  it('answers a seller’s history only for a seller', async () => {
    const history = (id: string) => problemOf('settlement', 'GET', `/v1/sellers/${id}/history`, keys.buyer);
    expect((await history(seller.participantId)).status).toBe(200);
    expect(await history(buyer.participantId)).toMatchObject({ status: 404 });
    expect(await history('00000000-0000-4000-8000-000000000000')).toMatchObject({ status: 404 });
    expect(await history('any-string')).toMatchObject({ status: 400, type: 'invalid-id' });
  });

  it('reports the ledger projection’s status, log position included', async () => {
    const status = await waitUntil('the ledger projection to apply the deposit', async () => {
      const result = await exchange.call('settlement', 'GET', '/v1/ledger/status', { key: keys.auditor });
      expect(result.status).toBe(200);
      return result.body.position !== null && result.body;
    });
    // As every log position in the API: `<commit>/<prepare>`.
    expect(status.position).toMatch(/^\d+\/\d+$/);
  });

  it('finds the operations of all three documents', () => {
    expect(operations.length).toBeGreaterThan(40);
    expect(new Set(operations.map((operation) => operation.app))).toEqual(new Set(APPS));
  });

  it('answers every operation, as every caller, with a NUL id, a tampered cursor and a deep body without a 5xx', async () => {
    const failures: string[] = [];
    for (const operation of operations)
      for (const caller of Object.keys(keys)) {
        const pathOf = (segment: string) =>
          Object.fromEntries(
            operation.parameters.filter((p) => p.in === 'path').map((p) => [p.name, segment] as const),
          );
        const cursorQuery: Record<string, string> = operation.parameters.some(
          (p) => p.in === 'query' && p.name === 'cursor',
        )
          ? { cursor: b64({ c: 'abc', p: '1' }) }
          : {};
        const inputs: Input[] = [
          { caller, path: pathOf('a%00b'), query: cursorQuery },
          {
            caller,
            path: pathOf('%ED%A0%80'),
            query: {},
            ...(operation.method === 'GET' ? {} : { body: deep(50_000) }),
          },
        ];
        for (const input of inputs) {
          const result = await send(operation, input);
          if (result.status >= 500) failures.push(`${result.status}: ${describeInput(operation, input)}`);
        }
      }
    expect(failures).toEqual([]);
  });

  it('answers random malformed input on every operation without a 5xx (fast-check, fixed seed)', async () => {
    const failures: string[] = [];
    for (const [index, operation] of operations.entries()) {
      const details = await fc.check(
        fc.asyncProperty(inputOf(operation, Object.keys(keys)), async (input) => {
          const result = await send(operation, input);
          if (result.status >= 500)
            throw new Error(`answered ${result.status}: ${result.text.slice(0, 200)}`);
          // A refusal is a problem document that names the problem.
          if (result.status >= 400 && result.type.includes('json'))
            expect(JSON.parse(result.text)).toEqual(
              expect.objectContaining({ status: result.status, title: expect.any(String) }),
            );
        }),
        { seed: SEED + index, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
      if (details.failed) {
        const [input] = details.counterexample!;
        failures.push(`${describeInput(operation, input)}: ${String(details.errorInstance).slice(0, 400)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
