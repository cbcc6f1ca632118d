export { LEADS_CONFIG, LEADS_RUNTIME, SELLER_QUERIES } from '../application/leads-tokens.js';
