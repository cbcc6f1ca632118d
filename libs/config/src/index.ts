export * from './config.js';
export * from './ensure-database.js';
