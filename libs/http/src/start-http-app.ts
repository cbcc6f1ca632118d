import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { MARKET_RULES } from '#lx/contracts';
import { AppLogger } from './logging.js';
import { completeOpenApiDocument } from './openapi.js';
import { InputSafetyPipe, refuseUnsafeJsonBody } from './input-safety.pipe.js';
import { jsonReplacer, refuseDeepJson } from './json-body.js';
import { createValidationPipe } from './validation.js';

export interface StartOptions {
  title: string;
  description: string;
  port: number;
  host: string;
  maxBodyBytes: number;
  /** Serves the OpenAPI document and UI at /docs (LX_SERVE_DOCS; off outside development by default). */
  serveDocs: boolean;
}

const DOCS = /^\/docs(\/|$)/;

/**
 * Boots one app: security headers, no caching of API answers, JSON body size and depth limits,
 * input safety, validation, the
 * OpenAPI document and UI at /docs (when served), graceful shutdown.
 */
export async function startHttpApp(module: unknown, options: StartOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module as never, {
    bufferLogs: true,
    bodyParser: false,
  });
  const logger = app.get(AppLogger);
  app.useLogger(logger);
  // A promise rejected with nobody to handle it (a database outage reaching a path that forgot to
  // catch) is logged with its stack instead of ending the process: the app's subscriptions are
  // supervised and its requests answer 503 meanwhile, so it recovers when the database does. The
  // path that let the rejection escape is still a bug; this log line names it.
  process.on('unhandledRejection', (reason) =>
    logger.pino.error({ err: reason }, 'a promise was rejected with nobody to handle it'),
  );
  // HSTS, nosniff and the rest of helmet's defaults; no page of these apps is meant to be framed.
  app.use(helmet({ frameguard: { action: 'deny' } }));
  // API answers carry personal data and account state: no browser or proxy may keep a copy.
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (!DOCS.test(request.path)) response.setHeader('Cache-Control', 'no-store');
    next();
  });
  // Nest reserves body-parser's `verify` hook only for `rawBody: true`, which these apps do not use:
  // the depth check runs there, on the raw bytes, before JSON.parse.
  const jsonOptions = {
    limit: options.maxBodyBytes,
    type: ['application/json', 'application/*+json'],
    verify: refuseDeepJson,
  };
  app.useBodyParser('json', jsonOptions);
  app.use(refuseUnsafeJsonBody);
  app.set('json replacer', jsonReplacer);
  app.useGlobalPipes(new InputSafetyPipe(), createValidationPipe());
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  if (options.serveDocs) serveDocs(app, options);
  await app.listen(options.port, options.host);
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  logger.pino.info(options.serveDocs ? `${url}  docs ${url}/docs` : url);
  return app;
}

function serveDocs(app: NestExpressApplication, options: StartOptions): void {
  const document = completeOpenApiDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(options.title)
        .setDescription(`${options.description}\n${MARKET_RULES}`)
        .setVersion('1')
        .addBearerAuth(
          { type: 'http', scheme: 'bearer', description: 'API key: Authorization: Bearer lx_…' },
          'apiKey',
        )
        .addSecurityRequirements('apiKey')
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}
