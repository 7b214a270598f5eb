export * from './pbf-reader.js';
export * from './tag-values.js';
export * from './way-tags.js';
export * from './osm-assembler.js';
export * from './osm-import.js';
