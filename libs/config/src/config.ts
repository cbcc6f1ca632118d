import { z } from 'zod';
import { developmentSecrets, isDeployment, secretWeakness, type SecretName } from './secrets.js';

const base64Key = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes in base64');
/** A comma-separated list, empty when unset. */
const list = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/**
 * Every setting comes from the environment, validated, with defaults that work on a developer
 * machine (local PostgreSQL and Redis, the PostgreSQL event store). Outside development (see
 * `isDeployment`) no secret may keep its published default or be weak: every offender is named.
 */
const schema = z
  .object({
    /** `production` holds the deployment to its duties even on a loopback address. */
    LX_ENV: z.enum(['production', 'development']).default('development'),
    LX_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/lead_exchange'),
    LX_REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
    LX_REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,40}$/)
      .default('lx'),
    LX_EVENT_STORE: z.enum(['postgres', 'eventstoredb']).default('postgres'),
    LX_EVENTSTOREDB_URL: z.string().optional(),
    LX_SELLERS_PORT: port(3001),
    LX_BUYERS_PORT: port(3002),
    LX_SETTLEMENT_PORT: port(3003),
    LX_HOST: z.string().default('127.0.0.1'),
    LX_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `auto`: readable on a terminal (and under `npm start` on one), JSON lines otherwise. */
    LX_LOG_FORMAT: z.enum(['json', 'pretty', 'auto']).default('auto'),
    /** Check every JSON answer against its documented schema (tests and staging; costs a parse per answer). */
    LX_CHECK_RESPONSES: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
    LX_OPERATOR_API_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Keeps LX_OPERATOR_API_KEY working after a registered operator holds a key (warned at start). */
    LX_KEEP_BOOTSTRAP_OPERATOR_KEY: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
    /** Key of the digest an Idempotency-Key record keeps of its request body (HMAC-SHA256). */
    LX_IDEMPOTENCY_KEY: z.string().min(32).default(developmentSecrets.LX_IDEMPOTENCY_KEY),
    /** Bearer key of `/metrics` outside development; without it `/metrics` is off there. */
    LX_METRICS_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    /** `/health/ready` answers 503 while a projection's oldest unapplied event is older than this. */
    LX_READY_MAX_LAG_SECONDS: z.coerce.number().min(0).default(30),
    /** Serves the OpenAPI document and UI at /docs; default: in development only. */
    LX_SERVE_DOCS: z.enum(['true', 'false']).optional(),
    LX_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    /** Failed authentications per minute from one source address, and for one key id, before 429. */
    LX_AUTH_FAILURES_PER_MINUTE: z.coerce.number().int().min(1).default(20),
    LX_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    LX_REQUIRE_NOEVICTION: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    // Sellers: uploads, verification and the personal-data vault.
    LX_UPLOAD_MAX_ROWS: z.coerce.number().int().min(1).default(200_000),
    LX_UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(100 * 1024 * 1024),
    /** Runs the BullMQ verification worker inside the sellers app; false when workers run as their own processes. */
    LX_SELLERS_VERIFICATION_WORKER: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    LX_VERIFICATION_CHUNK_ROWS: z.coerce.number().int().min(1).max(5000).default(1000),
    /** How long a verification job's lock lives without renewal: a killed worker's batch resumes after it. */
    LX_VERIFICATION_LOCK_MS: z.coerce.number().int().min(1000).default(30_000),
    /** Key of the HMAC fingerprints of phones and e-mails (dedupe, suppression); never logged. */
    LX_FINGERPRINT_KEY: z.string().min(32).default(developmentSecrets.LX_FINGERPRINT_KEY),
    /** The version new fingerprints record; raise it with each new LX_FINGERPRINT_KEY. */
    LX_FINGERPRINT_KEY_VERSION: z.coerce.number().int().min(1).max(999_999).default(1),
    /** Earlier fingerprint keys as `<version>:<key>`, comma-separated: stored fingerprints are still checked under them. */
    LX_FINGERPRINT_PREVIOUS_KEYS: list(
      z
        .string()
        .regex(/^[1-9][0-9]{0,5}:.{32,}$/, 'each entry is <version>:<key of at least 32 characters>')
        .transform((entry) => ({
          version: Number(entry.slice(0, entry.indexOf(':'))),
          key: entry.slice(entry.indexOf(':') + 1),
        })),
    ),
    /**
     * The vault's own database (wrapped data keys only): backed up and retained apart from the log,
     * so restoring the log never restores an erased key. Default: the main database's name + `_vault`.
     */
    LX_VAULT_DATABASE_URL: z.string().url().optional(),
    /** The vault's master key (32 bytes, base64), standing in for a KMS key: new data keys are wrapped by it. */
    LX_VAULT_MASTER_KEY: base64Key.default(developmentSecrets.LX_VAULT_MASTER_KEY),
    /** Earlier master keys, comma-separated: they still unwrap until `npm run vault:rewrap` has moved every key. */
    LX_VAULT_PREVIOUS_MASTER_KEYS: list(base64Key),
    /** Used for a vertical whose market settings have not been published yet. */
    LX_DEFAULT_CURRENCY: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default('RUB'),
    LX_DEFAULT_DEDUPE_WINDOW_DAYS: z.coerce.number().int().min(0).default(30),
    LX_DEFAULT_LISTING_LIFETIME_HOURS: z.coerce.number().int().min(1).default(72),
    /** Leads captured longer ago than this are refused as stale. */
    LX_LEAD_MAX_AGE_DAYS: z.coerce.number().int().min(1).default(90),
    // Settlement: return windows, automatic return rules, payouts.
    /** Overrides every market's return window (milliseconds), so tests and demos can close windows in seconds. */
    LX_RETURN_WINDOW_MS: z.coerce.number().int().min(1).optional(),
    /** How long a seller has to answer a return before it goes to an auditor unanswered. */
    LX_SELLER_RESPONSE_HOURS: z.coerce.number().int().min(1).default(48),
    /** How long an auditor has to decide an escalated return: the disputes queue's deadline (nothing is decided automatically at it). */
    LX_DISPUTE_DECISION_HOURS: z.coerce.number().int().min(1).default(72),
    /** Overrides the seller's answering time (milliseconds), for tests and demos. */
    LX_SELLER_RESPONSE_MS: z.coerce.number().int().min(1).optional(),
    /** The rolling window over which a buyer's returns are compared with the market's return cap. */
    LX_RETURN_CAP_WINDOW_DAYS: z.coerce.number().int().min(1).default(30),
    /** Runs the return-window and payout BullMQ workers inside the settlement app. */
    LX_SETTLEMENT_WORKERS: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    /** Cron pattern of the scheduled payouts of available seller balances; empty: no schedule. */
    LX_PAYOUT_CRON: z.string().default('0 6 * * *'),
    // Buyers: webhook delivery.
    /** Master key the webhook signing secrets are derived from (the log holds only a reference); dev default. */
    LX_WEBHOOK_SIGNING_KEY: z.string().min(32).default(developmentSecrets.LX_WEBHOOK_SIGNING_KEY),
    LX_WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
    /** First retry delay; each next one doubles (BullMQ exponential backoff). */
    LX_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).default(2000),
    LX_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
    /** Period of the reconciliation that re-queues pending webhook deliveries a Redis loss dropped. */
    LX_WEBHOOK_RECONCILE_SECONDS: z.coerce.number().int().min(1).default(30),
    /** Lets webhooks reach loopback and private addresses: for tests on one machine; refused outside development. */
    LX_WEBHOOK_ALLOW_PRIVATE_TARGETS: z
      .enum(['true', 'false'])
      .default('false')
      .transform((value) => value === 'true'),
    /** Runs the buyers' projections, subscriptions and webhook worker inside the buyers app. */
    LX_BUYERS_BACKGROUND_WORK: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    // Settlement: the matching engines and their clock.
    /** The markets (verticals) this deployment runs an engine for, comma-separated. */
    LX_MATCHING_MARKETS: z
      .string()
      .regex(/^[a-z][a-z0-9_]*(,[a-z][a-z0-9_]*)*$/)
      .default('eyewear,insurance,loans,real_estate,education'),
    /** Runs the matching engines (and their clock job) inside the settlement app; every instance is a hot standby. */
    LX_MATCHING_ENGINES: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    /** Period of the MarketClockTicked job (BullMQ) that drives expiries in an idle market. */
    LX_MARKET_CLOCK_SECONDS: z.coerce.number().int().min(1).default(60),
    /**
     * How often the scheduled jobs (market clock, payouts, return windows, sellers' deadlines) are
     * checked against the log and put back if Redis lost them.
     */
    LX_SCHEDULE_RECONCILE_SECONDS: z.coerce.number().int().min(1).default(30),
  })
  .superRefine((env, ctx) => {
    if (env.LX_EVENT_STORE === 'eventstoredb' && !env.LX_EVENTSTOREDB_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['LX_EVENTSTOREDB_URL'],
        message: 'required when LX_EVENT_STORE=eventstoredb',
      });
    const fingerprintVersions = [
      env.LX_FINGERPRINT_KEY_VERSION,
      ...env.LX_FINGERPRINT_PREVIOUS_KEYS.map((k) => k.version),
    ];
    if (new Set(fingerprintVersions).size !== fingerprintVersions.length)
      ctx.addIssue({
        code: 'custom',
        path: ['LX_FINGERPRINT_PREVIOUS_KEYS'],
        message: 'every fingerprint key needs its own version, LX_FINGERPRINT_KEY_VERSION included',
      });
    if (!isDeployment(env)) return;
    if (env.LX_WEBHOOK_ALLOW_PRIVATE_TARGETS)
      ctx.addIssue({
        code: 'custom',
        path: ['LX_WEBHOOK_ALLOW_PRIVATE_TARGETS'],
        message: 'webhooks to private addresses are for tests only (outside development)',
      });
    const secrets: [SecretName | 'LX_OPERATOR_API_KEY' | 'LX_METRICS_KEY', string | undefined][] = [
      ['LX_VAULT_MASTER_KEY', env.LX_VAULT_MASTER_KEY],
      ['LX_FINGERPRINT_KEY', env.LX_FINGERPRINT_KEY],
      ['LX_WEBHOOK_SIGNING_KEY', env.LX_WEBHOOK_SIGNING_KEY],
      ['LX_IDEMPOTENCY_KEY', env.LX_IDEMPOTENCY_KEY],
      ['LX_OPERATOR_API_KEY', env.LX_OPERATOR_API_KEY],
      ['LX_METRICS_KEY', env.LX_METRICS_KEY],
    ];
    for (const [name, value] of secrets) {
      const weakness =
        value === undefined
          ? null
          : secretWeakness(value, name === 'LX_VAULT_MASTER_KEY' ? 'base64' : 'text');
      if (weakness)
        ctx.addIssue({ code: 'custom', path: [name], message: `${weakness} (outside development)` });
    }
  })
  .transform((env) => {
    const deployment = isDeployment(env);
    return { ...env, deployment, serveDocs: env.LX_SERVE_DOCS ? env.LX_SERVE_DOCS === 'true' : !deployment };
  });

export type ExchangeConfig = z.infer<typeof schema>;

/** Where the vault keeps wrapped data keys: LX_VAULT_DATABASE_URL, or `<main database>_vault` beside it. */
export function vaultDatabaseUrl(
  config: Pick<ExchangeConfig, 'LX_DATABASE_URL' | 'LX_VAULT_DATABASE_URL'>,
): string {
  if (config.LX_VAULT_DATABASE_URL) return config.LX_VAULT_DATABASE_URL;
  const url = new URL(config.LX_DATABASE_URL);
  url.pathname = `${url.pathname}_vault`;
  return url.toString();
}

export class ConfigurationError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads and validates the configuration; every invalid variable is named in one error. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ExchangeConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  return parsed.data;
}
