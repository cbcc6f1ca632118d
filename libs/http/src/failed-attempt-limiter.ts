import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { ProblemException } from './problem-details.js';
import { minuteWindow } from './rate-limiter.js';
import { REDIS, REDIS_PREFIX } from './redis.js';

export const FAILED_ATTEMPTS_PER_MINUTE = Symbol('FAILED_ATTEMPTS_PER_MINUTE');

/**
 * Failed attempts (of authentication) per subject — a source address, a key id — in a fixed
 * one-minute window counted in Redis, so that every instance shares it. Checked BEFORE the costly
 * work, so that a caller past the limit costs one Redis read.
 */
@Injectable()
export class FailedAttemptLimiter {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(REDIS_PREFIX) private readonly prefix: string,
    @Inject(FAILED_ATTEMPTS_PER_MINUTE) private readonly limit: number,
  ) {}

  /** 429 (with Retry-After) when any of `subjects` failed `limit` times in this window. */
  async refuseWhenExhausted(subjects: readonly string[], nowMs = Date.now()): Promise<void> {
    const { window, secondsLeft } = minuteWindow(nowMs);
    const counts = await this.redis.mget(subjects.map((subject) => this.key(subject, window)));
    const exhausted = subjects.filter((_, i) => Number(counts[i] ?? 0) >= this.limit);
    if (exhausted.length === 0) return;
    throw new ProblemException(
      429,
      'too-many-failed-attempts',
      'Too many failed attempts',
      `At most ${this.limit} failed authentications per minute from one address and for one key id`,
      { retryAfterSeconds: secondsLeft },
    );
  }

  async recordFailure(subjects: readonly string[], nowMs = Date.now()): Promise<void> {
    const { window } = minuteWindow(nowMs);
    const batch = this.redis.multi();
    for (const subject of subjects)
      batch.incr(this.key(subject, window)).expire(this.key(subject, window), 61);
    await batch.exec();
  }

  private key(subject: string, window: number): string {
    return `${this.prefix}:failed:${subject}:${window}`;
  }
}
