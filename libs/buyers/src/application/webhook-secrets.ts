import { createHmac, randomBytes } from 'node:crypto';

/*
 * The log never holds a webhook's signing secret (WebhookConfigured carries `secretRef` only):
 * the secret is derived from the exchange's master key and that reference, so any instance can
 * recompute it. Configuring the webhook again replaces the secret at once; a rotation keeps the
 * previous one in force for an overlap window, so the buyer can switch receivers without a gap.
 */
export function newWebhookSecretRef(): string {
  return `derived:v1:${randomBytes(12).toString('hex')}`;
}

export function webhookSecret(masterKey: string, buyerId: string, secretRef: string): string {
  return `whsec_${createHmac('sha256', masterKey).update(`${buyerId}\n${secretRef}`).digest('base64url')}`;
}

/** The secrets deliveries are signed with at `now`, newest first. */
export function webhookSecretsInForce(
  masterKey: string,
  buyerId: string,
  webhook: { secretRef: string; previous?: { secretRef: string; validUntil: string } },
  now: Date,
): string[] {
  const previous =
    webhook.previous && Date.parse(webhook.previous.validUntil) > now.getTime()
      ? [webhook.previous.secretRef]
      : [];
  return [webhook.secretRef, ...previous].map((ref) => webhookSecret(masterKey, buyerId, ref));
}
