// Helpers for Jest specs only: they import @jest/globals, which throws outside Jest. Runtime
// helpers that tests, benchmarks and the demo share live in #lx/testing.
export * from '../../event-sourcing/src/testing/decider-spec.js';
