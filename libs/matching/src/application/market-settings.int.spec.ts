import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventCatalogue } from '#lx/contracts';
import { PostgresEventStore } from '#lx/event-store';
import { createTestDatabase, testRedisPrefix, type TestDatabase } from '#lx/testing';
import { MarketClock } from '../infrastructure/market-clock.js';
import { MarketSettingsConflict, MarketSettingsService } from './market-settings.js';

let database: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  database = await createTestDatabase('matching_settings');
  store = await PostgresEventStore.connect({ connectionString: database.url, registry: eventCatalogue });
});

afterAll(async () => {
  await store.close();
  await database.drop();
});

describe('market settings as events', () => {
  it('reads the defaults with no currency until an operator publishes settings, then keeps omitted fields', async () => {
    const settings = new MarketSettingsService(store);
    expect(await settings.current('eyewear')).toEqual({
      vertical: 'eyewear',
      currency: null,
      commissionBps: 1500,
      returnWindowHours: 72,
      dedupeWindowDays: 30,
      listingLifetimeHours: 72,
      configured: false,
      revision: null,
    });
    await settings.change('eyewear', { currency: 'RUB', commissionBps: 1200 }, 'operator-1');
    const changed = await settings.change('eyewear', { currency: 'RUB', dedupeWindowDays: 7 }, 'operator-1');
    expect(changed).toMatchObject({
      currency: 'RUB',
      commissionBps: 1200,
      dedupeWindowDays: 7,
      configured: true,
      revision: 1,
    });
    const [event] = await store.readStream('marketSettings-eyewear', { direction: 'backwards', maxCount: 1 });
    expect(event).toMatchObject({ type: 'MarketSettingsChanged', metadata: { actor: 'operator-1' } });
  });

  it('refuses a change that raced another one', async () => {
    const settings = new MarketSettingsService(store);
    await settings.change('loans', { currency: 'EUR' }, 'operator-1');
    const racing = new MarketSettingsService({
      ...store,
      readStream: async () => [],
      appendToStream: store.appendToStream.bind(store),
    } as unknown as PostgresEventStore);
    await expect(racing.change('loans', { currency: 'EUR' }, 'operator-2')).rejects.toBeInstanceOf(
      MarketSettingsConflict,
    );
  });
});

describe('the market clock', () => {
  it('appends MarketClockTicked to marketClock-<vertical> on its BullMQ schedule', async () => {
    const clock = new MarketClock({
      store,
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: testRedisPrefix('matching-clock').slice(0, -1),
      markets: ['eyewear', 'loans'],
      everySeconds: 1,
    });
    await clock.start();
    const deadline = Date.now() + 20_000;
    let ticks = 0;
    while (Date.now() < deadline) {
      ticks = Math.min(
        (await store.readStream('marketClock-eyewear')).length,
        (await store.readStream('marketClock-loans')).length,
      );
      if (ticks >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await clock.close();
    expect(ticks).toBeGreaterThanOrEqual(2);
  });
});
