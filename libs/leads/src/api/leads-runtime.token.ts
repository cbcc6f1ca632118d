export const LEADS_RUNTIME = Symbol('LEADS_RUNTIME');
export const SELLER_QUERIES = Symbol('SELLER_QUERIES');
/** The exchange's configuration, as the sellers app was started with. */
export const LEADS_CONFIG = Symbol('LEADS_CONFIG');
