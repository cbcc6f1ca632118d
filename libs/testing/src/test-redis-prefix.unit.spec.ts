import { afterEach, describe, expect, it } from '@jest/globals';
import { loadConfig } from '#lx/config';
import { testRedisPrefix } from './test-database.js';

describe('test Redis prefixes', () => {
  const saved = process.env.LX_TEST_RUN;
  afterEach(() => {
    if (saved === undefined) delete process.env.LX_TEST_RUN;
    else process.env.LX_TEST_RUN = saved;
  });

  it('start with the run id, and the apps accept them however long the label', () => {
    process.env.LX_TEST_RUN = 'a1b2c3';
    const prefix = testRedisPrefix('console-buyer-orders-and-more').replace(/:$/, '');
    expect(prefix).toMatch(/^lxtest:a1b2c3:console-buy/);
    expect(() => loadConfig({ LX_REDIS_PREFIX: prefix })).not.toThrow();
  });

  it('differ from one test to the next', () => {
    expect(testRedisPrefix('x')).not.toBe(testRedisPrefix('x'));
  });
});
