import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { ConfigurationError, loadConfig } from './config.js';
import { developmentSecrets } from './secrets.js';

const strong = () => randomBytes(24).toString('base64url');
const strongSecrets = () => ({
  LX_VAULT_MASTER_KEY: randomBytes(32).toString('base64'),
  LX_FINGERPRINT_KEY: strong(),
  LX_WEBHOOK_SIGNING_KEY: strong(),
  LX_IDEMPOTENCY_KEY: strong(),
});

function issuesOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigurationError) return error.issues;
    throw error;
  }
}

describe('configuration secrets', () => {
  it('lets development run on the published defaults', () => {
    const config = loadConfig({});
    expect(config.deployment).toBe(false);
    expect(config.LX_VAULT_MASTER_KEY).toBe(developmentSecrets.LX_VAULT_MASTER_KEY);
    expect(config.serveDocs).toBe(true);
  });

  it.each([
    ['LX_ENV=production', { LX_ENV: 'production' }],
    ['a non-loopback LX_HOST', { LX_HOST: '0.0.0.0' }],
  ])('refuses every published default outside development (%s), naming each', (_, env) => {
    const issues = issuesOf(env);
    expect(issues.map((issue) => issue.split(':')[0]).sort()).toEqual([
      'LX_FINGERPRINT_KEY',
      'LX_IDEMPOTENCY_KEY',
      'LX_VAULT_MASTER_KEY',
      'LX_WEBHOOK_SIGNING_KEY',
    ]);
    expect(issues.join('\n')).toMatch(/published development default/);
  });

  it.each(['localhost', '127.0.0.1', '127.0.1.1', '::1'])('treats %s as development', (host) => {
    expect(loadConfig({ LX_HOST: host }).deployment).toBe(false);
  });

  it('refuses placeholders and keys with too few distinct characters, and an operator key among them', () => {
    const issues = issuesOf({
      ...strongSecrets(),
      LX_ENV: 'production',
      LX_FINGERPRINT_KEY: 'please-change-me-before-going-live-0000',
      LX_WEBHOOK_SIGNING_KEY: 'ab'.repeat(20),
      LX_VAULT_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      LX_OPERATOR_API_KEY: '0123'.repeat(10),
    });
    expect(issues.map((issue) => issue.split(':')[0]).sort()).toEqual([
      'LX_FINGERPRINT_KEY',
      'LX_OPERATOR_API_KEY',
      'LX_VAULT_MASTER_KEY',
      'LX_WEBHOOK_SIGNING_KEY',
    ]);
  });

  it('starts a deployment on random secrets, with docs off unless asked for', () => {
    const config = loadConfig({ ...strongSecrets(), LX_ENV: 'production', LX_OPERATOR_API_KEY: strong() });
    expect(config.deployment).toBe(true);
    expect(config.serveDocs).toBe(false);
    expect(loadConfig({ ...strongSecrets(), LX_ENV: 'production', LX_SERVE_DOCS: 'true' }).serveDocs).toBe(
      true,
    );
    // hex keys (openssl rand -hex 24) have only 16 symbols and are still random enough
    expect(
      loadConfig({
        ...strongSecrets(),
        LX_ENV: 'production',
        LX_FINGERPRINT_KEY: randomBytes(24).toString('hex'),
      }).deployment,
    ).toBe(true);
  });

  it('accepts the published default as a previous master key, so a deployment can rotate away from it', () => {
    const config = loadConfig({
      ...strongSecrets(),
      LX_ENV: 'production',
      LX_VAULT_PREVIOUS_MASTER_KEYS: `${developmentSecrets.LX_VAULT_MASTER_KEY}, ${randomBytes(32).toString('base64')}`,
    });
    expect(config.LX_VAULT_PREVIOUS_MASTER_KEYS).toHaveLength(2);
    expect(issuesOf({ LX_VAULT_PREVIOUS_MASTER_KEYS: 'c2hvcnQ=' })).toEqual([
      'LX_VAULT_PREVIOUS_MASTER_KEYS.0: must be 32 bytes in base64',
    ]);
  });

  it('reads earlier fingerprint keys with their versions, each version once', () => {
    const earlier = strong();
    const config = loadConfig({
      LX_FINGERPRINT_KEY_VERSION: '2',
      LX_FINGERPRINT_PREVIOUS_KEYS: `1:${earlier}`,
    });
    expect(config.LX_FINGERPRINT_PREVIOUS_KEYS).toEqual([{ version: 1, key: earlier }]);
    expect(issuesOf({ LX_FINGERPRINT_PREVIOUS_KEYS: `1:${earlier}` })).toEqual([
      'LX_FINGERPRINT_PREVIOUS_KEYS: every fingerprint key needs its own version, LX_FINGERPRINT_KEY_VERSION included',
    ]);
    expect(issuesOf({ LX_FINGERPRINT_PREVIOUS_KEYS: 'short' })).toEqual([
      'LX_FINGERPRINT_PREVIOUS_KEYS.0: each entry is <version>:<key of at least 32 characters>',
    ]);
  });
});
