import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/**
 * Every setting comes from the environment, validated, with defaults that work on a developer
 * machine (local PostgreSQL and Redis, the PostgreSQL event store).
 */
const schema = z
  .object({
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
    LX_OPERATOR_API_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    LX_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    LX_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(1024 * 1024),
    LX_REQUIRE_NOEVICTION: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
  })
  .superRefine((env, ctx) => {
    if (env.LX_EVENT_STORE === 'eventstoredb' && !env.LX_EVENTSTOREDB_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['LX_EVENTSTOREDB_URL'],
        message: 'required when LX_EVENT_STORE=eventstoredb',
      });
  });

export type ExchangeConfig = z.infer<typeof schema>;

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
