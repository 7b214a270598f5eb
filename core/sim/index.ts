export { generateCity, DEFAULT_CENTRE, MIN_SIZE, MAX_SIZE } from './generate-city.js';
export { createRandom, normaliseSeed, type Random } from './random.js';
export type * from './types.js';
