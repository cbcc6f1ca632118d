export * from './seeded-random.js';
export * from './reference-data.js';
export * from './upload-format.js';
export { ageOn } from './time-format.js';
export * from './lead-rows.js';
export * from './orders.js';
export * from './writers.js';
export * from './ping-fields.js';
