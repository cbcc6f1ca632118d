/*
 * What the sellers' context is composed of, as Nest injects it: defined here so that the command
 * handlers (application) and the controllers (api) name the same providers.
 */
export const LEADS_RUNTIME = Symbol('LEADS_RUNTIME');
export const SELLER_QUERIES = Symbol('SELLER_QUERIES');
/** The exchange's configuration, as the sellers app was started with. */
export const LEADS_CONFIG = Symbol('LEADS_CONFIG');
