import express, { type Express } from 'express';
import helmet from 'helmet';
import { createProxyMiddleware } from 'http-proxy-middleware';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ConsoleConfig } from './console-config.js';

export const API_PREFIXES = {
  sellers: '/api/sellers',
  buyers: '/api/buyers',
  settlement: '/api/settlement',
} as const;

/**
 * The console on one origin: the built single-page app, and the three APIs behind `/api/<app>`
 * (so the browser needs no CORS and never learns the apps' own addresses). The proxy passes
 * requests and answers through unchanged, streaming (uploads and CSV exports are not buffered).
 */
export function createConsoleServer(config: ConsoleConfig, staticRoot: string): Express {
  if (!existsSync(join(staticRoot, 'index.html')))
    throw new Error(`The console is not built (${staticRoot}/index.html is missing): run npm run build`);
  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      frameguard: { action: 'deny' },
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          // Mantine sets CSS variables in style attributes.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:'],
          'connect-src': ["'self'"],
          'object-src': ["'none'"],
          'frame-ancestors': ["'none'"],
        },
      },
    }),
  );

  for (const [name, prefix] of Object.entries(API_PREFIXES) as [keyof typeof API_PREFIXES, string][]) {
    app.use(
      prefix,
      createProxyMiddleware({
        target: config.upstreams[name],
        changeOrigin: false,
        xfwd: true,
        proxyTimeout: 120_000,
        on: {
          error: (_error, _request, response) => {
            // The app behind is down: a problem document the console shows like any other.
            const raw = response as import('node:http').ServerResponse;
            if (raw.headersSent || typeof raw.writeHead !== 'function') return raw.end?.();
            raw.writeHead(502, { 'content-type': 'application/problem+json' });
            raw.end(
              JSON.stringify({
                type: 'https://lead-exchange.dev/problems/upstream-unavailable',
                title: `The ${name} service is not answering`,
                status: 502,
                detail: 'Try again in a moment; if it persists, the operator should check the service.',
              }),
            );
          },
        },
      }),
    );
  }

  // The settlement app's queue dashboard (Bull Board) asks for its scripts under /admin/queues/:
  // served from there on this origin too, so the operator's link works.
  app.use(
    createProxyMiddleware({
      target: config.upstreams.settlement,
      pathFilter: '/admin/queues',
      xfwd: true,
    }),
  );

  // Hashed assets never change; index.html always comes fresh so a new build is picked up at once.
  app.use(
    '/assets',
    express.static(join(staticRoot, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }),
  );
  app.use(express.static(staticRoot, { index: false, maxAge: 0 }));
  app.get('/health', (_request, response) => {
    response.json({ status: 'ok' });
  });
  // Every other path is a page of the single-page app.
  app.use((request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    response.setHeader('Cache-Control', 'no-cache');
    response.sendFile(join(staticRoot, 'index.html'));
  });
  return app;
}
