import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigurationError, loadConfig } from './config.js';
import { developmentSecrets } from './secrets.js';

// docker-compose.yml cannot be started here (no Docker engine): its promises are read from the file.
const text = readFileSync(new URL('../../../docker-compose.yml', import.meta.url), 'utf8');

interface Service {
  profiles?: string[];
  environment?: Record<string, string | number>;
  healthcheck?: { test?: string[] };
  ports?: string[];
  [key: string]: unknown;
}
const compose = parse(text, { merge: true }) as { services: Record<string, Service> };
const apps = ['sellers', 'buyers', 'settlement'] as const;
const secrets = [...Object.keys(developmentSecrets), 'LX_OPERATOR_API_KEY', 'LX_METRICS_KEY'];

/** What Compose hands the app when the variable is unset: `${NAME:-default}` becomes the default. */
function unsetInterpolation(value: string | number): string {
  return String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
}

describe('docker-compose.yml', () => {
  it('runs the apps as a production deployment, so they refuse default or weak secrets', () => {
    for (const app of apps) expect(compose.services[app]!.environment!.LX_ENV).toBe('production');
  });

  // Compose interpolates every service, those of inactive profiles too, before it filters by
  // profile: one ${NAME:?} anywhere stops `docker compose up -d postgres redis`.
  it('asks for no variable, so `docker compose up -d postgres redis` starts without secrets', () => {
    expect(text).not.toMatch(/\$\{[A-Z_]+:?\?/);
    for (const name of ['postgres', 'redis']) {
      expect(compose.services[name]!.profiles).toBeUndefined();
      expect(JSON.stringify(compose.services[name])).not.toContain('${');
    }
  });

  it.each(secrets)('passes %s from the environment, with no default the apps would accept', (name) => {
    for (const app of apps) expect(compose.services[app]!.environment![name]).toBe(`\${${name}:-}`);
  });

  it('gives apps started without the secrets a configuration error naming each of them', () => {
    const environment = compose.services.settlement!.environment!;
    const env = Object.fromEntries(
      Object.entries(environment).map(([name, value]) => [name, unsetInterpolation(value)]),
    );
    const error = (() => {
      try {
        loadConfig(env);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    for (const name of secrets) expect((error as ConfigurationError).message).toContain(name);
  });

  it.each(apps)('puts %s in the `apps` profile with a readiness health check on its own port', (app) => {
    const service = compose.services[app]!;
    expect(service.profiles).toEqual(['apps']);
    const port = service.ports![0]!.split(':')[1];
    const test = service.healthcheck!.test!;
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect(test[3]).toContain(`fetch('http://127.0.0.1:${port}/health/ready')`);
  });

  it('keeps EventStoreDB in its own profile', () => {
    expect(compose.services.eventstoredb!.profiles).toEqual(['eventstoredb']);
  });
});
