export * from './raster.js';
export * from './network-image.js';
