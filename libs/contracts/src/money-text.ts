/*
 * Money and dates as people read them. The APIs carry integer minor units (one convention
 * everywhere); documents for people — reports, statements — show major units in the locale of
 * the market the money moved in, with the currency code: `600,00 RUB`, `1.234,50 EUR`.
 */

/** The locale of a market, taken from the country its leads come from; English elsewhere. */
const localeByCountry: Record<string, string> = { RU: 'ru-RU', ES: 'es-ES' };

export function marketLocale(country: string | undefined): string {
  return (country && localeByCountry[country]) ?? 'en-GB';
}

/** Digits after the decimal point of a currency (2 for RUB and EUR, 0 for JPY), from ICU. */
export function minorUnitDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** `60000, 'RUB', 'ru-RU'` → `600,00 RUB` (grouping and decimal mark of the locale). */
export function formatMoney(minorUnits: number, currency: string, locale: string): string {
  const digits = minorUnitDigits(currency);
  const amount = new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(minorUnits / 10 ** digits);
  return `${amount} ${currency}`;
}

/** The amount in major units as a plain decimal for machines and spreadsheets: `600.00`. */
export function majorUnits(minorUnits: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const sign = minorUnits < 0 ? '-' : '';
  const absolute = Math.abs(minorUnits);
  if (digits === 0) return `${sign}${absolute}`;
  const scale = 10 ** digits;
  return `${sign}${Math.floor(absolute / scale)}.${String(absolute % scale).padStart(digits, '0')}`;
}

/** An instant as an unambiguous UTC date and time: `2026-11-23 12:00 UTC`. */
export function formatInstant(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
