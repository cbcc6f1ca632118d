import { createHmac, randomBytes } from 'node:crypto';

/*
 * The log never holds a webhook's signing secret (WebhookConfigured carries `secretRef` only):
 * the secret is derived from the exchange's master key and that reference, so any instance can
 * recompute it and rotating it is configuring the webhook again (a new reference).
 */
export function newWebhookSecretRef(): string {
  return `derived:v1:${randomBytes(12).toString('hex')}`;
}

export function webhookSecret(masterKey: string, buyerId: string, secretRef: string): string {
  return `whsec_${createHmac('sha256', masterKey).update(`${buyerId}\n${secretRef}`).digest('base64url')}`;
}
