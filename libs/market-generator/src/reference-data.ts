// The reference tables are split by meaning (geography, people, contact channels, lead
// attributes, consent); this is the one place callers import them from.
export * from './reference/lead-attributes.js';
export * from './reference/regions.js';
export * from './reference/people.js';
export * from './reference/contacts.js';
export * from './reference/consent.js';
