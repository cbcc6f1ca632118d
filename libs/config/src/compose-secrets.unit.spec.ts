import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { developmentSecrets } from './secrets.js';

// docker-compose.yml cannot be started here (no Docker engine): its promises are read from the file.
const compose = readFileSync(new URL('../../../docker-compose.yml', import.meta.url), 'utf8');

describe('docker-compose.yml', () => {
  it('runs the apps as a production deployment, so they refuse default or weak secrets', () => {
    expect(compose).toMatch(/^ {4}LX_ENV: production$/m);
  });

  it.each([...Object.keys(developmentSecrets), 'LX_OPERATOR_API_KEY', 'LX_METRICS_KEY'])(
    'asks for %s instead of falling back to a default',
    (name) => {
      expect(compose).toMatch(new RegExp(`^ {4}${name}: \\$\\{${name}:\\?run scripts/generate-secrets`, 'm'));
    },
  );
});
