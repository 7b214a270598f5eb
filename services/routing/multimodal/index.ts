/** Multimodal planning (walk, bike, car, walk + transit, bike + transit, park and ride). Wired in by services/routing/index.ts. */
export { createMultimodalPlanner, MultimodalPlanner, MULTIMODAL_DEFAULTS } from './multimodal-planner.js';
export { parkAndRideStops } from './park-and-ride.js';
export type { MultimodalDeps, RoadRouteFn, RoadLeg } from './multimodal-planner.js';
export { createTransitApi } from './transit-api.js';
export type { TransitApiDeps } from './transit-api.js';
export { createTransitWatch } from './transit-watch.js';
export type { TransitWatch } from './transit-watch.js';
