import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppLogger } from './logging.js';
import { completeOpenApiDocument } from './openapi.js';
import { createValidationPipe } from './validation.js';

export interface StartOptions {
  title: string;
  description: string;
  port: number;
  host: string;
  maxBodyBytes: number;
}

/** Boots one app: JSON body limit, validation, OpenAPI document and UI at /docs, graceful shutdown. */
export async function startHttpApp(module: unknown, options: StartOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module as never, {
    bufferLogs: true,
    bodyParser: false,
  });
  const logger = app.get(AppLogger);
  app.useLogger(logger);
  app.useBodyParser('json', {
    limit: options.maxBodyBytes,
    type: ['application/json', 'application/*+json'],
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  app.disable('x-powered-by');

  const document = completeOpenApiDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(options.title)
        .setDescription(options.description)
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
  await app.listen(options.port, options.host);
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
  logger.pino.info(`${url}  docs ${url}/docs`);
  return app;
}
