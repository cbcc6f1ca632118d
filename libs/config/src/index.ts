export * from './config.js';
export * from './secrets.js';
export * from './ensure-database.js';
