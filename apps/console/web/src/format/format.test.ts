import { describe, expect, it } from 'vitest';
import { formatMoney, parseMajorUnits, toMajorUnitsText } from './format';

describe('money as people type and read it', () => {
  it('shows minor units as major units with the currency, in the conventions of the language', () => {
    // Russian groups digits with a no-break space.
    expect(formatMoney(3_000_000, 'RUB', 'ru-RU')).toBe('30\u00a0000,00 RUB');
    expect(formatMoney(3_000_000, 'RUB', 'en-GB')).toBe('30,000.00 RUB');
    expect(formatMoney(123_450, 'EUR', 'es-ES')).toBe('1234,50 EUR');
    expect(formatMoney(1500, 'JPY', 'en-GB')).toBe('1,500 JPY');
  });

  it('reads an amount typed with a comma or a point, and refuses what is not one', () => {
    expect(parseMajorUnits('600', 'RUB')).toBe(60_000);
    expect(parseMajorUnits('600,5', 'RUB')).toBe(60_050);
    expect(parseMajorUnits(' 1 200.75 ', 'RUB')).toBe(120_075);
    expect(parseMajorUnits('600.555', 'RUB')).toBeNull();
    expect(parseMajorUnits('-5', 'RUB')).toBeNull();
    expect(parseMajorUnits('6e2', 'RUB')).toBeNull();
    expect(parseMajorUnits('', 'RUB')).toBeNull();
    expect(parseMajorUnits('1500', 'JPY')).toBe(1500);
    expect(parseMajorUnits('1500.5', 'JPY')).toBeNull();
  });

  it('writes minor units back into a form field', () => {
    expect(toMajorUnitsText(60_050, 'RUB')).toBe('600.50');
    expect(toMajorUnitsText(1500, 'JPY')).toBe('1500');
  });
});
