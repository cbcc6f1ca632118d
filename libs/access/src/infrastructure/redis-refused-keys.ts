import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS, REDIS_PREFIX } from '#lx/http';
import type { RefusedKeys } from '../application/refused-keys.port.js';

/** Long enough to absorb a flood of one forged key; a key can never become valid, so no harm after. */
export const REFUSED_KEY_MEMORY_MS = 60_000;

@Injectable()
export class RedisRefusedKeys implements RefusedKeys {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_PREFIX) private readonly prefix: string,
  ) {}

  async isRefused(fingerprint: string): Promise<boolean> {
    return (await this.redis.exists(this.key(fingerprint))) === 1;
  }

  async remember(fingerprint: string): Promise<void> {
    await this.redis.set(this.key(fingerprint), '1', 'PX', REFUSED_KEY_MEMORY_MS);
  }

  private key(fingerprint: string): string {
    return `${this.prefix}:refused-key:${fingerprint}`;
  }
}
