import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/**
 * The console server's settings: its own port, and where the three APIs listen (by default the
 * ports `npm start` gives them on this host).
 */
const schema = z
  .object({
    LX_HOST: z.string().default('127.0.0.1'),
    LX_CONSOLE_PORT: port(3000),
    LX_SELLERS_PORT: port(3001),
    LX_BUYERS_PORT: port(3002),
    LX_SETTLEMENT_PORT: port(3003),
    LX_SELLERS_URL: z.url().optional(),
    LX_BUYERS_URL: z.url().optional(),
    LX_SETTLEMENT_URL: z.url().optional(),
    /** Where the built console is (vite build writes dist/console). */
    LX_CONSOLE_ROOT: z.string().optional(),
  })
  .transform((env) => {
    const local = (port: number) => `http://${env.LX_HOST === '0.0.0.0' ? '127.0.0.1' : env.LX_HOST}:${port}`;
    return {
      host: env.LX_HOST,
      port: env.LX_CONSOLE_PORT,
      root: env.LX_CONSOLE_ROOT,
      upstreams: {
        sellers: env.LX_SELLERS_URL ?? local(env.LX_SELLERS_PORT),
        buyers: env.LX_BUYERS_URL ?? local(env.LX_BUYERS_PORT),
        settlement: env.LX_SETTLEMENT_URL ?? local(env.LX_SETTLEMENT_PORT),
      },
    };
  });

export type ConsoleConfig = z.output<typeof schema>;

export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `Invalid console configuration:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')}`,
    );
  return parsed.data;
}
