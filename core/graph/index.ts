export * from './modes.js';
export * from './road-classes.js';
export * from './road-network-data.js';
export * from './road-network.js';
export * from './road-network-builder.js';
export * from './live-weights.js';
export * from './geo.js';
export * from './edge-bbox-index.js';
