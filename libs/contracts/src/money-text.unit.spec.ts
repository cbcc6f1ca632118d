import { describe, expect, it } from '@jest/globals';
import { formatInstant, formatMoney, majorUnits, marketLocale } from './money-text.js';

describe('money as people read it', () => {
  it('shows major units in the market locale with the currency code', () => {
    expect(formatMoney(60_000, 'RUB', marketLocale('RU'))).toBe('600,00 RUB');
    expect(formatMoney(123_456_750, 'RUB', 'ru-RU').replace(/\s/gu, ' ')).toBe('1 234 567,50 RUB');
    expect(formatMoney(123_450, 'EUR', marketLocale('ES'))).toBe('1234,50 EUR');
    expect(formatMoney(12_345_650, 'EUR', 'es-ES')).toBe('123.456,50 EUR');
    expect(formatMoney(-5, 'EUR', 'en-GB')).toBe('-0.05 EUR');
  });

  it('honours currencies without minor units', () => {
    expect(formatMoney(1500, 'JPY', 'en-GB')).toBe('1,500 JPY');
    expect(majorUnits(1500, 'JPY')).toBe('1500');
  });

  it('writes plain major units for machines, exact to the minor unit', () => {
    expect(majorUnits(60_000, 'RUB')).toBe('600.00');
    expect(majorUnits(7, 'EUR')).toBe('0.07');
    expect(majorUnits(-102_005, 'RUB')).toBe('-1020.05');
    expect(majorUnits(0, 'EUR')).toBe('0.00');
  });

  it('falls back to English for a market without a locale of its own', () => {
    expect(marketLocale('FR')).toBe('en-GB');
    expect(marketLocale(undefined)).toBe('en-GB');
  });

  it('dates in UTC without ambiguity', () => {
    expect(formatInstant('2026-11-23T12:05:09.123Z')).toBe('2026-11-23 12:05 UTC');
  });
});
