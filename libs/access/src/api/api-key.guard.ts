import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import {
  FailedAttemptLimiter,
  ProblemException,
  PUBLIC,
  RateLimiter,
  ROLES,
  type AuthenticatedRequest,
  type Role,
} from '#lx/http';
import { ApiKeyAuthenticator } from '../application/api-key-authenticator.js';
import { parseApiKey } from '../application/api-key-secrets.js';

/**
 * The one guard of every app: authenticates the API key (401), enforces the route's roles (403),
 * then counts the request against the key's rate limit (429). A route that names no roles is
 * closed to everyone: forgetting @Roles must never open an endpoint.
 *
 * Failed authentications are limited before any hashing, per source address and per key id
 * (429): a forger pays one Redis read per attempt, not an scrypt. A key this process already
 * verified passes that limit, so that forging a real key id does not lock its owner out.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly rateLimiter: RateLimiter,
    private readonly failedAttempts: FailedAttemptLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const presented = bearerToken(request.headers.authorization) ?? headerValue(request.headers['x-api-key']);
    if (!presented) throw unauthenticated('Send an API key: Authorization: Bearer <key>');
    const subjects = failureSubjects(request, presented);
    if (!this.authenticator.isKnown(presented)) await this.failedAttempts.refuseWhenExhausted(subjects);
    const principal = await this.authenticator.authenticate(presented);
    if (!principal) {
      await this.failedAttempts.recordFailure(subjects);
      throw unauthenticated('The API key is not valid, or has been revoked');
    }
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets) ?? [];
    if (!roles.includes(principal.role))
      throw new ProblemException(
        403,
        'forbidden',
        'Forbidden',
        `This endpoint is for ${roles.join(', ') || 'no one'}; your key is a ${principal.role} key`,
      );
    await this.rateLimiter.consume(principal.keyId, context.switchToHttp().getResponse<Response>());
    return true;
  }
}

/** Who a failed attempt counts against: the source address, and the key id the key names. */
function failureSubjects(request: AuthenticatedRequest, presented: string): string[] {
  const parsed = parseApiKey(presented);
  const source = `source:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`;
  return parsed ? [source, `key:${parsed.participantId}:${parsed.keyId}`] : [source];
}

function unauthenticated(detail: string): ProblemException {
  return new ProblemException(401, 'unauthenticated', 'Unauthenticated', detail);
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
