import {
  applyDecorators,
  Inject,
  Injectable,
  Logger,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiProduces, ApiResponse } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { map, type Observable } from 'rxjs';
import { z } from 'zod';
import { ProblemException } from './problem-details.js';
import { PUBLIC_EXTENSION } from './principal.js';
import { jsonReplacer } from './json-body.js';

/*
 * What an operation answers, said once: a zod schema per response gives the OpenAPI document its
 * schema (and so the console's generated client its types) and, where the deployment asks for it
 * (`LX_CHECK_RESPONSES=true`, set by every test that starts the apps), checks each answer against
 * it — a response that drifts from its documented shape fails the tests instead of misleading
 * a client.
 */

const RESPONSE_SCHEMA = 'lx:response-schema';
export const CHECK_RESPONSES = Symbol('CHECK_RESPONSES');

const jsonSchemaOf = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { target: 'openapi-3.0', unrepresentable: 'any', io: 'output' }) as Record<
    string,
    unknown
  >;

const documentContent = (contentTypes: string[]) =>
  Object.fromEntries(
    contentTypes.map((type) => [
      type,
      { schema: type === 'application/pdf' ? { type: 'string', format: 'binary' } : { type: 'string' } },
    ]),
  );

/**
 * The operation answers JSON of this shape (status 200 unless said otherwise); `documents`: the
 * other media types it can answer instead (`?format=csv` …).
 */
export function Answers(
  schema: z.ZodType,
  options: { description: string; status?: number; documents?: string[] },
) {
  return applyDecorators(
    ApiResponse({
      status: options.status ?? 200,
      description: options.description,
      content: {
        'application/json': { schema: jsonSchemaOf(schema) as never },
        ...documentContent(options.documents ?? []),
      },
    }),
    SetMetadata(RESPONSE_SCHEMA, schema),
  );
}

/** The operation answers a document (CSV, HTML, PDF) rather than JSON. */
export function AnswersDocument(contentTypes: string[], description: string) {
  return applyDecorators(
    ApiProduces(...contentTypes),
    ApiResponse({ status: 200, description, content: documentContent(contentTypes) }),
  );
}

/** Checks every JSON answer against its documented schema, when the deployment asks for it. */
@Injectable()
export class ResponseSchemaCheck implements NestInterceptor {
  private readonly logger = new Logger('ResponseSchemaCheck');

  constructor(
    private readonly reflector: Reflector,
    @Inject(CHECK_RESPONSES) private readonly enabled: boolean,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const schema = this.enabled
      ? this.reflector.get<z.ZodType | undefined>(RESPONSE_SCHEMA, context.getHandler())
      : undefined;
    if (!schema) return next.handle();
    return next.handle().pipe(
      map((body) => {
        // A route that can also answer a document (`?format=csv`) is checked only when it answers JSON.
        const type = context
          .switchToHttp()
          .getResponse<{ getHeader(name: string): unknown }>()
          .getHeader('content-type');
        if (typeof type === 'string' && !type.includes('json')) return body;
        // Checked as the client receives it: dates as strings, no undefined, no functions.
        const checked = schema.safeParse(body === undefined ? undefined : JSON.parse(JSON.stringify(body, jsonReplacer)));
        if (checked.success) return body;
        const where = `${context.getClass().name}.${context.getHandler().name}`;
        const issues = checked.error.issues
          .slice(0, 5)
          .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
          .join('; ');
        this.logger.error(`${where} answered outside its documented schema: ${issues}`);
        throw new ProblemException(
          500,
          'response-outside-schema',
          'Response outside its documented schema',
          `${where}: ${issues}`,
        );
      }),
    );
  }
}

/** RFC 9457 problem details, the one error format, as OpenAPI knows it. */
const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://lead-exchange.dev/problems/validation-failed' },
    title: { type: 'string', example: 'Validation failed' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description: 'Every offending field, each with its messages.',
      items: {
        type: 'object',
        required: ['field', 'messages'],
        properties: { field: { type: 'string' }, messages: { type: 'array', items: { type: 'string' } } },
      },
    },
  },
  additionalProperties: true,
};

const PROBLEMS: Record<string, string> = {
  '400': 'The request is malformed: a bad id, query value or body field (each named in `errors`).',
  '401': 'No API key, or one that is unknown, revoked or of a suspended participant.',
  '403': "The key's role may not use this operation, or the object belongs to someone else.",
  '404': 'No such object (or none this participant may see).',
  '409': 'Conflicts with the current state (a concurrent change, or a request still in progress).',
  '413': 'The body is larger than the exchange accepts.',
  '422':
    'Well-formed but refused by a business rule (the `type` names which), or an Idempotency-Key reused with another body.',
  '429': 'Too many requests for this key or source: wait `Retry-After` seconds.',
};

type Operation = {
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
  security?: unknown[];
};

/**
 * Gives every operation the error answers its shape allows — authentication and rate limits for
 * every secured route, 400/404 for path ids, 400 for query values, 400/409/413/422 for bodies —
 * each an `application/problem+json` of one schema; and the document its servers and licence.
 */
export function completeOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  document.components = document.components ?? {};
  document.components.schemas = { ...document.components.schemas, Problem: PROBLEM_SCHEMA as never };
  document.components.responses = {
    ...document.components.responses,
    ...Object.fromEntries(
      Object.entries(PROBLEMS).map(([status, description]) => [
        `Problem${status}`,
        {
          description,
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      ]),
    ),
  };
  document.servers = [{ url: '/', description: 'this app, where it is served' }];
  document.info.license = {
    name: 'Proprietary — Lead Exchange',
    url: 'https://lead-exchange.dev/terms',
  };
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (!operation) continue;
      const statuses = new Set<string>();
      const isPublic = (operation as Record<string, unknown>)[PUBLIC_EXTENSION] === true;
      if (isPublic) {
        operation.security = [];
        delete (operation as Record<string, unknown>)[PUBLIC_EXTENSION];
      }
      if (!isPublic) ['401', '403', '429'].forEach((status) => statuses.add(status));
      const parameters = operation.parameters ?? [];
      if (parameters.some((p) => p.in === 'path')) ['400', '404'].forEach((status) => statuses.add(status));
      if (parameters.some((p) => p.in === 'query')) statuses.add('400');
      if (operation.requestBody || method !== 'get')
        ['400', '409', '413', '422'].forEach((status) => statuses.add(status));
      for (const status of statuses)
        operation.responses[status] ??= { $ref: `#/components/responses/Problem${status}` };
    }
  }
  return document;
}

/** One page of a cursor-paginated list: `nextCursor` is absent on the last page. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    items: z.array(item),
    nextCursor: z.string().optional().describe('Pass as `cursor` for the next page; absent on the last.'),
  });

/** Money in minor units of the market's currency (`60000` = 600,00 RUB). */
export const MinorUnitsAmount = z.int().describe("Minor units of the market's currency (60000 = 600,00 RUB)");
export const IsoInstant = z.string().describe('ISO 8601 instant, UTC');
