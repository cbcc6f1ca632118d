/*
 * Money, numbers and dates as the person reads them: major units with the currency in the
 * interface language's conventions, instants in the browser's time zone. The APIs carry integer
 * minor units; ICU knows each currency's digits.
 */

export function minorUnitDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** `60000, 'RUB'` → `600,00 RUB` in Russian, `600.00 RUB` in English. */
export function formatMoney(minorUnits: number, currency: string, locale: string): string {
  const digits = minorUnitDigits(currency);
  const amount = new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(minorUnits / 10 ** digits);
  return `${amount} ${currency}`;
}

/** Major units typed by a person (`600`, `600,5`, `600.50`) → minor units; null when it is not an amount. */
export function parseMajorUnits(text: string, currency: string): number | null {
  const normalized = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(normalized)) return null;
  const digits = minorUnitDigits(currency);
  const [whole, fraction = ''] = normalized.split('.');
  if (fraction.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** Minor units → the major-unit text a form field shows (`60000` → `600.00`). */
export function toMajorUnitsText(minorUnits: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  return (minorUnits / 10 ** digits).toFixed(digits);
}

export function formatNumber(value: number, locale: string, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale, options).format(value);
}

export function formatPercent(share: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

/** An ISO instant in the person's own time zone. */
export function formatInstant(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDay(isoDay: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${isoDay.slice(0, 10)}T00:00:00Z`),
  );
}
