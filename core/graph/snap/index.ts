export * from './edge-snapper.js';
