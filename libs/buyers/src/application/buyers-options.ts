/** Settings of the buyers' context, from libs/config. */
export interface BuyersOptions {
  redisUrl: string;
  redisPrefix: string;
  /** Master key the webhook signing secrets are derived from. */
  webhookSigningKey: string;
  webhookAttempts: number;
  webhookBackoffMs: number;
  webhookTimeoutMs: number;
  /** Where webhooks may point: public addresses only (tests allow loopback), https outside development. */
  webhookTargets: { allowPrivate: boolean; requireHttps: boolean };
  /** For a vertical whose market settings are not published yet (LX_DEFAULT_CURRENCY). */
  defaultCurrency: string;
  /** Start the projections, subscriptions and delivery worker in this process. */
  runBackgroundWork: boolean;
}

export const BUYERS_OPTIONS = Symbol('BUYERS_OPTIONS');
