export * from './domain/entity-references.js';
export * from './infrastructure/audit-index.projection.js';
export * from './application/timeline.js';
export * from './audit.module.js';
export * from './application/read-model-check.js';
export * from './application/dispute-report.js';
export * from './infrastructure/dispute-report-documents.js';
export * from './application/replay-proof.js';
