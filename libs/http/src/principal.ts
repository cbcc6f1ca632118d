import { applyDecorators, createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Request } from 'express';

export type Role = 'seller' | 'buyer' | 'auditor' | 'operator';

/** Who is calling: set on the request by the API-key guard. */
export interface Principal {
  participantId: string;
  role: Role;
  /** The API key used; rate limits and idempotency keys are scoped to it. */
  keyId: string;
}

export type AuthenticatedRequest = Request & { principal?: Principal };

export const ROLES = 'lx:roles';
export const PUBLIC = 'lx:public';
/** Marks a public operation in the OpenAPI document, which then drops its security requirement. */
export const PUBLIC_EXTENSION = 'x-lx-public';

/** The roles allowed on a controller or route (default: none — every route must say). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);
/** A route that needs no API key (health, metrics, API docs). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal) throw new Error('CurrentPrincipal used on a route without authentication');
    return principal;
  },
);
