import { createHash, createHmac } from 'node:crypto';
import {
  Inject,
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { from, mergeMap, Observable, of, catchError, throwError } from 'rxjs';
import { canonicalJson } from '#lx/canonical-json';
import { REDIS, REDIS_PREFIX } from './redis.js';
import { ProblemException } from './problem-details.js';
import type { AuthenticatedRequest } from './principal.js';

const KEY = /^[A-Za-z0-9_.:-]{1,200}$/;
const TTL_SECONDS = 24 * 60 * 60;
const OWN_IDEMPOTENCY = 'lx:own-idempotency';
const SECRET_FIELDS = 'lx:secret-response-fields';

/** The server secret (LX_IDEMPOTENCY_KEY) under which a record's request digest is keyed. */
export const IDEMPOTENCY_DIGEST_KEY = Symbol('IDEMPOTENCY_DIGEST_KEY');

/**
 * For a route whose body is a stream the interceptor cannot fingerprint (a file upload): the
 * handler reads the key with `idempotencyKeyOf` and makes the request idempotent itself.
 */
export const OwnIdempotency = () => SetMetadata(OWN_IDEMPOTENCY, true);

/**
 * For a route whose response carries a secret shown once (an API key): the record keeps the
 * response without these fields, and a retry with the same key is answered 409 with that
 * non-secret part (the key's id), because the secret itself is never stored to be replayed.
 */
export const SecretResponse = (...fields: string[]) => SetMetadata(SECRET_FIELDS, fields);

/** The request's Idempotency-Key, validated; undefined when none was sent. */
export function idempotencyKeyOf(request: { headers: Record<string, string | string[] | undefined> }) {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header[0]! : header;
  if (!KEY.test(key))
    throw new ProblemException(
      400,
      'invalid-idempotency-key',
      'Invalid Idempotency-Key',
      'Use 1–200 characters of A–Z a–z 0–9 _ . : -',
      {
        errors: [{ field: 'Idempotency-Key', messages: ['1–200 characters of A–Z a–z 0–9 _ . : -'] }],
      },
    );
  return key;
}

interface StoredOutcome {
  state: 'in-flight' | 'done';
  fingerprint: string;
  status?: number;
  body?: unknown;
  /** The fields of the response that carried a secret and were not stored. */
  withheld?: string[];
}

/**
 * `Idempotency-Key` on every POST: the same key with the same body answers with the first
 * response and creates nothing new; the same key with another body is refused with 422.
 * Keys are scoped to the caller's API key and the route. Failed requests release the key.
 * The record holds an HMAC of the request, not a plain hash: a body made of a phone and an
 * e-mail (a consumer revocation) could be recovered from a plain hash by trying candidates.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_PREFIX) private readonly prefix: string,
    private readonly reflector: Reflector,
    @Inject(IDEMPOTENCY_DIGEST_KEY) private readonly digestKey: string,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.method !== 'POST') return next.handle();
    if (
      this.reflector.getAllAndOverride<boolean>(OWN_IDEMPOTENCY, [context.getHandler(), context.getClass()])
    )
      return next.handle();
    const key = idempotencyKeyOf(request);
    if (key === undefined) return next.handle();
    const scope = request.principal?.keyId ?? 'anonymous';
    const path = request.originalUrl.split('?')[0];
    const redisKey = `${this.prefix}:idem:${scope}:${createHash('sha256').update(`${path}\n${key}`).digest('hex')}`;
    const fingerprint = createHmac('sha256', this.digestKey)
      .update(`${request.method} ${request.originalUrl}\n${canonicalJson(request.body ?? null)}`)
      .digest('hex');
    const response = context.switchToHttp().getResponse<Response>();
    const secretFields = this.reflector.getAllAndOverride<string[] | undefined>(SECRET_FIELDS, [
      context.getHandler(),
      context.getClass(),
    ]);

    return from(this.claim(redisKey, fingerprint)).pipe(
      mergeMap((existing) => {
        if (existing) return this.replay(existing, fingerprint, response);
        return next.handle().pipe(
          mergeMap((body) =>
            from(
              this.redis.set(
                redisKey,
                JSON.stringify({
                  state: 'done',
                  fingerprint,
                  status: response.statusCode,
                  ...(secretFields
                    ? { body: withoutFields(body, secretFields), withheld: secretFields }
                    : { body }),
                } satisfies StoredOutcome),
                'EX',
                TTL_SECONDS,
              ),
            ).pipe(mergeMap(() => of(body))),
          ),
          catchError((error: unknown) =>
            from(this.redis.del(redisKey)).pipe(mergeMap(() => throwError(() => error))),
          ),
        );
      }),
    );
  }

  /** Claims the key atomically; returns the earlier outcome if there is one. */
  private async claim(redisKey: string, fingerprint: string): Promise<StoredOutcome | null> {
    const claimed = await this.redis.set(
      redisKey,
      JSON.stringify({ state: 'in-flight', fingerprint }),
      'EX',
      TTL_SECONDS,
      'NX',
    );
    if (claimed === 'OK') return null;
    const stored = await this.redis.get(redisKey);
    return stored ? (JSON.parse(stored) as StoredOutcome) : null;
  }

  private replay(existing: StoredOutcome, fingerprint: string, response: Response): Observable<unknown> {
    if (existing.fingerprint !== fingerprint)
      throw new ProblemException(
        422,
        'idempotency-key-reused',
        'Idempotency-Key reused with another request',
        'This Idempotency-Key was used with a different request body; use a new key for a new request',
      );
    if (existing.state === 'in-flight')
      throw new ProblemException(
        409,
        'idempotency-in-progress',
        'Request in progress',
        'The first request with this key has not finished yet; retry shortly',
      );
    if (existing.withheld)
      throw new ProblemException(
        409,
        'idempotent-secret-not-replayed',
        'Already done; the secret is not shown again',
        `The first request with this key succeeded, and its response carried ${existing.withheld.join(', ')}, which is shown once and never stored; firstResponse holds the rest of it`,
        { firstResponse: existing.body },
      );
    response.status(existing.status ?? 200);
    response.setHeader('Idempotent-Replayed', 'true');
    return of(existing.body);
  }
}

function withoutFields(body: unknown, fields: readonly string[]): unknown {
  if (typeof body !== 'object' || body === null) return null;
  return Object.fromEntries(Object.entries(body).filter(([field]) => !fields.includes(field)));
}
