export * from './test-database.js';
export * from './exchange-processes.js';
export * from './faults.js';
export * from './wait-until.js';
