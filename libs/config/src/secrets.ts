/**
 * The secrets of a deployment and what makes one unfit outside development: the development
 * defaults below are published in this repository, so a deployment that keeps one encrypts,
 * fingerprints or signs under a key anyone can read.
 */
export const developmentSecrets = {
  LX_VAULT_MASTER_KEY: 'ZGV2LW9ubHktdmF1bHQtbWFzdGVyLWtleS0zMmJ5dGU=',
  LX_FINGERPRINT_KEY: 'dev-only-fingerprint-key-change-me-0000000000',
  LX_WEBHOOK_SIGNING_KEY: 'dev-only-webhook-signing-key-change-me-000000',
  LX_IDEMPOTENCY_KEY: 'dev-only-idempotency-digest-key-change-me-000',
} as const;

export type SecretName = keyof typeof developmentSecrets;

/** Host names that only this machine can reach: an app bound to one is a development setup. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;

/** Outside development: `LX_ENV=production`, or the apps listen on an address others can reach. */
export function isDeployment(env: { LX_ENV: 'production' | 'development'; LX_HOST: string }): boolean {
  return env.LX_ENV === 'production' || !LOOPBACK.test(env.LX_HOST);
}

const PLACEHOLDER = /change-?me|dev-only|example|secret|password|default/i;

/**
 * Why a secret is unfit for a deployment, or null when it is fit: a published default, a
 * placeholder word, or too few distinct characters to be random (`aaaa…`, `0101…`). Base64 keys
 * are judged on their bytes.
 */
export function secretWeakness(value: string, encoding: 'text' | 'base64' = 'text'): string | null {
  if ((Object.values(developmentSecrets) as string[]).includes(value))
    return 'is the published development default; generate one (scripts/generate-secrets)';
  if (PLACEHOLDER.test(value))
    return 'looks like a placeholder; generate a random one (scripts/generate-secrets)';
  const symbols: unknown[] = encoding === 'base64' ? [...Buffer.from(value, 'base64')] : [...value];
  if (new Set(symbols).size < 10) return 'is not random enough; generate one (scripts/generate-secrets)';
  return null;
}
