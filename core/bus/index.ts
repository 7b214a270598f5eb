export type { EventBus, BusTopic } from './event-bus.js';
export * from './memory-bus.js';
export * from './redis-bus.js';
