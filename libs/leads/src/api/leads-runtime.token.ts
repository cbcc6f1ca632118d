export const LEADS_RUNTIME = Symbol('LEADS_RUNTIME');
export const SELLER_QUERIES = Symbol('SELLER_QUERIES');
