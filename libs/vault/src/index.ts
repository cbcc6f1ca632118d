export * from './application/key-management.port.js';
export * from './application/data-key-store.port.js';
export * from './application/personal-data-vault.js';
export * from './infrastructure/environment-master-key.js';
export * from './infrastructure/postgres-data-key-store.js';
export * from './infrastructure/create-vault.js';
export * from './infrastructure/data-key-database.js';
export * from './infrastructure/move-keys-out-of-log-database.js';
