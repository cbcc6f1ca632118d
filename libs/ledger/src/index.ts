export * from './domain/ledger-postings.js';
export * from './domain/statements.js';
export * from './domain/statement-csv.js';
export * from './infrastructure/ledger.projection.js';
export { saleSourcesProjection } from './infrastructure/sale-sources.projection.js';
export * from './infrastructure/ledger.queries.js';
export * from './application/payouts.js';
export * from './ledger.module.js';
