export * from './urbanflow-error.js';
