/** The traffic service: live state estimation, incidents, schedules (docs/traffic.md). */
export { createTrafficService } from './traffic-service.js';
export type { TrafficService, TrafficServiceDeps, EdgesPage, EdgeFeature, TickReport, TrafficStats, ReassignFn } from './traffic-service.js';
export type { EdgeForecaster } from './forecast-link.js';
export type { TrafficConfig, TrafficConfigOverride } from './config.js';
export type { TrafficJob } from './schedules.js';
export type { RoadDemand } from './assignment/index.js';

/** Offline tools the CLI runs without a live service: assignment on TNTP files, forecaster evaluation. */
export { assign, assignmentNetworkFromTntp } from './assignment/index.js';
export type { AssignmentAlgorithm } from './assignment/index.js';
export { evaluateForecaster, parseAdjacencyCsv, parseSpeedsCsv } from './forecast/index.js';
