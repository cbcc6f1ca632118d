/** Where a buyer's webhook may point: checked when it is configured (and again at each delivery). */
export interface WebhookTargetCheck {
  /** Resolves when the URL may receive webhooks; rejects with a refusal that names why not. */
  check(url: string): Promise<void>;
}

export const WEBHOOK_TARGET_CHECK = Symbol('WEBHOOK_TARGET_CHECK');
