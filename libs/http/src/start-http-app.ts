import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { InputSafetyPipe, refuseUnsafeJsonBody } from './input-safety.pipe.js';
import { jsonReplacer, refuseDeepJson } from './json-body.js';
import { createValidationPipe } from './validation.js';

export interface StartOptions {
  title: string;
  description: string;
  port: number;
  host: string;
  maxBodyBytes: number;
}

/** Boots one app: JSON body size and depth limits, input safety, validation, OpenAPI document and UI at /docs, graceful shutdown. */
export async function startHttpApp(module: unknown, options: StartOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module as never, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
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

  const document = SwaggerModule.createDocument(
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
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  await app.listen(options.port, options.host);
  return app;
}
