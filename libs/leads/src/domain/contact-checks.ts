/**
 * The reference checks verification needs (telephone numbering plans, mail domains, ISO 3166),
 * kept behind a port so that the domain stays free of the packages that implement them.
 */
export interface ContactChecks {
  /** E.164 of a valid number (read in the row's country when it has no country code), else null. */
  normalisePhone(raw: string, country: string): string | null;
  isEmailAddress(address: string): boolean;
  isDisposableDomain(domain: string): boolean;
  isCountry(code: string): boolean;
  /** True when `region` is an ISO 3166-2 subdivision of `country`. */
  isRegionOf(region: string, country: string): boolean;
  isIpAddress(value: string): boolean;
}
