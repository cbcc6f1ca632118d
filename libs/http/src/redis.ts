import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

export const REDIS = Symbol('REDIS');
export const REDIS_PREFIX = Symbol('REDIS_PREFIX');

export interface RedisOptions {
  url: string;
  /** Prepended to every key this code writes, so that runs and deployments can share a Redis. */
  prefix: string;
  requireNoEviction: boolean;
}

export class RedisEvictionPolicyError extends Error {
  constructor(policy: string) {
    super(
      `Redis maxmemory-policy is "${policy}": queues and idempotency records could be evicted. ` +
        'Set maxmemory-policy noeviction (or LX_REQUIRE_NOEVICTION=false for a throwaway setup).',
    );
  }
}

/** Connects and refuses a Redis that may evict keys: losing a queued job or a record loses work. */
export async function connectRedis(options: RedisOptions): Promise<Redis> {
  const redis = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: true });
  await redis.connect();
  if (options.requireNoEviction) {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1] ?? 'unknown';
    if (policy !== 'noeviction') {
      redis.disconnect();
      throw new RedisEvictionPolicyError(policy);
    }
  }
  return redis;
}

class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }
}

@Global()
@Module({})
export class RedisModule {
  static forRoot(options: RedisOptions): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        { provide: REDIS, useFactory: () => connectRedis(options) },
        { provide: REDIS_PREFIX, useValue: options.prefix },
        RedisCloser,
      ],
      exports: [REDIS, REDIS_PREFIX],
    };
  }
}
