export * from './bus-events.js';
