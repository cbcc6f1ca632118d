import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import { DomainError } from '#lx/event-sourcing';
import { EventStoreError } from '#lx/event-store';
import { jsonReplacer } from './json-body.js';
import { PROBLEM_BASE, ProblemException, type ProblemDetails } from './problem-details.js';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-unavailable.js';
import { statusOfErrorCode } from './error-statuses.js';

interface ErrorWithCode {
  code?: string;
  status?: number;
  statusCode?: number;
  type?: string;
  message?: string;
}

/** Renders every error as application/problem+json; an unexpected error never leaks its internals. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.toProblem(exception, request.originalUrl);
    if (problem.status >= 500)
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if ((problem.status === 429 || problem.status === 503) && typeof problem.retryAfterSeconds === 'number')
      response.setHeader('Retry-After', String(problem.retryAfterSeconds));
    response
      .status(problem.status)
      .type('application/problem+json')
      .send(JSON.stringify(problem, jsonReplacer));
  }

  private toProblem(exception: unknown, instance: string): ProblemDetails {
    if (exception instanceof ProblemException) return exception.toProblem(instance);
    // Nest wraps what an Express middleware throws (the JSON depth check) in an HttpException.
    if (exception instanceof HttpException && exception.cause instanceof ProblemException)
      return exception.cause.toProblem(instance);
    const error = (exception ?? {}) as ErrorWithCode;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message =
        typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? exception.message);
      const text = Array.isArray(message) ? message.join('; ') : String(message);
      // Nest wraps body-parser's failures: say plainly what was wrong with the body.
      const detail =
        status === 413
          ? 'The request body is over the size limit'
          : status === 400 && /JSON/.test(text)
            ? `The body is not valid JSON: ${text}`
            : text;
      const title = STATUS_CODES[status] ?? 'Error';
      return {
        type: `${PROBLEM_BASE}${slug(title)}`,
        title: title === 'Payload Too Large' ? 'Payload too large' : title,
        status,
        detail,
        instance,
      };
    }
    // body-parser's errors (oversized or malformed bodies) carry their HTTP status.
    const status = error.status ?? error.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const title = error.type === 'entity.too.large' ? 'Payload too large' : 'Bad request';
      const detail =
        error.type === 'entity.too.large'
          ? 'The request body is over the size limit'
          : error.type === 'entity.parse.failed'
            ? `The body is not valid JSON: ${error.message ?? ''}`
            : (error.message ?? title);
      return { type: `${PROBLEM_BASE}${slug(error.type ?? title)}`, title, status, detail, instance };
    }
    const refusalStatus = refusalStatusOf(exception);
    if (refusalStatus !== undefined && error.code)
      return {
        type: `${PROBLEM_BASE}${error.code}`,
        title: error.code.replace(/-/g, ' '),
        status: refusalStatus,
        detail: error.message,
        instance,
        ...(exception instanceof DomainError && Object.keys(exception.details).length
          ? { details: exception.details }
          : {}),
      };
    if (isDatabaseUnavailable(exception))
      return {
        type: `${PROBLEM_BASE}database-unavailable`,
        title: 'Database unavailable',
        status: 503,
        detail: 'The database is restarting or unreachable; nothing was acknowledged. Retry the request.',
        instance,
        retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS,
      };
    return { type: `${PROBLEM_BASE}internal-error`, title: 'Internal error', status: 500, instance };
  }
}

/** A domain or event-store error's status from the one table; undefined for anything else (a 500). */
function refusalStatusOf(exception: unknown): number | undefined {
  if (!(exception instanceof DomainError || exception instanceof EventStoreError)) return undefined;
  return statusOfErrorCode(exception.code);
}

function slug(text: string): string {
  return text
    .replace(/Exception$/, '')
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .toLowerCase();
}
