import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { REDIS, REDIS_PREFIX } from './redis.js';
import { ProblemException } from './problem-details.js';

export const RATE_LIMIT_PER_MINUTE = Symbol('RATE_LIMIT_PER_MINUTE');

/**
 * A fixed one-minute window per API key, counted in Redis so that every instance of an app
 * shares it. Called by the authentication guard once it knows the key.
 */
@Injectable()
export class RateLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_PREFIX) private readonly prefix: string,
    @Inject(RATE_LIMIT_PER_MINUTE) private readonly limit: number,
  ) {}

  async consume(keyId: string, response: Response): Promise<void> {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const window = Math.floor(nowSeconds / 60);
    const key = `${this.prefix}:rl:${keyId}:${window}`;
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, 61).exec()) as [[unknown, number]];
    response.setHeader('RateLimit-Limit', String(this.limit));
    response.setHeader('RateLimit-Remaining', String(Math.max(0, this.limit - count)));
    if (count > this.limit) {
      const retryAfterSeconds = (window + 1) * 60 - nowSeconds;
      throw new ProblemException(
        429,
        'rate-limited',
        'Too many requests',
        `At most ${this.limit} requests per minute per API key`,
        {
          retryAfterSeconds,
        },
      );
    }
  }
}
