export type { Store } from './store.js';
export * from './memory-store.js';
export * from './embedded-store.js';
export * from './redis-store.js';
export * from './create-store.js';
