import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { REDIS, REDIS_PREFIX } from './redis.js';
import { ProblemException } from './problem-details.js';

export const RATE_LIMIT_PER_MINUTE = Symbol('RATE_LIMIT_PER_MINUTE');

/** The fixed one-minute window `nowMs` falls in, and the whole seconds left in it. */
export function minuteWindow(nowMs: number): { window: number; secondsLeft: number } {
  const nowSeconds = Math.floor(nowMs / 1000);
  const window = Math.floor(nowSeconds / 60);
  return { window, secondsLeft: (window + 1) * 60 - nowSeconds };
}

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
    const { window, secondsLeft } = minuteWindow(Date.now());
    const key = `${this.prefix}:rl:${keyId}:${window}`;
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, 61).exec()) as [[unknown, number]];
    response.setHeader('RateLimit-Limit', String(this.limit));
    response.setHeader('RateLimit-Remaining', String(Math.max(0, this.limit - count)));
    if (count > this.limit) {
      throw new ProblemException(
        429,
        'rate-limited',
        'Too many requests',
        `At most ${this.limit} requests per minute per API key`,
        { retryAfterSeconds: secondsLeft },
      );
    }
  }
}
