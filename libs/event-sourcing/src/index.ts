export * from './decider.js';
export * from './domain-error.js';
export * from './aggregate-repository.js';
export * from './event-sourcing.module.js';
