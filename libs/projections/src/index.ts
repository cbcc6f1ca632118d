export * from './projection.js';
export * from './errors.js';
export { ensureProjectionSchema, readCheckpoint, type StoredCheckpoint } from './projection-schema.js';
export * from './projection-runner.js';
export * from './rebuild-projection.js';
export * from './compare-projection-tables.js';
export * from './projections-host.module.js';
export * from './projection-lag.js';
