import { iso31661, iso31662 } from 'iso-3166';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import MailChecker from 'mailchecker';
import validator from 'validator';
import type { ContactChecks } from '../domain/contact-checks.js';

const COUNTRIES = new Set(iso31661.map((country) => country.alpha2));
const SUBDIVISIONS = new Set(iso31662.map((subdivision) => subdivision.code));
const DISPOSABLE = MailChecker.blacklist();

/**
 * The checks behind verification, from maintained reference data: libphonenumber-js (numbering
 * plans, full metadata), validator (RFC 5322 addresses, IPs), mailchecker (disposable domains),
 * iso-3166 (countries and subdivisions).
 */
export const packagedContactChecks: ContactChecks = {
  normalisePhone(raw, country) {
    if (!/^[+\d\s().-]{5,30}$/.test(raw)) return null;
    const number = parsePhoneNumberFromString(
      raw,
      COUNTRIES.has(country) ? { defaultCountry: country as CountryCode } : undefined,
    );
    return number?.isValid() ? number.number : null;
  },
  isEmailAddress: (address) =>
    address.length <= 254 && validator.isEmail(address, { allow_utf8_local_part: false }),
  isDisposableDomain(domain) {
    const labels = domain.toLowerCase().split('.');
    // A subdomain of a disposable domain is disposable too.
    for (let i = 0; i < labels.length - 1; i++) if (DISPOSABLE.has(labels.slice(i).join('.'))) return true;
    return false;
  },
  isCountry: (code) => COUNTRIES.has(code),
  isRegionOf: (region, country) => region.startsWith(`${country}-`) && SUBDIVISIONS.has(region),
  isIpAddress: (value) => validator.isIP(value),
};
