import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startExchange } from '#lx/testing';
import { CLIENT_APPS, CLIENT_DIR, clientTypes } from './console-client/generate.js';

/**
 * `npm run console:client`: starts the built apps on a scratch database, reads their OpenAPI
 * documents and regenerates the console's typed client from them (the console never guesses a
 * shape; tests/openapi.e2e.spec.ts fails while these files are stale).
 */
const exchange = await startExchange('console-client');
try {
  mkdirSync(CLIENT_DIR, { recursive: true });
  for (const app of CLIENT_APPS) {
    const response = await fetch(`${exchange.url(app)}/docs/openapi.json`);
    if (!response.ok) throw new Error(`${app}: GET /docs/openapi.json answered ${response.status}`);
    const file = join(CLIENT_DIR, `${app}.ts`);
    writeFileSync(file, await clientTypes(app, await response.json()));
    process.stdout.write(`wrote ${file}\n`);
  }
} finally {
  await exchange.stop();
}
