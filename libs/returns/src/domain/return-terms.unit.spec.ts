import { describe, expect, it } from '@jest/globals';
import { MARKET_SETTINGS_DEFAULTS, marketSettingsInForce } from '#lx/contracts';
import { returnTermsInForce, windowEndsAt } from './return-terms.js';

/* The market's terms a return is judged under: the last published settings, else the defaults. */

const HOUR = 3_600_000;
const configuration = { defaultDedupeWindowDays: 14 };

describe('the market settings in force at a log position', () => {
  it('are the catalogue defaults while nothing was published, with no currency and no cap', () => {
    expect(marketSettingsInForce(null)).toEqual({
      currency: null,
      ...MARKET_SETTINGS_DEFAULTS,
      returnCapPercent: null,
      configured: false,
    });
    expect(MARKET_SETTINGS_DEFAULTS.returnWindowHours).toBe(72);
  });

  it('are the last published set as a whole once there is one', () => {
    const published = {
      vertical: 'eyewear',
      currency: 'RUB',
      commissionBps: 1000,
      returnWindowHours: 24,
      dedupeWindowDays: 0,
      listingLifetimeHours: 12,
      returnCapPercent: 20,
    };
    const { vertical: _vertical, ...expected } = published;
    expect(marketSettingsInForce(published, { dedupeWindowDays: 14 })).toEqual({
      ...expected,
      configured: true,
    });
  });
});

describe('the return terms of an allocation', () => {
  it('take the window, dedupe window and cap the market published before the allocation', () => {
    const terms = returnTermsInForce(
      { returnWindowHours: 24, dedupeWindowDays: 7, returnCapPercent: 10 },
      configuration,
    );
    expect(terms).toEqual({ returnWindowMs: 24 * HOUR, dedupeWindowDays: 7, returnCapPercent: 10 });
  });

  it('fall back to the 72-hour window and the configured dedupe window, with no cap', () => {
    expect(returnTermsInForce(null, configuration)).toEqual({
      returnWindowMs: 72 * HOUR,
      dedupeWindowDays: 14,
      returnCapPercent: null,
    });
  });

  it('let the development override replace every market’s window', () => {
    const override = { ...configuration, returnWindowMsOverride: 5_000 };
    expect(returnTermsInForce(null, override).returnWindowMs).toBe(5_000);
    expect(returnTermsInForce({ returnWindowHours: 24, dedupeWindowDays: 7 }, override).returnWindowMs).toBe(
      5_000,
    );
  });

  it('close the window that long after the allocation', () => {
    const terms = returnTermsInForce(null, configuration);
    expect(windowEndsAt('2030-01-01T10:00:00.000Z', terms)).toBe('2030-01-04T10:00:00.000Z');
  });
});
