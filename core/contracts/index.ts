export * from './bus-events.js';
export * from './common.js';
