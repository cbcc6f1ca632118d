import {
  All,
  Controller,
  Injectable,
  Next,
  Req,
  Res,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import { observedQueues, ProblemException, Public, type AuthenticatedRequest } from '#lx/http';
import { ApiKeyGuard, presentedApiKey } from './api-key.guard.js';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * The operator's key, as for the API, and also as the password of HTTP Basic authentication: a
 * browser cannot add a bearer header to the dashboard's pages, scripts and polls, but it asks for
 * Basic credentials once (on the 401's WWW-Authenticate) and sends them with every request.
 * Because the browser then also sends them for other sites' pages, a request that changes
 * something (retry, clean, add a job) from a page of another origin is refused.
 */
@Injectable()
export class QueueBoardGuard implements CanActivate {
  constructor(private readonly apiKeys: ApiKeyGuard) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const presented = presentedApiKey(request) ?? basicPassword(request.headers.authorization);
    try {
      await this.apiKeys.admit(request, response, presented, ['operator']);
    } catch (error) {
      if (error instanceof ProblemException && error.getStatus() === 401)
        response.setHeader('WWW-Authenticate', 'Basic realm="Lead Exchange queues", charset="UTF-8"');
      throw error;
    }
    if (!SAFE_METHODS.has(request.method) && !sameOrigin(request))
      throw new ProblemException(
        403,
        'cross-origin',
        'Forbidden',
        'Queue changes are accepted only from the dashboard itself (same origin)',
      );
    return true;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** No Origin (a script, curl) or the dashboard's own: a browser names the page's origin on every such request. */
function sameOrigin(request: AuthenticatedRequest): boolean {
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function basicPassword(header: string | undefined): string | undefined {
  const encoded = header ? /^Basic\s+(\S+)$/i.exec(header)?.[1] : undefined;
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) || undefined : undefined;
}

/**
 * Bull Board at /admin/queues, for operators only: the BullMQ queues this app uses (waiting,
 * active, delayed, failed jobs; retry and clean). Not part of the API's documents.
 */
@ApiExcludeController()
@Controller(QUEUE_BOARD_PATH.slice(1))
@Public()
@UseGuards(QueueBoardGuard)
export class QueueBoardController {
  private readonly server = new ExpressAdapter().setBasePath(QUEUE_BOARD_PATH);
  private readonly board = createBullBoard({ queues: [], serverAdapter: this.server });
  private readonly router = this.server.getRouter() as (
    req: Request,
    res: Response,
    next: NextFunction,
  ) => void;
  private shown = '';

  @All(['', '*path'])
  serve(@Req() request: Request, @Res() response: Response, @Next() next: NextFunction): void {
    // Queues open as the app's modules start (and close on shutdown): the board follows them.
    const queues = observedQueues();
    const names = queues.map((queue) => `${queue.opts.prefix}:${queue.name}`).join(',');
    if (names !== this.shown) {
      this.board.replaceQueues(queues.map((queue) => new BullMQAdapter(queue, { readOnlyMode: false })));
      this.shown = names;
    }
    // The board's routes are relative to where it is mounted.
    request.url = request.originalUrl.slice(QUEUE_BOARD_PATH.length) || '/';
    this.router(request, response, next);
  }
}
