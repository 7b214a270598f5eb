/** The traffic service: live state estimation, incidents, schedules (docs/traffic.md). */
export { createTrafficService } from './traffic-service.js';
export type { TrafficService, TrafficServiceDeps, EdgesPage, EdgeFeature, TickReport, TrafficStats, ReassignFn } from './traffic-service.js';
export type { EdgeForecaster } from './forecast-link.js';
export type { TrafficConfig, TrafficConfigOverride } from './config.js';
export type { TrafficJob } from './schedules.js';
export type { RoadDemand } from './assignment/index.js';
