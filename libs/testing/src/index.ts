export * from './test-database.js';
export * from '../../event-sourcing/src/testing/decider-spec.js';
