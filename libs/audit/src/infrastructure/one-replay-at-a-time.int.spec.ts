import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '#lx/testing';
import { oneReplayAtATime } from './one-replay-at-a-time.js';

let database: TestDatabase;
const instances: pg.Pool[] = [];

beforeAll(async () => {
  database = await createTestDatabase('one_replay');
  // Two pools stand for two instances of the settlement app on one database.
  instances.push(
    new pg.Pool({ connectionString: database.url }),
    new pg.Pool({ connectionString: database.url }),
  );
});

afterAll(async () => {
  await Promise.all(instances.map((pool) => pool.end()));
  await database.drop();
});

describe('one audit replay at a time per deployment', () => {
  it('queues replays requested on several instances at once, and runs each', async () => {
    let running = 0;
    let mostAtOnce = 0;
    const finished: number[] = [];
    const replay = (n: number) => async () => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      await new Promise((resolve) => setTimeout(resolve, 150));
      running--;
      finished.push(n);
      return n;
    };
    const results = await Promise.all(
      [0, 1, 2, 3].map((n) => oneReplayAtATime(() => instances[n % 2]!.connect(), replay(n))),
    );
    expect(results).toEqual([0, 1, 2, 3]);
    expect(finished.sort()).toEqual([0, 1, 2, 3]);
    expect(mostAtOnce).toBe(1);
  });

  it('frees the lock when a replay fails, so the next one runs', async () => {
    await expect(
      oneReplayAtATime(
        () => instances[0]!.connect(),
        async () => {
          throw new Error('scratch process crashed');
        },
      ),
    ).rejects.toThrow('scratch process crashed');
    await expect(
      oneReplayAtATime(
        () => instances[1]!.connect(),
        async () => 'next',
      ),
    ).resolves.toBe('next');
  });
});
