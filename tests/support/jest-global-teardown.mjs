// Jest's global teardown: deletes every Redis key of this test run (`lxtest:<run>:…`), those of
// tests that cleaned up after themselves being gone already — Redis is shared with other runs.
import { Redis } from 'ioredis';

export default async function globalTeardown() {
  const run = process.env.LX_TEST_RUN;
  if (!run) return;
  const redis = new Redis(process.env.LX_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: 3,
    lazyConnect: true,
  });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `lxtest:${run}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } catch (error) {
    console.error(`Could not remove this run's Redis keys (lxtest:${run}:*): ${error}`);
  } finally {
    redis.disconnect();
  }
}
